// The mythos-chatd binary as operators use it: --version, --check-config, token minting, and a
// real start that answers /health and exits 0 on SIGTERM after draining NATS. And the terminal
// client, mythos-chat-cli: its connection cut through a relay, it reconnects and prints every
// missed line once, or says where lines are missing.
#include "natsserver.h"
#include "processrun.h"
#include "tcprelay.h"
#include "testclient.h"
#include "testserver.h"

#include "auth/jwt.h"

#include <QDateTime>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace mythos;
using namespace mythos::test;

namespace {
ProcessResult chatd(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    return runProcess(qEnvironmentVariable("MYTHOS_CHATD"), args, 15000, env);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(content);
    return path;
}

const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

// mythos-chat-cli as a child process; its output is read while the test waits.
class CliProcess
{
public:
    ~CliProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool start(const QStringList &args)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(qEnvironmentVariable("MYTHOS_CHAT_CLI"), args);
        return m_process.waitForStarted();
    }
    QStringList lines()
    {
        m_out += m_process.readAllStandardOutput();
        return QString::fromUtf8(m_out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    bool waitForLine(const QString &text, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return !lines().filter(text).isEmpty(); }, timeoutMs);
    }
    bool waitForExit(int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    }
    int exitCode() const { return m_process.exitCode(); }
    QString dump() { return lines().join(QLatin1Char('\n')); }

private:
    QProcess m_process;
    QByteArray m_out;
};

// A server on its own bus, reached by the CLI through a relay the test cuts.
struct CliRig
{
    NatsServer nats;
    std::unique_ptr<TestServer> server;
    std::unique_ptr<TcpRelay> relay;
    std::unique_ptr<TestClient> speaker;
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/ws").arg(relay->port()); }
};

// The printed lines that carry `text`, e.g. a chat line's content.
QStringList linesWith(const QStringList &lines, const QString &text)
{
    return lines.filter(QStringLiteral("\"%1\"").arg(text)) + lines.filter(QStringLiteral(": %1").arg(text));
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void version();
    void checkConfigAcceptsGoodFiles();
    void checkConfigRejectsBadKeysWithTheirPath();
    void tokenIsSignedWithTheConfiguredSecret();
    void tokenWithoutSecretFails();
    void serverStartsAnswersHealthAndStopsCleanly();
    void portInUseFailsWithAClearMessage();
    void chatCliResumesAfterTheConnectionIsCut();
    void chatCliPrintsAGapWhenTheServerCannotResendEverything();
    void chatCliWithoutReconnectExitsWhenCut();

private:
    std::unique_ptr<CliRig> cliRig(int maxResent);
    QString say(CliRig &rig, const QString &text);
    void cutWhileSpeakerSays(CliRig &rig, CliProcess &cli, const QStringList &lines);
    QTemporaryDir m_dir;
};

void TestCli::initTestCase()
{
    QVERIFY(!qEnvironmentVariable("MYTHOS_CHATD").isEmpty());
    QVERIFY(m_dir.isValid());
}

