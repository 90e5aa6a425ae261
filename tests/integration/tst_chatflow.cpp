// One server over a real nats-server: players chat on every channel and each message reaches
// exactly its scope; whispers by name, replies, commands, moves and the envelope.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kHall = QStringLiteral("earth_arkham_sanitarium_hall");
const QString kDocks = QStringLiteral("earth_arkham_docks_pier");
const QString kQuay = QStringLiteral("earth_innsmouth_harbor_quay");

} // namespace

class TestChatFlow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void welcomeDescribesThePlayer();
    void everyChannelReachesExactlyItsScope_data();
    void everyChannelReachesExactlyItsScope();
    void whisperByNameAndReply();
    void commandsMapToChannels();
    void moveChangesWhatYouHear();
    void staffAndSystemNeedTheirRoles();
    void envelopeSequenceIncreasesByOne();
    void bearerHeaderAuthenticates();

private:
    std::unique_ptr<TestClient> player(const QString &id, const QString &name, const QString &room,
                                       const QString &party = {}, const QString &role = QStringLiteral("player"));
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_carol, m_dave, m_erin;
};

std::unique_ptr<TestClient> TestChatFlow::player(const QString &id, const QString &name, const QString &room,
                                                 const QString &party, const QString &role)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(m_server->port()))
        return nullptr;
    if (c->authToken(tokenFor(id, name, role, room, party)).isEmpty())
        return nullptr;
    return c;
}

void TestChatFlow::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    m_server = std::make_unique<TestServer>(testConfig(m_nats.url()));
    QVERIFY(m_server->start());
    QVERIFY(m_server->waitForNats());
    // alice foyer + party p1; bob foyer; carol hall (same subzone); dave docks (same zone);
    // erin another zone, party p1.
    m_alice = player(QStringLiteral("alice"), QStringLiteral("Alice"), kFoyer, QStringLiteral("p1"));
    m_bob = player(QStringLiteral("bob"), QStringLiteral("Bob"), kFoyer);
    m_carol = player(QStringLiteral("carol"), QStringLiteral("Carol"), kHall);
    m_dave = player(QStringLiteral("dave"), QStringLiteral("Dave"), kDocks);
    m_erin = player(QStringLiteral("erin"), QStringLiteral("Erin"), kQuay, QStringLiteral("p1"));
    QVERIFY(m_alice && m_bob && m_carol && m_dave && m_erin);
}

void TestChatFlow::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
    m_dave.reset();
    m_erin.reset();
    m_server.reset();
}

void TestChatFlow::welcomeDescribesThePlayer()
{
    TestClient c;
    QVERIFY(c.open(m_server->port()));
    const QJsonObject w = c.authToken(tokenFor(QStringLiteral("zed"), QStringLiteral("Zed"), QStringLiteral("player"),
                                               kFoyer, QStringLiteral("p9")));
    QCOMPARE(w.value(QStringLiteral("player_id")).toString(), QStringLiteral("zed"));
    QCOMPARE(w.value(QStringLiteral("player_name")).toString(), QStringLiteral("Zed"));
    QCOMPARE(w.value(QStringLiteral("role")).toString(), QStringLiteral("player"));
    QCOMPARE(w.value(QStringLiteral("room_id")).toString(), kFoyer);
    QCOMPARE(w.value(QStringLiteral("party_id")).toString(), QStringLiteral("p9"));
    QCOMPARE(w.value(QStringLiteral("server_id")).toString(), m_server->app().serverId());
    const QJsonArray channels = w.value(QStringLiteral("channels")).toArray();
    QVERIFY(channels.contains(QStringLiteral("say")));
    QVERIFY(!channels.contains(QStringLiteral("system")));
    QVERIFY(!channels.contains(QStringLiteral("admin")));
}

