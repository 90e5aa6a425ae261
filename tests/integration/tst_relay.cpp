// Two server instances sharing one nats-server: traffic crosses instances without duplicates,
// each instance subscribes only to what its players need, the game server's presence and
// announcements arrive over NATS, and a NATS outage degrades to local service and recovers.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "bus/natsbus.h"
#include "chat/directory.h"
#include "moderation/muteservice.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kDocks = QStringLiteral("earth_arkham_docks_pier");

int countContent(const TestClient &c, const QString &text)
{
    int n = 0;
    for (const QJsonObject &e : c.eventsOfType(QStringLiteral("chat_message")))
        n += eventField(e, "content") == text;
    return n;
}

QJsonObject sendOn(TestClient &c, const QString &channel, const QString &text, const QString &target = {})
{
    QJsonObject frame { { QStringLiteral("type"), QStringLiteral("send") },
                        { QStringLiteral("channel"), channel },
                        { QStringLiteral("content"), text } };
    if (!target.isEmpty())
        frame.insert(QStringLiteral("target"), target);
    return c.request(frame);
}
} // namespace

class TestRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void roomTrafficCrossesInstancesOnce();
    void globalReachesEveryInstanceOnce();
    void whisperByNameToAnotherInstance();
    void subscriptionsFollowLocalPlayers();
    void gameServerPresenceAndAnnouncements();
    void playerOnTwoInstancesStaysFoundWhenLeavingOne();
    void malformedControlMessagesAreCountedAndResync();
    void natsOutageDegradesAndRecovers();

private:
    std::unique_ptr<TestClient> join(TestServer &server, const QString &id, const QString &name, const QString &room);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_alice, m_bob, m_carol, m_dave;
};

std::unique_ptr<TestClient> TestRelay::join(TestServer &server, const QString &id, const QString &name,
                                            const QString &room)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(server.port()) || c->authToken(tokenFor(id, name, QStringLiteral("player"), room)).isEmpty())
        return nullptr;
    return c;
}

void TestRelay::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config a = testConfig(m_nats.url());
    a.server.serverId = QStringLiteral("instance-a");
    Config b = testConfig(m_nats.url());
    b.server.serverId = QStringLiteral("instance-b");
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());
    // alice and bob in the foyer on A; carol in the foyer on B; dave at the docks on B.
    m_alice = join(*m_a, QStringLiteral("alice"), QStringLiteral("Alice"), kFoyer);
    m_bob = join(*m_a, QStringLiteral("bob"), QStringLiteral("Bob"), kFoyer);
    m_carol = join(*m_b, QStringLiteral("carol"), QStringLiteral("Carol"), kFoyer);
    m_dave = join(*m_b, QStringLiteral("dave"), QStringLiteral("Dave"), kDocks);
    QVERIFY(m_alice && m_bob && m_carol && m_dave);
    // Directories learn about the other instance's players over NATS.
    QVERIFY(QTest::qWaitFor(
            [&] {
                return m_a->app().directory()->resolve(QStringLiteral("Dave")).has_value()
                        && m_b->app().directory()->resolve(QStringLiteral("alice")).has_value();
            },
            5000));
    QCOMPARE(m_a->app().directory()->resolve(QStringLiteral("dave"))->servers,
             QSet<QString> { QStringLiteral("instance-b") });
}

void TestRelay::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
    m_dave.reset();
    m_a.reset();
    m_b.reset();
}

void TestRelay::roomTrafficCrossesInstancesOnce()
{
    QCOMPARE(sendOn(*m_alice, QStringLiteral("say"), QStringLiteral("hello foyer"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("hello foyer"))).isEmpty());
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("hello foyer"))).isEmpty());
    QTest::qWait(200);
    QCOMPARE(countContent(*m_carol, QStringLiteral("hello foyer")), 1);
    QCOMPARE(countContent(*m_bob, QStringLiteral("hello foyer")), 1);
    QCOMPARE(countContent(*m_dave, QStringLiteral("hello foyer")), 0);
    QCOMPARE(countContent(*m_alice, QStringLiteral("hello foyer")), 0);
}

void TestRelay::globalReachesEveryInstanceOnce()
{
    for (int i = 0; i < 20; ++i)
        sendOn(*m_carol, QStringLiteral("global"), QStringLiteral("g%1").arg(i));
    for (TestClient *c : { m_alice.get(), m_bob.get(), m_dave.get() })
        QVERIFY(!c->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("g19"))).isEmpty());
    QTest::qWait(200);
    for (TestClient *c : { m_alice.get(), m_bob.get(), m_dave.get() }) {
        // Exactly once each, and in the order sent.
        QStringList seen;
        for (const QJsonObject &e : c->eventsOfType(QStringLiteral("chat_message")))
            if (eventField(e, "content").startsWith(QLatin1Char('g')))
                seen.append(eventField(e, "content"));
        QStringList expected;
        for (int i = 0; i < 20; ++i)
            expected.append(QStringLiteral("g%1").arg(i));
        QCOMPARE(seen, expected);
    }
}

