// Sharing a bus with a MythosMUD game server during a migration (docs/migration.md): with
// MythosMUD's subject templates (`nats.subjects`) our messages appear on the subjects its server
// reads, its messages on those subjects reach our players in scope as proper chat_message
// events (and our history), whatever disagrees with its subject is dropped, and two of our
// instances still relay to each other.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "bus/natsbus.h"
#include "chat/chatservice.h"
#include "util/ids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");
const QString kDocks = QStringLiteral("earth_innsmouth_docks_pier_002");
const QString kZed = QStringLiteral("99999999-9999-4999-8999-999999999999"); // a MythosMUD player

QMap<QString, QString> mythosTemplates()
{
    return { { QStringLiteral("say"), QStringLiteral("chat.say.room.{room_id}") },
             { QStringLiteral("emote"), QStringLiteral("chat.emote.room.{room_id}") },
             { QStringLiteral("local"), QStringLiteral("chat.local.subzone.{subzone}") },
             { QStringLiteral("party"), QStringLiteral("chat.party.group.{party_id}") },
             { QStringLiteral("whisper"), QStringLiteral("chat.whisper.player.{id}") } };
}

// A chat message as MythosMUD's server publishes it (chat_nats_publisher.py: message_data).
QJsonObject mythosMessage(const QString &id, const QString &channel, const QString &content, const QString &roomId)
{
    return { { QStringLiteral("message_id"), id },
             { QStringLiteral("sender_id"), kZed },
             { QStringLiteral("sender_name"), QStringLiteral("Zed") },
             { QStringLiteral("channel"), channel },
             { QStringLiteral("content"), content },
             { QStringLiteral("timestamp"), QStringLiteral("2026-12-07T19:00:00.123456+00:00") },
             { QStringLiteral("room_id"), roomId } };
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

quint64 refused(TestServer &server, const char *code)
{
    return server.app().chat()->stats().refusedByCode.value(QLatin1String(code));
}
} // namespace

class TestSharedBus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void ourMessagesOnTheGameSubjects();
    void gameMessagesReachPlayersInScope();
    void gameWhisperReachesTheTarget();
    void gamePartyAndEmote();
    void disagreeingMessagesAreDropped();
    void ourInstancesStillRelay();

private:
    std::unique_ptr<TestClient> join(TestServer &server, const QString &id, const QString &name, const QString &room,
                                     const QString &party = {});
    // Publishes as the game and waits until `marker` (a say in the foyer) reached alice, so
    // everything published before it has been handled by instance A.
    void publishAndSync(const QByteArray &subject, const QJsonObject &payload, const QString &marker);

    NatsServer m_nats;
    std::unique_ptr<NatsBus> m_game;
    QList<QPair<QByteArray, QJsonObject>> m_seen; // what the game's subscriptions received
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_alice, m_bob, m_carol, m_dave;
};

std::unique_ptr<TestClient> TestSharedBus::join(TestServer &server, const QString &id, const QString &name,
                                                const QString &room, const QString &party)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(server.port()) || c->authToken(tokenFor(id, name, QStringLiteral("player"), room, party)).isEmpty())
        return nullptr;
    return c;
}

