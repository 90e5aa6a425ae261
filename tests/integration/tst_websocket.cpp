// The gateway's own WebSocket transport against real clients: Qt's QWebSocket (ping, close
// handshake, header auth) and raw sockets for what a well-behaved client never sends (invalid
// UTF-8, oversized frames, wrong versions, a head split across packets, frames split and
// batched arbitrarily), plus the full-server refusal of a newcomer when everyone is a player.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "app/serverapp.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QByteArray kHandshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

// A raw client: the bytes it sends are exactly what the test says.
class RawClient
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 3000);
    }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }
    // Waits until `marker` has arrived (or the socket closed); returns everything so far.
    QByteArray waitFor(const QByteArray &marker, int timeoutMs = 5000)
    {
        (void)QTest::qWaitFor(
                [&] {
                    m_received += m_socket.readAll();
                    return m_received.contains(marker) || m_socket.state() == QAbstractSocket::UnconnectedState;
                },
                timeoutMs);
        return m_received += m_socket.readAll();
    }
    bool waitForClose(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
                [&] {
                    m_received += m_socket.readAll();
                    return m_socket.state() == QAbstractSocket::UnconnectedState;
                },
                timeoutMs);
    }
    // The close code of the first close frame the server sent, or 0.
    int closeCode() const
    {
        const qsizetype at = m_received.indexOf(char(0x88));
        if (at < 0 || m_received.size() < at + 4)
            return 0;
        return (quint8(m_received[at + 2]) << 8) | quint8(m_received[at + 3]);
    }
    const QByteArray &received() const { return m_received; }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};
} // namespace

class TestWebSocket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pingIsAnsweredWithPong();
    void clientCloseIsEchoed();
    void headSplitAcrossPacketsStillUpgrades();
    void framesSplitAndBatchedArbitrarily();
    void invalidUtf8Closes1007();
    void oversizedFrameCloses1009BeforeItArrives();
    void unmaskedFrameCloses1002();
    void wrongVersionGets426();
    void closeAnsweredInsideAPartialFrameIsSafe();
    void bigFramesAreRefusedBeforeLogin();
    void silentConnectionsAreDropped();
    void quietClientsArePingedAndDeadOnesDropped();
    void invalidCloseFrameCloses1002();
    void fullServerRefusesWith4013();

private:
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
};

void TestWebSocket::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    config.nats.maxPayload = 4096;
    config.server.maxConnections = 3;
    config.server.keepAliveSeconds = 1;
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start());
}

void TestWebSocket::cleanupTestCase()
{
    m_server.reset();
}

void TestWebSocket::pingIsAnsweredWithPong()
{
    QWebSocket socket;
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server->port())));
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    QSignalSpy pong(&socket, &QWebSocket::pong);
    socket.ping("are you there");
    QVERIFY(pong.wait(5000));
    QCOMPARE(pong.first().at(1).toByteArray(), QByteArray("are you there"));
}

void TestWebSocket::clientCloseIsEchoed()
{
    TestClient c;
    QVERIFY(c.open(m_server->port()));
    QVERIFY(!c.authGuest(QStringLiteral("Closer")).isEmpty());
    c.socket().close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    QVERIFY(c.waitForDisconnected());
    QCOMPARE(c.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QVERIFY(QTest::qWaitFor([&] { return m_server->app().health().value(QStringLiteral("connections")).toInt() == 0; },
                            5000));
}

void TestWebSocket::headSplitAcrossPacketsStillUpgrades()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    raw.send(kHandshake.left(30));
    QTest::qWait(150); // the sorter has looked at an incomplete head meanwhile
    raw.send(kHandshake.mid(30));
    QVERIFY(raw.waitFor("\r\n\r\n").startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(raw.received().contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
}

void TestWebSocket::framesSplitAndBatchedArbitrarily()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    // Handshake and two frames in one write, then a frame in three pieces.
    raw.send(kHandshake + maskedFrame(0x81, R"({"type":"ping","ref":"a"})")
             + maskedFrame(0x81, R"({"type":"ping","ref":"b"})"));
    const QByteArray third = maskedFrame(0x81, R"({"type":"ping","ref":"c"})");
    QVERIFY(raw.waitFor(R"("ref":"b")").contains(R"("ref":"a")"));
    raw.send(third.left(1));
    QTest::qWait(50);
    raw.send(third.mid(1, 7));
    QTest::qWait(50);
    raw.send(third.mid(8));
    QVERIFY(raw.waitFor(R"("ref":"c")").contains(R"("event_type":"pong")"));
}

void TestWebSocket::invalidUtf8Closes1007()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    raw.send(kHandshake + maskedFrame(0x81, QByteArray("{\"type\":\"\xff\"}", 13)));
    QVERIFY(raw.waitForClose());
    QCOMPARE(raw.closeCode(), 1007);
}