void TestChatFlow::everyChannelReachesExactlyItsScope_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QStringList>("receivers");
    QTest::addColumn<QString>("printed");
    QTest::newRow("say") << "say" << QStringList { QStringLiteral("bob") } << "Alice says: %1";
    QTest::newRow("emote") << "emote" << QStringList { QStringLiteral("bob") } << "Alice %1.";
    QTest::newRow("local") << "local" << QStringList { QStringLiteral("bob"), QStringLiteral("carol") }
                           << "Alice (local): %1";
    QTest::newRow("zone") << "zone"
                          << QStringList { QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave") }
                          << "Alice (zone): %1";
    QTest::newRow("global") << "global"
                            << QStringList { QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave"),
                                             QStringLiteral("erin") }
                            << "Alice (global): %1";
    QTest::newRow("party") << "party" << QStringList { QStringLiteral("erin") } << "Alice (party): %1";
}

void TestChatFlow::everyChannelReachesExactlyItsScope()
{
    QFETCH(QString, channel);
    QFETCH(QStringList, receivers);
    QFETCH(QString, printed);
    const QString text = QStringLiteral("scope test on %1").arg(channel);
    const QJsonObject ack = m_alice->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                               { QStringLiteral("channel"), channel },
                                               { QStringLiteral("content"), text } });
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    const QString id = eventField(ack, "message_id");
    QVERIFY(!id.isEmpty());

    const QHash<QString, TestClient *> everyone { { QStringLiteral("bob"), m_bob.get() },
                                                  { QStringLiteral("carol"), m_carol.get() },
                                                  { QStringLiteral("dave"), m_dave.get() },
                                                  { QStringLiteral("erin"), m_erin.get() } };
    for (const QString &who : receivers) {
        const QJsonObject got = everyone[who]->waitFor(QStringLiteral("chat_message"), contentIs(text));
        QVERIFY2(!got.isEmpty(), qPrintable(who + QStringLiteral(" did not receive ") + channel));
        QCOMPARE(eventField(got, "message_id"), id);
        QCOMPARE(eventField(got, "channel"), channel);
        QCOMPARE(eventField(got, "sender_id"), QStringLiteral("alice"));
        QCOMPARE(eventField(got, "sender_name"), QStringLiteral("Alice"));
        QCOMPARE(eventField(got, "message"), printed.arg(text));
    }
    // Nobody outside the scope (and not the sender) gets it. The receivers above had it within
    // milliseconds, so a short quiet period is enough for the rest.
    QTest::qWait(150);
    for (auto it = everyone.cbegin(); it != everyone.cend(); ++it) {
        if (receivers.contains(it.key()))
            continue;
        QVERIFY2(it.value()->waitFor(QStringLiteral("chat_message"), contentIs(text), 0).isEmpty(),
                 qPrintable(it.key() + QStringLiteral(" received ") + channel + QStringLiteral(" outside its scope")));
    }
    QVERIFY(m_alice->waitFor(QStringLiteral("chat_message"), contentIs(text), 0).isEmpty());
}

void TestChatFlow::whisperByNameAndReply()
{
    const QJsonObject ack = m_alice->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                               { QStringLiteral("channel"), QStringLiteral("whisper") },
                                               { QStringLiteral("target"), QStringLiteral("dAvE") },
                                               { QStringLiteral("content"), QStringLiteral("psst dave") } });
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    const QJsonObject got = m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("psst dave")));
    QVERIFY(!got.isEmpty());
    QCOMPARE(eventField(got, "message"), QStringLiteral("Alice whispers to you: psst dave"));
    QCOMPARE(eventField(got, "target_id"), QStringLiteral("dave"));
    QVERIFY(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("psst dave")), 100).isEmpty());

    const QJsonObject replyAck = m_dave->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                                   { QStringLiteral("text"), QStringLiteral("/r hello back") } });
    QCOMPARE(replyAck.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    const QJsonObject back = m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("hello back")));
    QCOMPARE(eventField(back, "message"), QStringLiteral("Dave whispers to you: hello back"));

    const QJsonObject unknown = m_alice->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                                   { QStringLiteral("channel"), QStringLiteral("whisper") },
                                                   { QStringLiteral("target"), QStringLiteral("Nobody") },
                                                   { QStringLiteral("content"), QStringLiteral("hi") } });
    QCOMPARE(eventField(unknown, "code"), QStringLiteral("unknown_target"));
    const QJsonObject self = m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                                { QStringLiteral("text"), QStringLiteral("tell alice hi me") } });
    QCOMPARE(eventField(self, "code"), QStringLiteral("invalid_request"));
    TestClient fresh;
    QVERIFY(fresh.open(m_server->port()));
    QVERIFY(!fresh.authGuest(QStringLiteral("Newbie")).isEmpty());
    const QJsonObject noOne = fresh.request({ { QStringLiteral("type"), QStringLiteral("command") },
                                              { QStringLiteral("text"), QStringLiteral("reply hi") } });
    QCOMPARE(eventField(noOne, "code"), QStringLiteral("invalid_request"));
}