void TestSharedBus::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config a = testConfig(m_nats.url());
    a.server.serverId = QStringLiteral("instance-a");
    a.nats.subjects = mythosTemplates();
    Config b = a;
    b.server.serverId = QStringLiteral("instance-b");
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());

    NatsBusOptions options;
    options.url = m_nats.url();
    options.clientName = QStringLiteral("mythosmud");
    m_game = std::make_unique<NatsBus>(options);
    connect(m_game.get(), &Bus::messageReceived, this, [this](const QByteArray &subject, const QByteArray &payload) {
        m_seen.append({ subject, QJsonDocument::fromJson(payload).object() });
    });
    m_game->start();
    QVERIFY(QTest::qWaitFor([&] { return m_game->isConnected(); }, 5000));
    m_game->addInterest("chat.>");

    // alice (foyer, party p7) and bob (docks) on A; carol (foyer, party p7) and dave (docks) on B.
    m_alice = join(*m_a, QStringLiteral("alice"), QStringLiteral("Alice"), kFoyer, QStringLiteral("p7"));
    m_bob = join(*m_a, QStringLiteral("bob"), QStringLiteral("Bob"), kDocks);
    m_carol = join(*m_b, QStringLiteral("carol"), QStringLiteral("Carol"), kFoyer, QStringLiteral("p7"));
    m_dave = join(*m_b, QStringLiteral("dave"), QStringLiteral("Dave"), kDocks);
    QVERIFY(m_alice && m_bob && m_carol && m_dave);
    QVERIFY(m_a->app().bus()->hasInterest("chat.say.room." + kFoyer.toUtf8()));
    QVERIFY(!m_a->app().bus()->hasInterest("chat.say." + kFoyer.toUtf8()));
    QVERIFY(m_b->app().bus()->hasInterest("chat.whisper.player.dave"));
}

void TestSharedBus::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
    m_dave.reset();
    if (m_game) {
        QSignalSpy drained(m_game.get(), &Bus::drained);
        m_game->drain();
        drained.wait(5000);
    }
    m_a.reset();
    m_b.reset();
}

void TestSharedBus::publishAndSync(const QByteArray &subject, const QJsonObject &payload, const QString &marker)
{
    m_game->publish(subject, json(payload));
    const QString markerId = QStringLiteral("marker-") + marker;
    m_game->publish("chat.say.room." + kFoyer.toUtf8(),
                    json(mythosMessage(markerId, QStringLiteral("say"), marker, kFoyer)));
    QVERIFY2(!m_alice->waitFor(QStringLiteral("chat_message"), contentIs(marker)).isEmpty(), qPrintable(marker));
    QVERIFY2(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(marker)).isEmpty(), qPrintable(marker));
}

void TestSharedBus::ourMessagesOnTheGameSubjects()
{
    struct Case
    {
        QString channel, content, target;
        QByteArray subject;
    };
    const QList<Case> cases {
        { QStringLiteral("say"), QStringLiteral("hello from chat"), {}, "chat.say.room." + kFoyer.toUtf8() },
        { QStringLiteral("emote"), QStringLiteral("waves"), {}, "chat.emote.room." + kFoyer.toUtf8() },
        // Our scope id fills the placeholder: the subzone as PROTOCOL §2 forms it.
        { QStringLiteral("local"),
          QStringLiteral("anyone near?"),
          {},
          QByteArrayLiteral("chat.local.subzone.earth_arkhamcity_sanitarium") },
        { QStringLiteral("party"), QStringLiteral("to the party"), {}, QByteArrayLiteral("chat.party.group.p7") },
        { QStringLiteral("whisper"), QStringLiteral("psst"), QStringLiteral("Dave"),
          QByteArrayLiteral("chat.whisper.player.dave") },
        { QStringLiteral("global"), QStringLiteral("to everyone"), {}, QByteArrayLiteral("chat.global") },
    };
    for (const Case &c : cases) {
        const QJsonObject ack = m_alice->request(sendFrame(c.channel, c.content, c.target));
        QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
        QVERIFY2(QTest::qWaitFor(
                         [&] {
                             return std::any_of(m_seen.cbegin(), m_seen.cend(), [&](const auto &s) {
                                 return s.second.value(QStringLiteral("content")).toString() == c.content;
                             });
                         },
                         5000),
                 qPrintable(c.channel));
        const auto it = std::find_if(m_seen.cbegin(), m_seen.cend(), [&](const auto &s) {
            return s.second.value(QStringLiteral("content")).toString() == c.content;
        });
        QCOMPARE(it->first, c.subject);
        // What MythosMUD's handler reads is there.
        QCOMPARE(it->second.value(QStringLiteral("channel")).toString(), c.channel);
        QCOMPARE(it->second.value(QStringLiteral("sender_id")).toString(), QStringLiteral("alice"));
        QCOMPARE(it->second.value(QStringLiteral("sender_name")).toString(), QStringLiteral("Alice"));
        QCOMPARE(it->second.value(QStringLiteral("message_id")).toString(), eventField(ack, "message_id"));
        QVERIFY(!it->second.value(QStringLiteral("timestamp")).toString().isEmpty());
    }
    // The whisper reached its target on the other instance.
    QCOMPARE(eventField(m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("psst"))), "message"),
             QStringLiteral("Alice whispers to you: psst"));
}