void TestWebSocket::oversizedFrameCloses1009BeforeItArrives()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    // Declares 100 MB and sends none of it: refused on the header alone.
    raw.send(kHandshake + maskedFrame(0x81, QByteArray(), 100'000'000));
    QVERIFY(raw.waitForClose());
    QCOMPARE(raw.closeCode(), 1009);
}

void TestWebSocket::unmaskedFrameCloses1002()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    raw.send(kHandshake + QByteArray("\x81\x02hi", 4));
    QVERIFY(raw.waitForClose());
    QCOMPARE(raw.closeCode(), 1002);
}

void TestWebSocket::wrongVersionGets426()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    QByteArray old = kHandshake;
    old.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8");
    raw.send(old);
    QVERIFY(raw.waitForClose());
    QVERIFY2(raw.received().startsWith("HTTP/1.1 426 "), raw.received().constData());
    QVERIFY(raw.received().contains("Sec-WebSocket-Version: 13"));
}

void TestWebSocket::closeAnsweredInsideAPartialFrameIsSafe()
{
    // The server closes (bad token); the client's answer arrives in the same read as the end
    // of a frame it had half sent. Under ASan a read of the freed frame buffer shows here.
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    raw.send(kHandshake + maskedFrame(0x81, R"({"type":"auth","token":"not-a-token"})"));
    QVERIFY(raw.waitFor(QByteArray(1, char(0x88))).contains("authentication failed"));
    const QByteArray frame = maskedFrame(0x81, QByteArray(12000, 'x'));
    raw.send(frame.left(8000));
    QTest::qWait(50);
    raw.send(frame.mid(8000) + maskedFrame(0x88, QByteArray("\x03\xe8", 2)) + QByteArray("zz"));
    QVERIFY(raw.waitForClose());
    QCOMPARE(m_server->app().health().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
}

void TestWebSocket::bigFramesAreRefusedBeforeLogin()
{
    // An anonymous connection may not make the server buffer more than 16 KiB of a frame
    // (after login the limit is 4 x nats.max_payload): refused on the header alone.
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    raw.send(kHandshake + maskedFrame(0x81, QByteArray(), 17 * 1024));
    QVERIFY(raw.waitForClose());
    QCOMPARE(raw.closeCode(), 1009);
}

void TestWebSocket::silentConnectionsAreDropped()
{
    // Connects and never says anything: dropped once the 10 s for a request head are over.
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    QVERIFY(raw.waitForClose(15000));
    QVERIFY(raw.received().isEmpty());
}

void TestWebSocket::quietClientsArePingedAndDeadOnesDropped()
{
    // QWebSocket answers pings by itself: it stays. The raw client never does: dropped.
    TestClient alive;
    QVERIFY(alive.open(m_server->port()));
    QVERIFY(!alive.authGuest(QStringLiteral("Quiet")).isEmpty());
    RawClient dead;
    QVERIFY(dead.connectTo(m_server->port()));
    dead.send(kHandshake);
    QVERIFY(dead.waitFor("\r\n\r\n").startsWith("HTTP/1.1 101"));
    QVERIFY(dead.waitForClose(5000));
    QVERIFY2(dead.received().contains(QByteArray("\x89\x00", 2)), "the server pinged before dropping");
    QVERIFY(alive.isConnected());
    QVERIFY(alive.request({ { QStringLiteral("type"), QStringLiteral("ping") } })
                    .value(QStringLiteral("event_type"))
                    .toString()
            == QLatin1String("pong"));
}

void TestWebSocket::invalidCloseFrameCloses1002()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server->port()));
    raw.send(kHandshake + maskedFrame(0x88, QByteArray("\x03\xed", 2))); // 1005 may not be sent
    QVERIFY(raw.waitForClose());
    QCOMPARE(raw.closeCode(), 1002);
}

void TestWebSocket::fullServerRefusesWith4013()
{
    QVERIFY(QTest::qWaitFor([&] { return m_server->app().health().value(QStringLiteral("connections")).toInt() == 0; },
                            5000));
    std::vector<std::unique_ptr<TestClient>> clients;
    // Authenticated players are never evicted to make room (unauthenticated sessions are:
    // tst_flood), so the newcomer is the one refused.
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<TestClient>());
        QVERIFY(clients.back()->open(m_server->port()));
        QVERIFY(!clients.back()->authGuest(QStringLiteral("Full%1").arg(i)).isEmpty());
    }
    TestClient extra;
    QVERIFY(extra.open(m_server->port())); // the handshake completes, then the refusal
    QVERIFY(extra.waitForDisconnected());
    QCOMPARE(extra.closeReason(), QStringLiteral("server full"));
    QCOMPARE(int(extra.closeCode()), 4013);
    QCOMPARE(extra.closeReason(), QStringLiteral("server full"));
    QCOMPARE(clients.front()
                     ->request({ { QStringLiteral("type"), QStringLiteral("ping") } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("pong"));
}

QTEST_GUILESS_MAIN(TestWebSocket)
#include "tst_websocket.moc"
