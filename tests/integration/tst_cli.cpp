// The mythos-chatd binary as operators use it: --version, --check-config, token minting, and a
// real start that answers /health and exits 0 on SIGTERM after draining NATS.
#include "natsserver.h"
#include "processrun.h"

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

private:
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
    const QString seed = qEnvironmentVariable("MYTHOS_SOURCE_DIR") + QStringLiteral("/tests/data/seed_server_config.yaml");
    if (QFile::exists(seed))
        QCOMPARE(chatd({ QStringLiteral("--config"), seed, QStringLiteral("--check-config") }).exitCode, 0);
    // The bundled default, used without --config.
    QCOMPARE(chatd({ QStringLiteral("--check-config") }).exitCode, 0);
}

void TestCli::checkConfigRejectsBadKeysWithTheirPath()
{
    const QString bad = writeFile(m_dir, QStringLiteral("bad.yaml"), "nats:\n  url: nats://127.0.0.1:4222\n  colour: blue\nserver:\n  port: lots\n");
    const ProcessResult r = chatd({ QStringLiteral("--config"), bad, QStringLiteral("--check-config") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("nats.colour: unknown key"), r.err.constData());
    QVERIFY2(r.err.contains("server.port"), r.err.constData());
    // The server refuses to start on it too.
    QCOMPARE(chatd({ QStringLiteral("--config"), bad }).exitCode, 1);
    QCOMPARE(chatd({ QStringLiteral("--config"), m_dir.filePath(QStringLiteral("missing.yaml")), QStringLiteral("--check-config") }).exitCode, 1);
}

void TestCli::tokenIsSignedWithTheConfiguredSecret()
{
    const QString cfg = writeFile(m_dir, QStringLiteral("secret.yaml"), "auth:\n  jwt_secret: s3cret\n");
    const ProcessResult r = chatd({ QStringLiteral("--config"), cfg, QStringLiteral("token"), QStringLiteral("--sub"), QStringLiteral("alice"),
                          QStringLiteral("--name"), QStringLiteral("Alice"), QStringLiteral("--role"), QStringLiteral("admin"), QStringLiteral("--ttl"), QStringLiteral("3600") });
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
    const ProcessResult e = chatd({ QStringLiteral("--config"), empty, QStringLiteral("token"), QStringLiteral("--sub"), QStringLiteral("bob"), QStringLiteral("--name"), QStringLiteral("Bob") }, env);
    QCOMPARE(e.exitCode, 0);
    QVERIFY(jwt::verify(e.out.trimmed(), "from-env", QDateTime::currentSecsSinceEpoch()).ok());
}

void TestCli::tokenWithoutSecretFails()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("MYTHOS_CHAT_JWT_SECRET"));
    const QString empty = writeFile(m_dir, QStringLiteral("nosecret2.yaml"), "");
    const ProcessResult r = chatd({ QStringLiteral("--config"), empty, QStringLiteral("token"), QStringLiteral("--sub"), QStringLiteral("bob"), QStringLiteral("--name"), QStringLiteral("Bob") }, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY(r.err.contains("secret"));
}

void TestCli::serverStartsAnswersHealthAndStopsCleanly()
{
    NatsServer nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    const quint16 port = freeLoopbackPort();
    const QString cfg = writeFile(m_dir, QStringLiteral("run.yaml"),
                                  QStringLiteral("server:\n  port: %1\n  data_dir: %2\nnats:\n  url: %3\nauth:\n  jwt_secret: x\n")
                                          .arg(port).arg(m_dir.filePath(QStringLiteral("data")), nats.url()).toUtf8());
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), cfg });
    QVERIFY(server.waitForStarted());
    QVERIFY(waitForPort(port, 10000));
    int status = 0;
    QJsonObject health;
    QVERIFY(QTest::qWaitFor([&] {
        health = getJson(port, QStringLiteral("/health"), &status);
        return health.value(QStringLiteral("nats")).toString() == QStringLiteral("connected");
    }, 10000));
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
                                          .arg(blocker.serverPort()).arg(m_dir.filePath(QStringLiteral("data2"))).toUtf8());
    const ProcessResult r = chatd({ QStringLiteral("--config"), cfg });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("cannot listen"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