void TestSharedBus::gameMessagesReachPlayersInScope()
{
    const QString sourceId = QStringLiteral("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    m_game->publish("chat.say.room." + kFoyer.toUtf8(),
                    json(mythosMessage(sourceId, QStringLiteral("say"), QStringLiteral("Who goes there?"), kFoyer)));
    for (TestClient *c : { m_alice.get(), m_carol.get() }) {
        const QJsonObject event =
                c->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("Who goes there?")));
        QVERIFY(!event.isEmpty());
        const QJsonObject d = eventData(event);
        QCOMPARE(d.value(QStringLiteral("sender_id")).toString(), kZed);
        QCOMPARE(d.value(QStringLiteral("sender_name")).toString(), QStringLiteral("Zed"));
        QCOMPARE(d.value(QStringLiteral("channel")).toString(), QStringLiteral("say"));
        QCOMPARE(d.value(QStringLiteral("message")).toString(), QStringLiteral("Zed says: Who goes there?"));
        QCOMPARE(d.value(QStringLiteral("room_id")).toString(), kFoyer);
        QCOMPARE(d.value(QStringLiteral("scope_id")).toString(), kFoyer);
        QCOMPARE(d.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2026-12-07T19:00:00.123Z"));
        QCOMPARE(d.value(QStringLiteral("filtered")).toBool(), false);
        // The id the import would give the same message: minted form, sorted by its time.
        QCOMPARE(d.value(QStringLiteral("message_id")).toString(),
                 importedMessageId(QDateTime::fromString(QStringLiteral("2026-12-07T19:00:00.123Z"), Qt::ISODateWithMs),
                                   sourceId));
    }
    // In the history of both instances (each has its own database here).
    for (TestClient *c : { m_alice.get(), m_carol.get() }) {
        const QJsonObject history = c->request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                 { QStringLiteral("channel"), QStringLiteral("say") } });
        const QJsonArray messages = eventData(history).value(QStringLiteral("messages")).toArray();
        QVERIFY(std::any_of(messages.begin(), messages.end(), [](const QJsonValue &m) {
            return m.toObject().value(QStringLiteral("content")).toString() == QStringLiteral("Who goes there?");
        }));
    }
    // Nobody at the docks; sent twice (a MythosMUD retry), delivered once.
    publishAndSync("chat.say.room." + kFoyer.toUtf8(),
                   mythosMessage(sourceId, QStringLiteral("say"), QStringLiteral("Who goes there?"), kFoyer),
                   QStringLiteral("sync 1"));
    for (TestClient *c : { m_bob.get(), m_dave.get() })
        QVERIFY(std::none_of(c->events().cbegin(), c->events().cend(), [](const QJsonObject &e) {
            return eventField(e, "content") == QStringLiteral("Who goes there?");
        }));
    int copies = 0;
    for (const QJsonObject &e : m_alice->eventsOfType(QStringLiteral("chat_message")))
        copies += eventField(e, "content") == QStringLiteral("Who goes there?");
    QCOMPARE(copies, 1);

    // A local line on the subzone subject reaches the foyer, not the docks.
    m_game->publish("chat.local.subzone.earth_arkhamcity_sanitarium",
                    json(mythosMessage(QStringLiteral("loc-1"), QStringLiteral("local"),
                                       QStringLiteral("In the halls."), kFoyer)));
    QCOMPARE(eventField(m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("In the halls."))),
                        "message"),
             QStringLiteral("Zed (local): In the halls."));
    QVERIFY(m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("In the halls.")), 300).isEmpty());
}

