// Routing decisions without sockets: which subjects a player's presence needs, who receives a
// subject, and that bus interest is subscribed once and released with the last player.
#include "bus/bus.h"
#include "chat/playerregistry.h"
#include "chat/router.h"
#include "config/config.h"

#include <QJsonDocument>
#include <QTest>

using namespace mythos;

namespace {

class RecordingBus : public Bus
{
public:
    void start() override { }
    bool publish(const QByteArray &, const QByteArray &) override { return true; }
    State state() const override { return State::Connected; }
    void drain() override { }
    QList<QByteArray> subscribed, unsubscribed;

protected:
    void subscribe(const QByteArray &s) override { subscribed.append(s); }
    void unsubscribe(const QByteArray &s) override { unsubscribed.append(s); }
};

struct RecordingSink : EventSink
{
    QList<QJsonObject> received;
    void deliver(const EncodedEvent &event) override
    {
        received.append(QJsonDocument::fromJson(event.frame(1)).object());
    }
};

Location at(const QString &room, const QString &party = {})
{
    return { ScopeIds::fromRoomId(room), party };
}

QJsonObject message(const QString &channel, const QString &sender)
{
    return { { QStringLiteral("channel"), channel },
             { QStringLiteral("sender_id"), sender },
             { QStringLiteral("content"), QStringLiteral("hi") } };
}

const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kHall = QStringLiteral("earth_arkham_sanitarium_hall");
const QString kDocks = QStringLiteral("earth_arkham_docks_pier");
const QString kInnsmouth = QStringLiteral("earth_innsmouth_harbor_quay");

} // namespace

class TestRouting : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void subjectsFollowPresence();
    void eachScopeReachesExactlyItsPlayers_data();
    void eachScopeReachesExactlyItsPlayers();
    void staffChannelOnlyForModerators();
    void interestIsCountedAndReleased();
    void movingChangesSubjects();
    void encodedOncePerMessage();
};

void TestRouting::subjectsFollowPresence()
{
    Config config;
    RecordingBus bus;
    PlayerRegistry registry(config, &bus);
    RecordingSink sink;
    OnlinePlayer *p = registry.attach({ QStringLiteral("alice"), QStringLiteral("Alice"), Role::Player },
                                      at(kFoyer, QStringLiteral("p1")), &sink);
    const QSet<QByteArray> expected {
        "chat.say." + kFoyer.toUtf8(),
        "chat.emote." + kFoyer.toUtf8(),
        "chat.local.earth_arkham_sanitarium",
        "chat.zone.earth_arkham",
        "chat.global",
        "chat.party.p1",
        "chat.whisper.alice",
        "chat.system",
        "mud.presence.alice",
    };
    QCOMPARE(p->subjects, expected);
    QVERIFY(!p->subjects.contains("chat.admin"));
}

void TestRouting::eachScopeReachesExactlyItsPlayers_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QStringList>("receivers");
    // alice (sender) foyer/p1; bob foyer; carol hall (same subzone); dave docks (same zone);
    // erin innsmouth (same plane, other zone), party p1.
    QTest::newRow("say") << "say" << QStringList { QStringLiteral("bob") };
    QTest::newRow("emote") << "emote" << QStringList { QStringLiteral("bob") };
    QTest::newRow("local") << "local" << QStringList { QStringLiteral("bob"), QStringLiteral("carol") };
    QTest::newRow("zone") << "zone"
                          << QStringList { QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave") };
    QTest::newRow("global") << "global"
                            << QStringList { QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave"),
                                             QStringLiteral("erin") };
    QTest::newRow("party") << "party" << QStringList { QStringLiteral("erin") };
    QTest::newRow("whisper") << "whisper" << QStringList { QStringLiteral("dave") };
}

void TestRouting::eachScopeReachesExactlyItsPlayers()
{
    QFETCH(QString, channel);
    QFETCH(QStringList, receivers);
    Config config;
    RecordingBus bus;
    PlayerRegistry registry(config, &bus);
    Router router(&registry);
    QHash<QString, RecordingSink *> sinks;
    const QList<std::pair<QString, Location>> people {
        { QStringLiteral("alice"), at(kFoyer, QStringLiteral("p1")) },
        { QStringLiteral("bob"), at(kFoyer) },
        { QStringLiteral("carol"), at(kHall) },
        { QStringLiteral("dave"), at(kDocks) },
        { QStringLiteral("erin"), at(kInnsmouth, QStringLiteral("p1")) },
    };
    for (const auto &[id, where] : people) {
        sinks[id] = new RecordingSink;
        registry.attach({ id, id, Role::Player }, where, sinks[id]);
    }
    const ChannelSpec *spec = config.channel(channel);
    const OnlinePlayer *alice = registry.find(QStringLiteral("alice"));
    const QByteArray subject = registry.subjectFor(*spec, alice->location, QStringLiteral("dave"));
    QVERIFY(!subject.isEmpty());
    router.deliver(subject, message(channel, QStringLiteral("alice")));
    for (const auto &[id, where] : people) {
        QCOMPARE(sinks[id]->received.size(), receivers.contains(id) ? 1 : 0);
        if (!sinks[id]->received.isEmpty())
            QCOMPARE(sinks[id]->received[0].value(QStringLiteral("event_type")).toString(),
                     QStringLiteral("chat_message"));
    }
    // Everyone online except the sender and the receivers was spared the message.
    QCOMPARE(router.stats().deliveriesAvoided, quint64(people.size() - 1 - receivers.size()));
    for (const auto &[id, where] : people)
        registry.detach(id, sinks[id]);
    qDeleteAll(sinks);
}