void TestCli::version()
{
    const ProcessResult r = chatd({ QStringLiteral("--version") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(MYTHOS_VERSION));
}

void TestCli::checkConfigAcceptsGoodFiles()
{
    const QString empty = writeFile(m_dir, QStringLiteral("empty.yaml"), "");
    QCOMPARE(chatd({ QStringLiteral("--config"), empty, QStringLiteral("--check-config") }).exitCode, 0);
    const QString seed =
            qEnvironmentVariable("MYTHOS_SOURCE_DIR") + QStringLiteral("/tests/data/seed_server_config.yaml");
    if (QFile::exists(seed))
        QCOMPARE(chatd({ QStringLiteral("--config"), seed, QStringLiteral("--check-config") }).exitCode, 0);
    // The bundled default, used without --config.
    QCOMPARE(chatd({ QStringLiteral("--check-config") }).exitCode, 0);
}

void TestCli::checkConfigRejectsBadKeysWithTheirPath()
{
    const QString bad = writeFile(m_dir, QStringLiteral("bad.yaml"),
                                  "nats:\n  url: nats://127.0.0.1:4222\n  colour: blue\nserver:\n  port: lots\n");
    const ProcessResult r = chatd({ QStringLiteral("--config"), bad, QStringLiteral("--check-config") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("nats.colour: unknown key"), r.err.constData());
    QVERIFY2(r.err.contains("server.port"), r.err.constData());
    // The server refuses to start on it too.
    QCOMPARE(chatd({ QStringLiteral("--config"), bad }).exitCode, 1);
    QCOMPARE(chatd({ QStringLiteral("--config"), m_dir.filePath(QStringLiteral("missing.yaml")),
                     QStringLiteral("--check-config") })
                     .exitCode,
             1);
}

void TestCli::tokenIsSignedWithTheConfiguredSecret()
{
    const QString cfg = writeFile(m_dir, QStringLiteral("secret.yaml"), "auth:\n  jwt_secret: s3cret\n");
    const ProcessResult r = chatd({ QStringLiteral("--config"), cfg, QStringLiteral("token"), QStringLiteral("--sub"),
                                    QStringLiteral("alice"), QStringLiteral("--name"), QStringLiteral("Alice"),
                                    QStringLiteral("--role"), QStringLiteral("admin"), QStringLiteral("--ttl"),
                                    QStringLiteral("3600") });
    QCOMPARE(r.exitCode, 0);
    const QByteArray token = r.out.trimmed();
    QVERIFY(!token.contains('\n'));
    const auto claims = jwt::verify(token, "s3cret", QDateTime::currentSecsSinceEpoch());
    QVERIFY2(claims.ok(), qPrintable(claims.error()));
    QCOMPARE(claims->playerId, QStringLiteral("alice"));
    QCOMPARE(claims->role, Role::Admin);
    QVERIFY(claims->expiresAt > QDateTime::currentSecsSinceEpoch() + 3500);
    QVERIFY(!jwt::verify(token, "other", QDateTime::currentSecsSinceEpoch()).ok());

    // The environment variable supplies the secret when the file has none.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MYTHOS_CHAT_JWT_SECRET"), QStringLiteral("from-env"));
    const QString empty = writeFile(m_dir, QStringLiteral("nosecret.yaml"), "");
    const ProcessResult e = chatd({ QStringLiteral("--config"), empty, QStringLiteral("token"), QStringLiteral("--sub"),
                                    QStringLiteral("bob"), QStringLiteral("--name"), QStringLiteral("Bob") },
                                  env);
    QCOMPARE(e.exitCode, 0);
    QVERIFY(jwt::verify(e.out.trimmed(), "from-env", QDateTime::currentSecsSinceEpoch()).ok());
}

void TestCli::tokenWithoutSecretFails()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("MYTHOS_CHAT_JWT_SECRET"));
    const QString empty = writeFile(m_dir, QStringLiteral("nosecret2.yaml"), "");
    const ProcessResult r = chatd({ QStringLiteral("--config"), empty, QStringLiteral("token"), QStringLiteral("--sub"),
                                    QStringLiteral("bob"), QStringLiteral("--name"), QStringLiteral("Bob") },
                                  env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY(r.err.contains("secret"));
}

void TestCli::serverStartsAnswersHealthAndStopsCleanly()
{
    NatsServer nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    const quint16 port = freeLoopbackPort();
    const QString cfg =
            writeFile(m_dir, QStringLiteral("run.yaml"),
                      QStringLiteral("server:\n  port: %1\n  data_dir: %2\nnats:\n  url: %3\nauth:\n  jwt_secret: x\n")
                              .arg(port)
                              .arg(m_dir.filePath(QStringLiteral("data")), nats.url())
                              .toUtf8());
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), cfg });
    QVERIFY(server.waitForStarted());
    QVERIFY(waitForPort(port, 10000));
    int status = 0;
    QJsonObject health;
    QVERIFY(QTest::qWaitFor(
            [&] {
                health = getJson(port, QStringLiteral("/health"), &status);
                return health.value(QStringLiteral("nats")).toString() == QStringLiteral("connected");
            },
            10000));
    QCOMPARE(status, 200);
    QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QVERIFY(health.contains(QStringLiteral("uptime_s")));
    QVERIFY(health.contains(QStringLiteral("connections")));
    getJson(port, QStringLiteral("/ws"), &status);
    QCOMPARE(status, 400); // a plain GET on the WebSocket endpoint

    ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
}