void TestSharedBus::gameWhisperReachesTheTarget()
{
    QJsonObject whisper =
            mythosMessage(QStringLiteral("w-1"), QStringLiteral("whisper"), QStringLiteral("a secret"), kFoyer);
    whisper.insert(QStringLiteral("target_player_id"), QStringLiteral("dave"));
    m_game->publish("chat.whisper.player.dave", json(whisper));
    const QJsonObject d =
            eventData(m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("a secret"))));
    QCOMPARE(d.value(QStringLiteral("message")).toString(), QStringLiteral("Zed whispers to you: a secret"));
    QCOMPARE(d.value(QStringLiteral("target_id")).toString(), QStringLiteral("dave"));
    QCOMPARE(d.value(QStringLiteral("target_name")).toString(), QStringLiteral("Dave"));
    QVERIFY(!d.contains(QStringLiteral("room_id")));
    publishAndSync("chat.global",
                   mythosMessage(QStringLiteral("g-1"), QStringLiteral("global"), QStringLiteral("hello all"), kFoyer),
                   QStringLiteral("sync 2"));
    for (TestClient *c : { m_alice.get(), m_bob.get(), m_carol.get() })
        QVERIFY(std::none_of(c->events().cbegin(), c->events().cend(), [](const QJsonObject &e) {
            return eventField(e, "content") == QStringLiteral("a secret");
        }));
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("hello all"))).isEmpty());
}

void TestSharedBus::gamePartyAndEmote()
{
    QJsonObject party =
            mythosMessage(QStringLiteral("p-1"), QStringLiteral("party"), QStringLiteral("regroup"), kDocks);
    party.insert(QStringLiteral("party_id"), QStringLiteral("p7"));
    m_game->publish("chat.party.group.p7", json(party));
    const QJsonObject d =
            eventData(m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("regroup"))));
    QCOMPARE(d.value(QStringLiteral("party_id")).toString(), QStringLiteral("p7"));
    QCOMPARE(d.value(QStringLiteral("message")).toString(), QStringLiteral("Zed (party): regroup"));
    m_game->publish(
            "chat.emote.room." + kFoyer.toUtf8(),
            json(mythosMessage(QStringLiteral("e-1"), QStringLiteral("emote"), QStringLiteral("shivers"), kFoyer)));
    QCOMPARE(eventField(m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("shivers"))),
                        "message"),
             QStringLiteral("Zed shivers."));
}