void TestRouting::staffChannelOnlyForModerators()
{
    Config config;
    RecordingBus bus;
    PlayerRegistry registry(config, &bus);
    Router router(&registry);
    RecordingSink mod, player, admin;
    registry.attach({ QStringLiteral("m"), QStringLiteral("M"), Role::Moderator }, at(kFoyer), &mod);
    registry.attach({ QStringLiteral("p"), QStringLiteral("P"), Role::Player }, at(kFoyer), &player);
    registry.attach({ QStringLiteral("a"), QStringLiteral("A"), Role::Admin }, at(kDocks), &admin);
    router.deliver("chat.admin", message(QStringLiteral("admin"), QStringLiteral("m")));
    QCOMPARE(mod.received.size(), 0); // sender
    QCOMPARE(player.received.size(), 0);
    QCOMPARE(admin.received.size(), 1);
}

void TestRouting::interestIsCountedAndReleased()
{
    Config config;
    RecordingBus bus;
    PlayerRegistry registry(config, &bus);
    RecordingSink s1, s2, s3;
    registry.attach({ QStringLiteral("a"), QStringLiteral("A"), Role::Player }, at(kFoyer), &s1);
    registry.attach({ QStringLiteral("b"), QStringLiteral("B"), Role::Player }, at(kFoyer), &s2);
    registry.attach({ QStringLiteral("a"), QStringLiteral("A"), Role::Player }, at(kFoyer), &s3); // second tab
    const QByteArray say = "chat.say." + kFoyer.toUtf8();
    QCOMPARE(bus.subscribed.count(say), 1);
    QCOMPARE(registry.find(QStringLiteral("a"))->sinks.size(), 2);
    registry.detach(QStringLiteral("a"), &s1);
    QVERIFY(registry.find(QStringLiteral("a")));
    registry.detach(QStringLiteral("a"), &s3);
    QVERIFY(!registry.find(QStringLiteral("a")));
    QVERIFY(bus.unsubscribed.contains("chat.whisper.a"));
    QVERIFY(!bus.unsubscribed.contains(say)); // b still there
    registry.detach(QStringLiteral("b"), &s2);
    QVERIFY(bus.unsubscribed.contains(say));
    QCOMPARE(bus.interestCount(), 0);
}

void TestRouting::movingChangesSubjects()
{
    Config config;
    RecordingBus bus;
    PlayerRegistry registry(config, &bus);
    RecordingSink s;
    OnlinePlayer *p = registry.attach({ QStringLiteral("a"), QStringLiteral("A"), Role::Player }, at(kFoyer), &s);
    registry.setLocation(p, at(kDocks));
    QVERIFY(bus.unsubscribed.contains("chat.say." + kFoyer.toUtf8()));
    QVERIFY(bus.unsubscribed.contains("chat.local.earth_arkham_sanitarium"));
    QVERIFY(!bus.unsubscribed.contains("chat.zone.earth_arkham")); // same zone: kept
    QVERIFY(p->subjects.contains("chat.say." + kDocks.toUtf8()));
    QCOMPARE(registry.receiversOf("chat.say." + kFoyer.toUtf8()).size(), 0);
    QCOMPARE(registry.receiversOf("chat.say." + kDocks.toUtf8()).size(), 1);
}

void TestRouting::encodedOncePerMessage()
{
    // Every recipient gets the same bytes apart from its own sequence number.
    const EncodedEvent e =
            EncodedEvent::encode(QStringLiteral("chat_message"), message(QStringLiteral("say"), QStringLiteral("x")));
    const QByteArray f1 = e.frame(1), f2 = e.frame(42);
    QCOMPARE(QJsonDocument::fromJson(f1).object().value(QStringLiteral("sequence_number")).toInt(), 1);
    QCOMPARE(QJsonDocument::fromJson(f2).object().value(QStringLiteral("sequence_number")).toInt(), 42);
    QCOMPARE(f1.chopped(2), f2.chopped(3));
}

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
