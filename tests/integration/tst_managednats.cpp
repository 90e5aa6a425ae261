// nats.managed: the server starts a real nats-server child, connects through it, restarts it
// when it dies, leaves an already running server alone, and stops its child on shutdown.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "app/natssupervisor.h"
#include "audit/auditlog.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace mythos;
using namespace mythos::test;

namespace {
bool processAlive(qint64 pid)
{
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}
} // namespace

class TestManagedNats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void startsRestartsAndStopsItsOwnServer();
    void usesAServerThatIsAlreadyRunning();
    void missingBinaryIsAClearStartError();

private:
    Config managedConfig(quint16 port) const;
    QTemporaryDir m_dir;
    QString m_natsConf;
};

void TestManagedNats::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The bundled file also opens monitoring on 8222, which parallel runs would fight over.
    m_natsConf = m_dir.filePath(QStringLiteral("nats-test.conf"));
    QFile conf(m_natsConf);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("max_payload: 1048576\n");
}

Config TestManagedNats::managedConfig(quint16 port) const
{
    Config config = testConfig(QStringLiteral("nats://127.0.0.1:%1").arg(port));
    config.nats.managed = true;
    config.nats.serverBinary = QStringLiteral("nats-server");
    config.nats.serverConfig = m_natsConf;
    config.nats.reconnectTimeWaitS = 0.2;
    return config;
}

void TestManagedNats::startsRestartsAndStopsItsOwnServer()
{
    const quint16 port = freeLoopbackPort();
    TestServer server(managedConfig(port));
    QVERIFY(server.start());
    NatsSupervisor *supervisor = server.app().natsSupervisor();
    QVERIFY(supervisor);
    QVERIFY(supervisor->ownsServer());
    const qint64 firstPid = supervisor->childPid();
    QVERIFY(processAlive(firstPid));
    QVERIFY(server.waitForNats());

    // Chat goes through it.
    TestClient a, b;
    QVERIFY(a.open(server.port()) && b.open(server.port()));
    QVERIFY(!a.authGuest(QStringLiteral("Ann")).isEmpty() && !b.authGuest(QStringLiteral("Ben")).isEmpty());
    QCOMPARE(a.request(sendFrame(QStringLiteral("global"), QStringLiteral("via managed nats")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!b.waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("via managed nats"))).isEmpty());

    // It dies: it is started again, and the bus finds it.
    QSignalSpy exited(supervisor, &NatsSupervisor::childExited);
    ::kill(static_cast<pid_t>(firstPid), SIGKILL);
    QVERIFY(exited.wait(5000));
    QVERIFY(QTest::qWaitFor([&] { return supervisor->childPid() > 0 && supervisor->childPid() != firstPid; }, 10000));
    QCOMPARE(supervisor->restarts(), 1u);
    QVERIFY(QTest::qWaitFor(
            [&] {
                return server.app().health().value(QStringLiteral("nats")).toString() == QLatin1String("connected");
            },
            15000));
    QCOMPARE(a.request(sendFrame(QStringLiteral("global"), QStringLiteral("after the restart")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!b.waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("after the restart"))).isEmpty());

    // The system log tells the story.
    server.app().auditLog()->flush();
    QFile log(
            QStringLiteral("%1/system/system_%2.jsonl")
                    .arg(server.app().auditLog()->dir(), QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate)));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray lines = log.readAll();
    QCOMPARE(lines.count("\"event\":\"nats_server_started\""), 2);
    QCOMPARE(lines.count("\"event\":\"nats_server_exited\""), 1);

    // Shutdown stops the child once NATS has drained.
    const qint64 secondPid = supervisor->childPid();
    QSignalSpy stopped(&server.app(), &ServerApp::stopped);
    server.app().stop();
    QVERIFY(stopped.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return !processAlive(secondPid); }, 5000));
}

void TestManagedNats::usesAServerThatIsAlreadyRunning()
{
    NatsServer external;
    QVERIFY2(external.start(), qPrintable(external.errorString()));
    TestServer server(managedConfig(external.port()));
    QVERIFY(server.start());
    QVERIFY(!server.app().natsSupervisor()->ownsServer());
    QVERIFY(server.waitForNats());
}

void TestManagedNats::missingBinaryIsAClearStartError()
{
    Config config = managedConfig(freeLoopbackPort());
    config.nats.serverBinary = QStringLiteral("no-such-nats-server-binary");
    config.resolveDefaults(m_dir.filePath(QStringLiteral("data")));
    ServerApp app(config);
    QString error;
    QVERIFY(!app.start(&error));
    QVERIFY2(error.contains(QLatin1String("no-such-nats-server-binary")) && error.contains(QLatin1String("not found")),
             qPrintable(error));
}

QTEST_GUILESS_MAIN(TestManagedNats)
#include "tst_managednats.moc"