void TestChatFlow::commandsMapToChannels()
{
    const QJsonObject a1 = m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                              { QStringLiteral("text"), QStringLiteral("'quoted say") } });
    QCOMPARE(a1.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(eventField(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("quoted say"))),
                        "channel"),
             QStringLiteral("say"));
    m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                       { QStringLiteral("text"), QStringLiteral("/Z zone by alias") } });
    QCOMPARE(eventField(m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("zone by alias"))),
                        "channel"),
             QStringLiteral("zone"));
    m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                       { QStringLiteral("text"), QStringLiteral("me grins") } });
    QCOMPARE(eventField(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("grins"))), "message"),
             QStringLiteral("Alice grins."));
    m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                       { QStringLiteral("text"), QStringLiteral("just talking") } });
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("just talking"))).isEmpty());
    const QJsonObject unknown = m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                                   { QStringLiteral("text"), QStringLiteral("/dance") } });
    QCOMPARE(eventField(unknown, "code"), QStringLiteral("invalid_request"));
    QVERIFY(eventField(unknown, "message").contains(QStringLiteral("unknown command")));
    const QJsonObject help = m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                                { QStringLiteral("text"), QStringLiteral("help") } });
    QCOMPARE(help.value(QStringLiteral("event_type")).toString(), QStringLiteral("command_response"));
    QVERIFY(eventField(help, "result").contains(QStringLiteral("whisper")));
}

void TestChatFlow::moveChangesWhatYouHear()
{
    auto mover = player(QStringLiteral("mover"), QStringLiteral("Mover"), kQuay);
    QVERIFY(mover);
    const QJsonObject presence = mover->request(
            { { QStringLiteral("type"), QStringLiteral("move") }, { QStringLiteral("room_id"), kFoyer } });
    QCOMPARE(presence.value(QStringLiteral("event_type")).toString(), QStringLiteral("presence"));
    const QJsonObject scopes =
            presence.value(QStringLiteral("data")).toObject().value(QStringLiteral("scope_ids")).toObject();
    QCOMPARE(scopes.value(QStringLiteral("zone")).toString(), QStringLiteral("earth_arkham"));
    QCOMPARE(scopes.value(QStringLiteral("subzone")).toString(), QStringLiteral("earth_arkham_sanitarium"));
    m_bob->request({ { QStringLiteral("type"), QStringLiteral("send") },
                     { QStringLiteral("channel"), QStringLiteral("say") },
                     { QStringLiteral("content"), QStringLiteral("welcome mover") } });
    QVERIFY(!mover->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("welcome mover"))).isEmpty());

    const QJsonObject injected = mover->request({ { QStringLiteral("type"), QStringLiteral("move") },
                                                  { QStringLiteral("room_id"), QStringLiteral("earth.>") } });
    QCOMPARE(eventField(injected, "code"), QStringLiteral("invalid_request"));
    const QJsonObject party = mover->request({ { QStringLiteral("type"), QStringLiteral("party") },
                                               { QStringLiteral("party_id"), QStringLiteral("p1") } });
    QCOMPARE(party.value(QStringLiteral("data")).toObject().value(QStringLiteral("party_id")).toString(),
             QStringLiteral("p1"));
    m_erin->request({ { QStringLiteral("type"), QStringLiteral("send") },
                      { QStringLiteral("channel"), QStringLiteral("party") },
                      { QStringLiteral("content"), QStringLiteral("party hello") } });
    QVERIFY(!mover->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("party hello"))).isEmpty());
    const QJsonObject leave = mover->request(
            { { QStringLiteral("type"), QStringLiteral("party") }, { QStringLiteral("party_id"), QJsonValue() } });
    QVERIFY(leave.value(QStringLiteral("data")).toObject().value(QStringLiteral("party_id")).isNull());
    const QJsonObject noParty = mover->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                                 { QStringLiteral("channel"), QStringLiteral("party") },
                                                 { QStringLiteral("content"), QStringLiteral("anyone?") } });
    QCOMPARE(eventField(noParty, "code"), QStringLiteral("invalid_request"));
}