void TestCli::portInUseFailsWithAClearMessage()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    const QString cfg = writeFile(m_dir, QStringLiteral("busy.yaml"),
                                  QStringLiteral("server:\n  port: %1\n  data_dir: %2\nnats:\n  enabled: false\n")
                                          .arg(blocker.serverPort())
                                          .arg(m_dir.filePath(QStringLiteral("data2")))
                                          .toUtf8());
    const ProcessResult r = chatd({ QStringLiteral("--config"), cfg });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("cannot listen"), r.err.constData());
}

std::unique_ptr<CliRig> TestCli::cliRig(int maxResent)
{
    auto rig = std::make_unique<CliRig>();
    if (qEnvironmentVariable("MYTHOS_CHAT_CLI").isEmpty() || !rig->nats.start())
        return nullptr;
    Config config = testConfig(rig->nats.url());
    config.recovery.maxMessages = maxResent;
    rig->server = std::make_unique<TestServer>(config);
    if (!rig->server->start() || !rig->server->waitForNats())
        return nullptr;
    rig->relay = std::make_unique<TcpRelay>(rig->server->port());
    rig->speaker = std::make_unique<TestClient>();
    if (!rig->relay->listen() || !rig->speaker->open(rig->server->port())
        || rig->speaker
                   ->authToken(tokenFor(QStringLiteral("sam"), QStringLiteral("Sam"), QStringLiteral("player"), kFoyer))
                   .isEmpty())
        return nullptr;
    return rig;
}

QString TestCli::say(CliRig &rig, const QString &text)
{
    return eventField(rig.speaker->request(sendFrame(QStringLiteral("say"), text)), "message_id");
}

void TestCli::cutWhileSpeakerSays(CliRig &rig, CliProcess &cli, const QStringList &lines)
{
    // The client cannot come back until the lines are sent: the relay turns it away.
    rig.relay->setRefusing(true);
    rig.relay->cutAll();
    QVERIFY2(cli.waitForLine(QStringLiteral("reconnecting in")), qPrintable(cli.dump()));
    for (const QString &line : lines)
        QVERIFY(!say(rig, line).isEmpty());
    rig.relay->setRefusing(false);
    QVERIFY2(cli.waitForLine(QStringLiteral("* reconnected as Reader")), qPrintable(cli.dump()));
}

void TestCli::chatCliResumesAfterTheConnectionIsCut()
{
    auto rig = cliRig(200);
    QVERIFY(rig);
    const QString token = QString::fromUtf8(
            tokenFor(QStringLiteral("reader"), QStringLiteral("Reader"), QStringLiteral("player"), kFoyer));
    CliProcess cli;
    QVERIFY(cli.start({ QStringLiteral("--url"), rig->url(), QStringLiteral("--token"), token }));
    QVERIFY2(cli.waitForLine(QStringLiteral("* connected as Reader")), qPrintable(cli.dump()));
    const QString beforeId = say(*rig, QStringLiteral("before the cut"));
    QVERIFY(cli.waitForLine(QStringLiteral("before the cut")));

    const QStringList missed = numbered(QStringLiteral("missed"), 1, 10);
    cutWhileSpeakerSays(*rig, cli, missed);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(cli.waitForLine(missed.constLast()), qPrintable(cli.dump()));
    say(*rig, QStringLiteral("after the reconnect"));
    QVERIFY(cli.waitForLine(QStringLiteral("after the reconnect")));

    // Each line once; the missed ones marked and in order; "before the cut" (in the resume's
    // clock window) not repeated; no gap claimed.
    const QStringList out = cli.lines();
    QCOMPARE(linesWith(out, QStringLiteral("before the cut")).size(), 1);
    QVERIFY(!linesWith(out, QStringLiteral("before the cut")).constFirst().startsWith(QLatin1Char('(')));
    qsizetype previous = -1;
    for (const QString &text : missed) {
        const QStringList found = linesWith(out, text);
        QVERIFY2(found.size() == 1, qPrintable(text + QStringLiteral(":\n") + cli.dump()));
        QVERIFY2(found.constFirst().startsWith(QStringLiteral("(missed) ")), qPrintable(found.constFirst()));
        const qsizetype at = out.indexOf(found.constFirst());
        QVERIFY(at > previous);
        previous = at;
    }
    QCOMPARE(linesWith(out, QStringLiteral("after the reconnect")).size(), 1);
    QVERIFY2(out.filter(QStringLiteral("* gap")).isEmpty(), qPrintable(cli.dump()));

    // --resume-since on start: a reader who held "before the cut" gets everything after it.
    CliProcess later;
    QVERIFY(later.start({ QStringLiteral("--url"), rig->url(), QStringLiteral("--no-reconnect"),
                          QStringLiteral("--resume-since"), beforeId, QStringLiteral("--token"),
                          QString::fromUtf8(tokenFor(QStringLiteral("reader2"), QStringLiteral("Reader2"),
                                                     QStringLiteral("player"), kFoyer)) }));
    QVERIFY2(later.waitForLine(QStringLiteral("(missed) ")
                               + linesWith(out, QStringLiteral("after the reconnect")).constFirst()),
             qPrintable(later.dump()));
    const QStringList resumed = later.lines().filter(QStringLiteral("(missed) "));
    QCOMPARE(resumed.size(), missed.size() + 1);
    QVERIFY(linesWith(later.lines(), QStringLiteral("before the cut")).isEmpty());
    QVERIFY(later.lines().filter(QStringLiteral("* gap")).isEmpty());
}