void TestSharedBus::disagreeingMessagesAreDropped()
{
    const QByteArray foyer = "chat.say.room." + kFoyer.toUtf8();
    const quint64 wrongSubject = refused(*m_a, "relay_wrong_subject");
    const quint64 invalid = refused(*m_a, "relay_foreign_invalid");

    // A channel other than the subject's: a staff line on a room subject, a say on the party's.
    publishAndSync(foyer,
                   mythosMessage(QStringLiteral("x-1"), QStringLiteral("admin"), QStringLiteral("bad 1"), kFoyer),
                   QStringLiteral("sync 3"));
    publishAndSync("chat.party.group.p7",
                   mythosMessage(QStringLiteral("x-2"), QStringLiteral("say"), QStringLiteral("bad 2"), kFoyer),
                   QStringLiteral("sync 4"));
    QCOMPARE(refused(*m_a, "relay_wrong_subject"), wrongSubject + 2);

    // The right channel, but the payload disagrees with the subject or is not MythosMUD's shape.
    QJsonObject otherRoom =
            mythosMessage(QStringLiteral("x-3"), QStringLiteral("say"), QStringLiteral("bad 3"), kDocks);
    QJsonObject noName = mythosMessage(QStringLiteral("x-4"), QStringLiteral("say"), QStringLiteral("bad 4"), kFoyer);
    noName.remove(QStringLiteral("sender_name"));
    QJsonObject badTime = mythosMessage(QStringLiteral("x-5"), QStringLiteral("say"), QStringLiteral("bad 5"), kFoyer);
    badTime.insert(QStringLiteral("timestamp"), QStringLiteral("yesterday"));
    QJsonObject unknownField =
            mythosMessage(QStringLiteral("x-6"), QStringLiteral("say"), QStringLiteral("bad 6"), kFoyer);
    unknownField.insert(QStringLiteral("colour"), QStringLiteral("red"));
    QJsonObject badSender =
            mythosMessage(QStringLiteral("x-7"), QStringLiteral("say"), QStringLiteral("bad 7"), kFoyer);
    badSender.insert(QStringLiteral("sender_id"), QStringLiteral("a.b"));
    QJsonObject wrongTarget =
            mythosMessage(QStringLiteral("x-8"), QStringLiteral("whisper"), QStringLiteral("bad 8"), kFoyer);
    wrongTarget.insert(QStringLiteral("target_player_id"), QStringLiteral("carol"));
    for (const QJsonObject &m : { otherRoom, noName, badTime, unknownField, badSender })
        m_game->publish(foyer, json(m));
    m_game->publish("chat.whisper.player.alice", json(wrongTarget));
    publishAndSync(foyer, mythosMessage(QStringLiteral("x-9"), QStringLiteral("say"), QStringLiteral("  "), kFoyer),
                   QStringLiteral("sync 5"));
    QCOMPARE(refused(*m_a, "relay_foreign_invalid"), invalid + 7);

    // The standard subject is not where say lives any more: nobody here listens to it.
    m_game->publish(
            "chat.say." + kFoyer.toUtf8(),
            json(mythosMessage(QStringLiteral("x-10"), QStringLiteral("say"), QStringLiteral("bad 10"), kFoyer)));
    publishAndSync(foyer, mythosMessage(QStringLiteral("x-11"), QStringLiteral("say"), QStringLiteral("fine"), kFoyer),
                   QStringLiteral("sync 6"));
    for (TestClient *c : { m_alice.get(), m_bob.get(), m_carol.get(), m_dave.get() }) {
        for (const QJsonObject &e : c->eventsOfType(QStringLiteral("chat_message")))
            QVERIFY2(!eventField(e, "content").startsWith(QStringLiteral("bad ")),
                     qPrintable(eventField(e, "content")));
    }
    QVERIFY(!m_alice->eventsOfType(QStringLiteral("chat_message")).isEmpty());
}

void TestSharedBus::ourInstancesStillRelay()
{
    const quint64 invalidA = refused(*m_a, "relay_foreign_invalid");
    const quint64 invalidB = refused(*m_b, "relay_foreign_invalid");
    const quint64 wrongB = refused(*m_b, "relay_wrong_subject");
    QCOMPARE(m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("A to B")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QCOMPARE(eventField(m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("A to B"))),
                        "message"),
             QStringLiteral("Alice says: A to B"));
    m_dave->request(sendFrame(QStringLiteral("say"), QStringLiteral("B to A")));
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("B to A"))).isEmpty());
    QVERIFY(m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("B to A")), 300).isEmpty());
    QVERIFY(m_dave->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("A to B")), 300).isEmpty());
    // Our own messages are relayed as they are, never read as foreign ones.
    QCOMPARE(refused(*m_a, "relay_foreign_invalid"), invalidA);
    QCOMPARE(refused(*m_b, "relay_foreign_invalid"), invalidB);
    QCOMPARE(refused(*m_b, "relay_wrong_subject"), wrongB);
}

QTEST_GUILESS_MAIN(TestSharedBus)
#include "tst_sharedbus.moc"
