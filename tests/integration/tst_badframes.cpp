// Bad input gets a clear error code and the connection stays usable; only sustained abuse or
// a client that stops reading gets disconnected (with a close reason).
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "auth/jwt.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

QString code(const QJsonObject &event)
{
    return event.value(QStringLiteral("data")).toObject().value(QStringLiteral("code")).toString();
}

// A WebSocket client that completes the handshake and authenticates, then never reads again.
class StalledClient
{
public:
    bool connectAndAuth(quint16 port, const QByteArray &token)
    {
        // A small receive buffer keeps the kernel from absorbing megabytes on our behalf.
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        // The server runs in this thread: wait by spinning the event loop, never by blocking.
        if (!QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 3000))
            return false;
        m_socket.setReadBufferSize(1); // stop draining the kernel buffer once the handshake is read
        m_socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        // Send the first frame only once the upgrade is answered, as a browser would.
        if (!QTest::qWaitFor([&] { return m_socket.bytesAvailable() > 0; }, 3000))
            return false;
        m_socket.write(maskedFrame(0x81, R"({"type":"auth","token":")" + token + R"("})"));
        return QTest::qWaitFor([&] { return m_socket.bytesToWrite() == 0; }, 3000);
    }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QTcpSocket m_socket;
};
} // namespace

class TestBadFrames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void badFrameGetsCodeAndConnectionStaysUsable_data();
    void badFrameGetsCodeAndConnectionStaysUsable();
    void requestsBeforeAuthAreRefused();
    void badTokensAreRefusedAndClosed_data();
    void badTokensAreRefusedAndClosed();
    void repeatedAbuseClosesTheConnection();
    void clientThatStopsReadingIsDisconnected();
    void invalidUtf8InAnUnfinishedFragmentClosesAtOnce();

private:
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_client;
};

void TestBadFrames::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    config.nats.maxPayload = 4096;
    config.server.outboundQueueLimitKiB = 256;
    // Group commits deliver in bursts, and the reading client here shares the server's thread;
    // without history every message is delivered as it is sent, which is what this suite needs.
    config.history.enabled = false;
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start());
    QVERIFY(m_server->waitForNats());
    m_client = std::make_unique<TestClient>();
    QVERIFY(m_client->open(m_server->port()));
    QVERIFY(!m_client->authToken(tokenFor(QStringLiteral("tester"), QStringLiteral("Tester"), QStringLiteral("player"),
                                          kFoyer))
                     .isEmpty());
}

void TestBadFrames::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void TestBadFrames::badFrameGetsCodeAndConnectionStaysUsable_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("expectedCode");
    const QString tooLong = QString(501, QLatin1Char('x'));
    QTest::newRow("invalid json") << R"({"type": "send", )"
                                  << "invalid_json";
    QTest::newRow("not an object") << R"([1, 2, 3])"
                                   << "invalid_request";
    QTest::newRow("no type") << R"({"channel":"say"})"
                             << "invalid_request";
    QTest::newRow("unknown type") << R"({"type":"dance"})"
                                  << "unknown_type";
    QTest::newRow("unknown channel") << R"({"type":"send","channel":"shout","content":"hi"})"
                                     << "unknown_channel";
    QTest::newRow("empty") << R"({"type":"send","channel":"say","content":"   "})"
                           << "empty";
    QTest::newRow("too long") << QStringLiteral(R"({"type":"send","channel":"say","content":"%1"})").arg(tooLong)
                              << "too_long";
    QTest::newRow("content not a string") << R"({"type":"send","channel":"say","content":5})"
                                          << "invalid_request";
    QTest::newRow("oversized frame")
            << QStringLiteral(R"({"type":"send","channel":"say","content":"%1"})").arg(QString(5000, QLatin1Char('y')))
            << "payload_too_large";
    QTest::newRow("injected room id") << R"({"type":"move","room_id":"earth.*"})"
                                      << "invalid_request";
    QTest::newRow("room id with space") << R"({"type":"move","room_id":"earth arkham"})"
                                        << "invalid_request";
    QTest::newRow("injected party") << R"({"type":"party","party_id":"p1.>"})"
                                    << "invalid_request";
    QTest::newRow("ref too long") << QStringLiteral(R"({"type":"ping","ref":"%1"})").arg(QString(65, QLatin1Char('r')))
                                  << "invalid_request";
    QTest::newRow("second auth") << R"({"type":"auth","guest_name":"Again"})"
                                 << "invalid_request";
}

void TestBadFrames::badFrameGetsCodeAndConnectionStaysUsable()
{
    QFETCH(QString, frame);
    QFETCH(QString, expectedCode);
    m_client->clear();
    m_client->sendRaw(frame);
    const QJsonObject error = m_client->waitFor(QStringLiteral("error"));
    QCOMPARE(code(error), expectedCode);
    QVERIFY(!error.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString().isEmpty());
    // Still usable: a ping is answered.
    const QJsonObject pong = m_client->request({ { QStringLiteral("type"), QStringLiteral("ping") } });
    QCOMPARE(pong.value(QStringLiteral("event_type")).toString(), QStringLiteral("pong"));
}

void TestBadFrames::requestsBeforeAuthAreRefused()
{
    TestClient c;
    QVERIFY(c.open(m_server->port()));
    const QJsonObject pong = c.request({ { QStringLiteral("type"), QStringLiteral("ping") } });
    QCOMPARE(pong.value(QStringLiteral("event_type")).toString(), QStringLiteral("pong"));
    const QJsonObject refused = c.request({ { QStringLiteral("type"), QStringLiteral("send") },
                                            { QStringLiteral("channel"), QStringLiteral("say") },
                                            { QStringLiteral("content"), QStringLiteral("hi") } });
    QCOMPARE(code(refused), QStringLiteral("unauthenticated"));
    c.sendBinary("\x01\x02");
    QCOMPARE(code(c.waitFor(QStringLiteral("error"),
                            [](const QJsonObject &d) {
                                return d.value(QStringLiteral("code")) != QStringLiteral("unauthenticated");
                            })),
             QStringLiteral("invalid_request"));
    QVERIFY(c.isConnected());
}