void TestRelay::whisperByNameToAnotherInstance()
{
    const QJsonObject ack =
            sendOn(*m_alice, QStringLiteral("whisper"), QStringLiteral("across the bus"), QStringLiteral("DAVE"));
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    const QJsonObject got =
            m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("across the bus")));
    QCOMPARE(eventField(got, "message"), QStringLiteral("Alice whispers to you: across the bus"));
    // reply goes back across instances too
    m_dave->request({ { QStringLiteral("type"), QStringLiteral("command") },
                      { QStringLiteral("text"), QStringLiteral("r got it") } });
    QVERIFY(!m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("got it"))).isEmpty());
}

void TestRelay::subscriptionsFollowLocalPlayers()
{
    Bus *busA = m_a->app().bus();
    QVERIFY(busA->hasInterest("chat.say." + kFoyer.toUtf8()));
    QVERIFY(!busA->hasInterest("chat.say." + kDocks.toUtf8())); // dave is on B
    QVERIFY(busA->hasInterest("chat.whisper.alice"));
    QVERIFY(!busA->hasInterest("chat.whisper.dave"));
    auto visitor = join(*m_a, QStringLiteral("visitor"), QStringLiteral("Visitor"), kDocks);
    QVERIFY(visitor);
    QVERIFY(busA->hasInterest("chat.say." + kDocks.toUtf8()));
    visitor.reset();
    QVERIFY(QTest::qWaitFor([&] { return !busA->hasInterest("chat.say." + kDocks.toUtf8()); }, 3000));
}

void TestRelay::gameServerPresenceAndAnnouncements()
{
    NatsBusOptions options;
    options.url = m_nats.url();
    NatsBus game(options);
    QSignalSpy connected(&game, &Bus::stateChanged);
    game.start();
    QVERIFY(QTest::qWaitFor([&] { return game.isConnected(); }, 5000));

    game.publish("mud.presence.dave", R"({"room_id":")" + kFoyer.toUtf8() + R"(","party_id":"p7"})");
    const QJsonObject presence = m_dave->waitFor(QStringLiteral("presence"), [](const QJsonObject &d) {
        return d.value(QStringLiteral("party_id")).toString() == QStringLiteral("p7");
    });
    QCOMPARE(eventField(presence, "room_id"), kFoyer);
    sendOn(*m_alice, QStringLiteral("say"), QStringLiteral("dave is here now"));
    QVERIFY(!m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("dave is here now"))).isEmpty());

    // Explicit scope ids win over the parsed ones.
    game.publish("mud.presence.carol", R"({"room_id":"limbo","zone_id":"earth_arkham"})");
    const QJsonObject p2 = m_carol->waitFor(QStringLiteral("presence"), [](const QJsonObject &d) {
        return d.value(QStringLiteral("room_id")).toString() == QStringLiteral("limbo");
    });
    QCOMPARE(p2.value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("scope_ids"))
                     .toObject()
                     .value(QStringLiteral("zone"))
                     .toString(),
             QStringLiteral("earth_arkham"));

    game.publish("chat.system", R"({"content":"The stars are right."})");
    for (TestClient *c : { m_alice.get(), m_bob.get(), m_carol.get(), m_dave.get() })
        QCOMPARE(eventField(
                         c->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("The stars are right."))),
                         "message"),
                 QStringLiteral("[SYSTEM] The stars are right."));

    QSignalSpy drained(&game, &Bus::drained);
    game.drain();
    QVERIFY(drained.wait(5000));
}

void TestRelay::playerOnTwoInstancesStaysFoundWhenLeavingOne()
{
    // Zed plays from two windows, one on each instance, then closes the one on B.
    auto onA = join(*m_a, QStringLiteral("zed"), QStringLiteral("Zed"), kDocks);
    auto onB = join(*m_b, QStringLiteral("zed"), QStringLiteral("Zed"), kDocks);
    QVERIFY(onA && onB);
    const QSet<QString> both { QStringLiteral("instance-a"), QStringLiteral("instance-b") };
    QVERIFY(QTest::qWaitFor(
            [&] {
                auto e = m_a->app().directory()->resolve(QStringLiteral("zed"));
                return e && e->servers == both;
            },
            5000));
    QVERIFY(QTest::qWaitFor(
            [&] {
                auto e = m_b->app().directory()->resolve(QStringLiteral("zed"));
                return e && e->servers == both;
            },
            5000));
    onB.reset();
    const QSet<QString> onlyA { QStringLiteral("instance-a") };
    QVERIFY(QTest::qWaitFor(
            [&] {
                auto e = m_b->app().directory()->resolve(QStringLiteral("zed"));
                return e && e->servers == onlyA;
            },
            5000));
    QVERIFY(QTest::qWaitFor(
            [&] {
                auto e = m_a->app().directory()->resolve(QStringLiteral("zed"));
                return e && e->servers == onlyA;
            },
            5000));
    // Carol on B can still whisper him.
    QCOMPARE(sendOn(*m_carol, QStringLiteral("whisper"), QStringLiteral("still there?"), QStringLiteral("Zed"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!onA->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("still there?"))).isEmpty());
    onA.reset();
    QVERIFY(QTest::qWaitFor([&] { return !m_b->app().directory()->resolve(QStringLiteral("zed")); }, 5000));
}