void TestCli::chatCliPrintsAGapWhenTheServerCannotResendEverything()
{
    auto rig = cliRig(3); // chat.recovery.max_messages: 3
    QVERIFY(rig);
    CliProcess cli;
    QVERIFY(cli.start({ QStringLiteral("--url"), rig->url(), QStringLiteral("--token"),
                        QString::fromUtf8(tokenFor(QStringLiteral("reader"), QStringLiteral("Reader"),
                                                   QStringLiteral("player"), kFoyer)) }));
    QVERIFY2(cli.waitForLine(QStringLiteral("* connected as Reader")), qPrintable(cli.dump()));
    say(*rig, QStringLiteral("before the cut"));
    QVERIFY(cli.waitForLine(QStringLiteral("before the cut")));
    const QStringList missed = numbered(QStringLiteral("lost"), 1, 10);
    cutWhileSpeakerSays(*rig, cli, missed);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(cli.waitForLine(missed.constLast()), qPrintable(cli.dump()));
    const QStringList out = cli.lines();
    // One gap line saying why, then the newest three; the older seven are not printed.
    const QStringList gaps = out.filter(QStringLiteral("* gap"));
    QVERIFY2(gaps.size() == 1 && gaps.constFirst().contains(QStringLiteral("oldest of them are missing")),
             qPrintable(cli.dump()));
    for (const QString &text : missed.mid(0, 7))
        QVERIFY2(linesWith(out, text).isEmpty(), qPrintable(text));
    for (const QString &text : missed.mid(7)) {
        QCOMPARE(linesWith(out, text).size(), 1);
        QVERIFY(out.indexOf(linesWith(out, text).constFirst()) > out.indexOf(gaps.constFirst()));
    }
}

void TestCli::chatCliWithoutReconnectExitsWhenCut()
{
    auto rig = cliRig(200);
    QVERIFY(rig);
    CliProcess cli;
    QVERIFY(cli.start({ QStringLiteral("--url"), rig->url(), QStringLiteral("--no-reconnect"),
                        QStringLiteral("--guest"), QStringLiteral("Quinn") }));
    QVERIFY2(cli.waitForLine(QStringLiteral("* connected as Quinn")), qPrintable(cli.dump()));
    rig->relay->cutAll();
    QVERIFY2(cli.waitForExit(), qPrintable(cli.dump()));
    QCOMPARE(cli.exitCode(), 0); // it had been connected, as before
    QVERIFY(cli.waitForLine(QStringLiteral("* disconnected")));
    QVERIFY(cli.lines().filter(QStringLiteral("reconnecting")).isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
