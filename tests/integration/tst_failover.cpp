// Recovery across instances (issue 12): a player whose instance is killed with SIGKILL in the
// middle of traffic reconnects to another instance sharing the PostgreSQL history and resumes
// without a gap — including what the dead instance acknowledged in its last moments.
// Instance A is the real binary (so it can be killed); B runs in-process.
#include "natsserver.h"
#include "testclient.h"
#include "testdatabase.h"
#include "testserver.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

QString ackId(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("event_type")).toString() == QStringLiteral("ack")
            ? eventField(reply, "message_id")
            : QString();
}

QSet<QString> idsOf(const QList<QJsonObject> &events)
{
    QSet<QString> ids;
    for (const QJsonObject &e : events)
        ids.insert(eventField(e, "message_id"));
    return ids;
}
} // namespace

class TestFailover : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resumeOnAnotherInstanceAfterSigkill();

private:
    bool startInstanceA(QProcess &process, const QString &natsUrl, const QString &databaseUrl);
    std::unique_ptr<TestClient> join(quint16 port, const QString &id);
    QTemporaryDir m_dir;
    quint16 m_portA = 0;
};

bool TestFailover::startInstanceA(QProcess &process, const QString &natsUrl, const QString &databaseUrl)
{
    m_portA = freeLoopbackPort();
    const QString config = m_dir.filePath(QStringLiteral("a.yaml"));
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    // Quoted: a PostgreSQL URL carries ':' and '@'.
    f.write(QStringLiteral("server:\n  port: %1\n  server_id: instance-a\n  data_dir: \"%2\"\n"
                           "auth:\n  jwt_secret: \"%3\"\nnats:\n  url: \"%4\"\n"
                           "database:\n  url: \"%5\"\n"
                           "chat:\n  rate_limiting:\n    enabled: false\n")
                    .arg(m_portA)
                    .arg(m_dir.filePath(QStringLiteral("a-data")), QString::fromUtf8(kTestSecret), natsUrl, databaseUrl)
                    .toUtf8());
    f.close();
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), config });
    return process.waitForStarted(5000) && waitForPort(m_portA, 15000);
}

std::unique_ptr<TestClient> TestFailover::join(quint16 port, const QString &id)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(port) || c->authToken(tokenFor(id, id.toUpper(), QStringLiteral("player"), kFoyer)).isEmpty())
        return nullptr;
    return c;
}

void TestFailover::resumeOnAnotherInstanceAfterSigkill()
{
    TestDatabase database(QStringLiteral("postgresql"));
    if (!database.isAvailable())
        QSKIP(qPrintable(database.skipReason()));
    QVERIFY(m_dir.isValid());
    NatsServer nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));

    QProcess instanceA;
    QVERIFY(startInstanceA(instanceA, nats.url(), database.url()));
    Config b = testConfig(nats.url());
    b.server.serverId = QStringLiteral("instance-b");
    b.database.url = database.url();
    b.rateLimitingEnabled = false;
    TestServer instanceB(b);
    QVERIFY(instanceB.start());
    QVERIFY(instanceB.waitForNats());

    auto alice = join(m_portA, QStringLiteral("alice"));
    auto carol = join(m_portA, QStringLiteral("carol"));
    auto bob = join(instanceB.port(), QStringLiteral("bob"));
    QVERIFY(alice && carol && bob);
    // A is on the bus once Bob's line (from B) reaches Alice (on A).
    QVERIFY(QTest::qWaitFor(
            [&] {
                bob->request(sendFrame(QStringLiteral("say"), QStringLiteral("are you there")));
                return !alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("are you there")), 300)
                                .isEmpty();
            },
            15000));

    // Carol pipelines 40 lines on A; A is killed the moment the last ack lands, so Alice (on A)
    // has some of them, or none, or all: whatever A had not yet delivered must come back.
    constexpr int kBurst = 40;
    for (int i = 0; i < kBurst; ++i)
        carol->send(sendFrame(QStringLiteral("say"), QStringLiteral("carol %1").arg(i)));
    QVERIFY(QTest::qWaitFor([&] { return carol->eventsOfType(QStringLiteral("ack")).size() >= kBurst; }, 20000));
    ::kill(static_cast<pid_t>(instanceA.processId()), SIGKILL);
    QVERIFY(instanceA.waitForFinished(5000));
    QCOMPARE(instanceA.exitStatus(), QProcess::CrashExit);
    QSet<QString> expected = idsOf(carol->eventsOfType(QStringLiteral("ack")));
    QCOMPARE(expected.size(), kBurst);

    // While Alice is away, Bob keeps talking on B.
    for (int i = 0; i < 20; ++i) {
        const QString id = ackId(bob->request(sendFrame(QStringLiteral("say"), QStringLiteral("bob %1").arg(i))));
        QVERIFY(!id.isEmpty());
        expected.insert(id);
    }

    // Alice's client resumes on B from the newest line it showed, and merges by message_id.
    const QList<QJsonObject> shown = alice->eventsOfType(QStringLiteral("chat_message"));
    QVERIFY(!shown.isEmpty());
    QString since;
    for (const QJsonObject &m : shown)
        since = std::max(since, eventField(m, "message_id"));
    const QSet<QString> held = idsOf(shown);
    alice = join(instanceB.port(), QStringLiteral("alice"));
    QVERIFY(alice);
    const QJsonObject reply = alice->request(
            { { QStringLiteral("type"), QStringLiteral("resume") }, { QStringLiteral("since"), since } });
    QCOMPARE(reply.value(QStringLiteral("event_type")).toString(), QStringLiteral("resumed"));
    const QJsonObject data = eventData(reply);
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(), true);

    QSet<QString> resumed;
    for (const QJsonValue &m : data.value(QStringLiteral("messages")).toArray()) {
        const QString id = m.toObject().value(QStringLiteral("message_id")).toString();
        QVERIFY2(!resumed.contains(id), qPrintable(QStringLiteral("%1 returned twice").arg(id)));
        resumed.insert(id);
    }
    const QSet<QString> missing = expected - held - resumed;
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 of %2 messages neither shown nor resumed (Alice had %3 of Carol's "
                                       "burst when A died)")
                                .arg(missing.size())
                                .arg(expected.size())
                                .arg((held & expected).size())));
    qInfo("Alice had shown %lld of the %d lines A acknowledged before SIGKILL; resume returned %lld",
          static_cast<long long>((held & expected).size()), kBurst, static_cast<long long>(resumed.size()));
}

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_failover.moc"