void TestRelay::malformedControlMessagesAreCountedAndResync()
{
    NatsBusOptions options;
    options.url = m_nats.url();
    NatsBus peer(options);
    peer.start();
    QVERIFY(QTest::qWaitFor([&] { return peer.isConnected(); }, 5000));
    // Listen for the roster request a confused instance sends.
    peer.addInterest("chat.control.presence");
    QSignalSpy received(&peer, &Bus::messageReceived);
    QTest::qWait(200); // the subscription reaches the server
    const quint64 before = m_a->app().directory()->rejectedControlMessages();
    const quint64 mutesBefore = m_a->app().mutes()->rejectedControlMessages();
    QVERIFY(peer.publish("chat.control.presence", "{not json"));
    QVERIFY(peer.publish("chat.control.mutes", R"({"op":"explode"})"));
    QVERIFY(QTest::qWaitFor(
            [&] {
                return m_a->app().directory()->rejectedControlMessages() == before + 1
                        && m_a->app().mutes()->rejectedControlMessages() == mutesBefore + 1;
            },
            5000));
    QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QList<QVariant> &args : std::as_const(received)) {
                    const QJsonObject m = QJsonDocument::fromJson(args.at(1).toByteArray()).object();
                    if (m.value(QStringLiteral("op")).toString() == QLatin1String("hello"))
                        return true;
                }
                return false;
            },
            5000));
    // The directories are whole again.
    QVERIFY(m_a->app().directory()->resolve(QStringLiteral("dave")).has_value());
    QVERIFY(m_b->app().directory()->resolve(QStringLiteral("alice")).has_value());
}

void TestRelay::natsOutageDegradesAndRecovers()
{
    auto health = [](TestServer &s) { return s.app().health(); };
    m_nats.stop();
    QVERIFY(QTest::qWaitFor(
            [&] { return health(*m_a).value(QStringLiteral("status")).toString() == QStringLiteral("degraded"); },
            5000));
    QCOMPARE(health(*m_a).value(QStringLiteral("nats")).toString(), QStringLiteral("disconnected"));

    // Local players keep chatting on A.
    sendOn(*m_alice, QStringLiteral("global"), QStringLiteral("while nats is down"));
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("while nats is down"))).isEmpty());

    // Longer than nats.c's own attempts (5 x 100 ms): the server must keep trying by itself.
    QTest::qWait(1500);
    QVERIFY(m_nats.start());
    QVERIFY(QTest::qWaitFor(
            [&] {
                return health(*m_a).value(QStringLiteral("status")).toString() == QStringLiteral("ok")
                        && health(*m_b).value(QStringLiteral("status")).toString() == QStringLiteral("ok");
            },
            15000));
    QVERIFY(m_a->app().bus()->reconnectCount() >= 1);
    // Cross-instance traffic flows again (give the resubscriptions a moment to land).
    QVERIFY(QTest::qWaitFor(
            [&] {
                sendOn(*m_alice, QStringLiteral("global"), QStringLiteral("nats is back"));
                return !m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("nats is back")), 300)
                                .isEmpty();
            },
            10000));
    // What was said during the outage reached B's players afterwards, once, marked late
    // (tst_catchup covers the catch-up in depth); A's own player had it live, once.
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("while nats is down")))
                     .isEmpty());
    QTest::qWait(200);
    QCOMPARE(countContent(*m_carol, QStringLiteral("while nats is down")), 1);
    for (const QJsonObject &e : m_carol->eventsOfType(QStringLiteral("chat_message")))
        if (eventField(e, "content") == QStringLiteral("while nats is down"))
            QVERIFY(e.value(QStringLiteral("data")).toObject().value(QStringLiteral("late")).toBool());
    QCOMPARE(countContent(*m_bob, QStringLiteral("while nats is down")), 1);
}

QTEST_GUILESS_MAIN(TestRelay)
#include "tst_relay.moc"