void TestChatFlow::staffAndSystemNeedTheirRoles()
{
    auto mod = player(QStringLiteral("mod1"), QStringLiteral("Mod"), kDocks, {}, QStringLiteral("moderator"));
    auto admin = player(QStringLiteral("admin1"), QStringLiteral("Root"), kQuay, {}, QStringLiteral("admin"));
    QVERIFY(mod && admin);
    const QJsonObject refused = m_alice->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                                   { QStringLiteral("channel"), QStringLiteral("admin") },
                                                   { QStringLiteral("content"), QStringLiteral("let me in") } });
    QCOMPARE(eventField(refused, "code"), QStringLiteral("forbidden"));
    const QJsonObject ack = mod->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                           { QStringLiteral("channel"), QStringLiteral("admin") },
                                           { QStringLiteral("content"), QStringLiteral("staff only") } });
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(eventField(admin->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("staff only"))),
                        "message"),
             QStringLiteral("[ADMIN] Mod: staff only"));
    QVERIFY(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("staff only")), 150).isEmpty());

    const QJsonObject modSystem = mod->request({ { QStringLiteral("type"), QStringLiteral("send") },
                                                 { QStringLiteral("channel"), QStringLiteral("system") },
                                                 { QStringLiteral("content"), QStringLiteral("nope") } });
    QCOMPARE(eventField(modSystem, "code"), QStringLiteral("forbidden"));
    admin->request({ { QStringLiteral("type"), QStringLiteral("send") },
                     { QStringLiteral("channel"), QStringLiteral("system") },
                     { QStringLiteral("content"), QStringLiteral("reboot soon") } });
    QCOMPARE(eventField(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("reboot soon"))),
                        "message"),
             QStringLiteral("[SYSTEM] reboot soon"));
    QVERIFY(!mod->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("reboot soon"))).isEmpty());
}

void TestChatFlow::envelopeSequenceIncreasesByOne()
{
    const QList<QJsonObject> &events = m_bob->events();
    QVERIFY(events.size() > 5);
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].value(QStringLiteral("sequence_number")).toInteger(), i + 1);
        QVERIFY(!events[i].value(QStringLiteral("timestamp")).toString().isEmpty());
        QVERIFY(events[i].value(QStringLiteral("data")).isObject());
    }
}

void TestChatFlow::bearerHeaderAuthenticates()
{
    TestClient c;
    QVERIFY(c.open(
            m_server->port(),
            "Bearer " + tokenFor(QStringLiteral("hdr"), QStringLiteral("Header"), QStringLiteral("player"), kFoyer)));
    const QJsonObject w = c.waitFor(QStringLiteral("welcome"));
    QCOMPARE(eventField(w, "player_id"), QStringLiteral("hdr"));
    TestClient bad;
    QVERIFY(bad.open(m_server->port(), "Bearer not-a-token"));
    QCOMPARE(eventField(bad.waitFor(QStringLiteral("error")), "code"), QStringLiteral("unauthenticated"));
    QVERIFY(bad.waitForDisconnected());
}

QTEST_GUILESS_MAIN(TestChatFlow)
#include "tst_chatflow.moc"