void TestBadFrames::badTokensAreRefusedAndClosed_data()
{
    QTest::addColumn<QJsonObject>("auth");
    TokenClaims expired {
        QStringLiteral("x"), QStringLiteral("X"), Role::Player, QDateTime::currentSecsSinceEpoch() - 10, {}, {}
    };
    QTest::newRow("garbage") << QJsonObject { { QStringLiteral("token"), QStringLiteral("abc.def.ghi") } };
    QTest::newRow("wrong secret") << QJsonObject { { QStringLiteral("token"),
                                                     QString::fromUtf8(
                                                             jwt::mint({ QStringLiteral("x"),
                                                                         QStringLiteral("X"),
                                                                         Role::Player,
                                                                         QDateTime::currentSecsSinceEpoch() + 60,
                                                                         {},
                                                                         {} },
                                                                       "other")) } };
    QTest::newRow("expired") << QJsonObject { { QStringLiteral("token"),
                                                QString::fromUtf8(jwt::mint(expired, kTestSecret)) } };
    QTest::newRow("nothing") << QJsonObject {};
    QTest::newRow("bad guest name") << QJsonObject { { QStringLiteral("guest_name"), QStringLiteral("a.b") } };
}

void TestBadFrames::badTokensAreRefusedAndClosed()
{
    QFETCH(QJsonObject, auth);
    TestClient c;
    QVERIFY(c.open(m_server->port()));
    auth.insert(QStringLiteral("type"), QStringLiteral("auth"));
    const QJsonObject reply = c.request(auth);
    QCOMPARE(code(reply), QStringLiteral("unauthenticated"));
    QVERIFY(c.waitForDisconnected());
    QCOMPARE(c.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

void TestBadFrames::repeatedAbuseClosesTheConnection()
{
    TestClient c;
    QVERIFY(c.open(m_server->port()));
    for (int i = 0; i < 40 && c.isConnected(); ++i) {
        c.sendRaw(QStringLiteral("{not json"));
        QTest::qWait(2);
    }
    QVERIFY(c.waitForDisconnected());
    QCOMPARE(c.closeReason(), QStringLiteral("too many invalid frames"));
}

void TestBadFrames::clientThatStopsReadingIsDisconnected()
{
    StalledClient stalled;
    QVERIFY(stalled.connectAndAuth(
            m_server->port(),
            tokenFor(QStringLiteral("sleepy"), QStringLiteral("Sleepy"), QStringLiteral("player"), kFoyer)));
    QVERIFY(QTest::qWaitFor([&] { return m_server->app().health().value(QStringLiteral("players")).toInt() >= 2; },
                            5000));

    TestClient listener;
    QVERIFY(listener.open(m_server->port()));
    QVERIFY(!listener.authToken(tokenFor(QStringLiteral("awake"), QStringLiteral("Awake"), QStringLiteral("player"),
                                         kFoyer))
                     .isEmpty());

    // Flood the room until the stalled client's backlog passes the 256 KiB limit (plus whatever
    // the kernel buffers). Bounded: at most 20,000 messages of ~1 KB.
    const QString text = QString(1000, QLatin1Char('z'));
    int sent = 0;
    const int players = [&] { return m_server->app().health().value(QStringLiteral("players")).toInt(); }();
    QCOMPARE(players, 3);
    while (sent < 20000 && m_server->app().health().value(QStringLiteral("players")).toInt() == 3) {
        m_client->send({ { QStringLiteral("type"), QStringLiteral("send") },
                         { QStringLiteral("channel"), QStringLiteral("global") },
                         { QStringLiteral("content"), text } });
        if (++sent % 10 == 0)
            QTest::qWait(1);
    }
    QVERIFY2(QTest::qWaitFor([&] { return m_server->app().health().value(QStringLiteral("players")).toInt() == 2; },
                             10000),
             "the stalled client was not disconnected");
    QVERIFY(sent < 20000);
    // The reading player was not held back: it receives everything that was sent.
    QVERIFY(QTest::qWaitFor([&] { return listener.eventsOfType(QStringLiteral("chat_message")).size() >= sent; },
                            20000));
}

void TestBadFrames::invalidUtf8InAnUnfinishedFragmentClosesAtOnce()
{
    // RFC 6455 §8.1: the connection fails when the invalid bytes arrive. The first fragment is
    // already invalid and FIN is never sent, so a server that validates only complete messages
    // would wait forever.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 3000));
    socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return received.contains("\r\n\r\n");
            },
            3000));
    received.remove(0, received.indexOf("\r\n\r\n") + 4);
    socket.write(maskedFrame(0x01, QByteArray("{\"type\":\"\xff", 10))); // text, FIN clear
    // The close frame (0x88, code 1007) arrives without any further frame from us.
    QVERIFY2(QTest::qWaitFor(
                     [&] {
                         received += socket.readAll();
                         return received.size() >= 4;
                     },
                     2000),
             "no close frame after an invalid first fragment");
    QCOMPARE(quint8(received.at(0)), quint8(0x88));
    QCOMPARE((quint16(quint8(received.at(2))) << 8) | quint8(received.at(3)), 1007);
    QVERIFY(QTest::qWaitFor(
            [&] {
                socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            3000));
}

QTEST_GUILESS_MAIN(TestBadFrames)
#include "tst_badframes.moc"
