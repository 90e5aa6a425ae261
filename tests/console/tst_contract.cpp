// The wire contract between the server and the console, both ends real: every moderator
// request in wire::moderatorRequests (and every player request the console sends) is built
// with common/protocol/frames, sent through the console's ModeratorClient to a real
// mythos-chatd, and its reply read back the way the console reads it; every event in
// wire::moderatorEvents is made to happen and must reach the console as its typed signal.
// A name added to the vocabulary without a case here fails the suite, so the two cannot drift.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "connection/moderatorclient.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace mythos;
using namespace mythos::test;
using mythos::console::ModeratorClient;

namespace {
const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");
const QString kThreat = QStringLiteral("i know where you live"); // held by the shipped keyword list
const QString kFlagged = QStringLiteral("selling cheap gold, ask me"); // flagged, delivered

struct Reply
{
    QString type;
    QJsonObject data;
};

// One request through the console's client, waited for; type "timeout" when none came.
Reply ask(ModeratorClient &client, const QJsonObject &frame)
{
    Reply r;
    bool done = false;
    const QString ref = client.request(frame, [&](const QString &type, const QJsonObject &data) {
        r = { type, data };
        done = true;
    });
    if (ref.isEmpty())
        return { QStringLiteral("not sent"), {} };
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return { QStringLiteral("no reply within 10 s"), {} };
    return r;
}

QString describe(const Reply &r)
{
    return r.type + QLatin1Char(' ') + QString::fromUtf8(QJsonDocument(r.data).toJson(QJsonDocument::Compact));
}

QStringList idsOf(const QJsonArray &items, QLatin1String key)
{
    QStringList ids;
    for (const QJsonValue &v : items)
        ids.append(v.toObject().value(key).toString());
    return ids;
}
} // namespace

class TestContract : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyModeratorRequestGetsTheReplyTheConsoleReads();
    void everyModeratorEventReachesItsConsoleSignal();
    void unknownRequestTypesAreRefusedByName();

private:
    QString holdOne(const QString &text);
    bool outageWithTrafficOnB(int messages);

    NatsServer m_nats;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_player, m_playerOnB;
    std::unique_ptr<ModeratorClient> m_console;
    QStringList m_unread; // events the console did not read
};

void TestContract::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config a = testConfig(m_nats.url());
    a.server.serverId = QStringLiteral("contract-a");
    Config b = a;
    b.server.serverId = QStringLiteral("contract-b");
    b.recovery.maxMessages = 2; // so an outage with more traffic on B ends in a gap on A
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    QVERIFY(m_a->start() && m_b->start() && m_a->waitForNats() && m_b->waitForNats());

    m_player = std::make_unique<TestClient>();
    QVERIFY(m_player->open(m_a->port()));
    QVERIFY(!m_player->authToken(
                             tokenFor(QStringLiteral("pat"), QStringLiteral("Pat"), QStringLiteral("player"), kFoyer))
                     .isEmpty());
    m_playerOnB = std::make_unique<TestClient>();
    QVERIFY(m_playerOnB->open(m_b->port()));
    QVERIFY(!m_playerOnB
                     ->authToken(
                             tokenFor(QStringLiteral("quin"), QStringLiteral("Quin"), QStringLiteral("player"), kFoyer))
                     .isEmpty());

    m_console = std::make_unique<ModeratorClient>();
    connect(m_console.get(), &ModeratorClient::unreadEvent, this,
            [this](const QString &type) { m_unread.append(type); });
    m_console->connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_a->port())),
                         tokenFor(QStringLiteral("root"), QStringLiteral("Root"), QStringLiteral("admin")));
    QTRY_COMPARE_WITH_TIMEOUT(m_console->state(), ModeratorClient::State::Connected, 10000);
    QCOMPARE(m_console->role(), QStringLiteral("admin"));
}

void TestContract::cleanupTestCase()
{
    // Whatever the server sent over the whole run, the console read all of it.
    QCOMPARE(m_unread, QStringList());
    m_console.reset();
    m_player.reset();
    m_playerOnB.reset();
    m_a.reset();
    m_b.reset();
}

QString TestContract::holdOne(const QString &text)
{
    const QJsonObject ack = m_player->request(frames::send(QStringLiteral("say"), text));
    if (!eventData(ack).value(wire::field::held).toBool())
        return {};
    return eventData(ack).value(wire::field::messageId).toString();
}

void TestContract::everyModeratorRequestGetsTheReplyTheConsoleReads()
{
    const QString heldId = holdOne(kThreat + QStringLiteral(" (request case)"));
    QVERIFY(!heldId.isEmpty());
    const QString spokenId = eventData(m_player->request(frames::send(QStringLiteral("say"), QStringLiteral("a line"))))
                                     .value(wire::field::messageId)
                                     .toString();
    QVERIFY(!spokenId.isEmpty());
    QString itemId;
    const QString today = QDate::currentDate().toString(Qt::ISODate);

    // request type → the frame the console builds, the reply it waits for, what it reads there.
    struct Case
    {
        std::function<QJsonObject()> frame;
        QLatin1String reply;
        std::function<bool(const QJsonObject &)> reads;
    };
    const QHash<QString, Case> cases {
        { wire::request::monitor,
          { [] { return frames::monitor(true); }, wire::event::monitor,
            [](const QJsonObject &d) { return d.value(wire::field::enabled).toBool(); } } },
        { wire::request::stats,
          { [] { return frames::stats(); }, wire::event::stats,
            [](const QJsonObject &d) {
                return d.value(wire::field::serverId).toString() == QLatin1String("contract-a");
            } } },
        { wire::request::queue,
          { [] { return frames::queue(QStringLiteral("pending"), 100); }, wire::event::queue,
            [&](const QJsonObject &d) {
                for (const QJsonValue &v : d.value(wire::field::items).toArray()) {
                    const QJsonObject item = v.toObject();
                    if (item.value(wire::field::message).toObject().value(wire::field::messageId).toString() == heldId)
                        itemId = item.value(wire::field::itemId).toString();
                }
                return !itemId.isEmpty();
            } } },
        { wire::request::queueAction,
          { [&] { return frames::queueAction(itemId, QStringLiteral("claim")); }, wire::event::queueItem,
            [&](const QJsonObject &d) {
                return d.value(wire::field::itemId).toString() == itemId
                        && d.value(wire::field::claimedBy).toString() == QLatin1String("root");
            } } },
        { wire::request::logs,
          { [&] {
               return frames::logs({ QStringLiteral("moderation"), today, {}, {}, 50 });
           },
            wire::event::logs,
            [&](const QJsonObject &d) {
                return d.value(wire::field::category).toString() == QLatin1String("moderation")
                        && d.value(wire::field::day).toString() == today && d.value(wire::field::lines).isArray();
            } } },
        { wire::request::warn,
          { [] { return frames::warn(QStringLiteral("pat"), QStringLiteral("contract")); }, wire::event::standing,
            [](const QJsonObject &d) {
                return d.value(wire::field::playerId).toString() == QLatin1String("pat")
                        && d.value(wire::field::points).toInt() == 1
                        && d.value(wire::field::offences).toArray().size() == 1;
            } } },
        { wire::request::standing,
          { [] { return frames::standing(QStringLiteral("Pat")); }, wire::event::standing,
            [](const QJsonObject &d) {
                return d.value(wire::field::playerId).toString() == QLatin1String("pat")
                        && d.value(wire::field::points).toInt() == 1;
            } } },
        { wire::request::resetStanding,
          { [] { return frames::resetStanding(QStringLiteral("pat")); }, wire::event::standing,
            [](const QJsonObject &d) {
                return d.value(wire::field::points).toInt() == 0 && d.value(wire::field::offences).toArray().isEmpty();
            } } },
        { wire::request::addNote,
          { [] { return frames::addNote(QStringLiteral("pat"), QStringLiteral("contract note")); }, wire::event::notes,
            [](const QJsonObject &d) {
                const QJsonArray notes = d.value(wire::field::notes).toArray();
                return d.value(wire::field::playerId).toString() == QLatin1String("pat") && notes.size() == 1
                        && notes[0].toObject().value(wire::field::text).toString() == QLatin1String("contract note");
            } } },
        { wire::request::notes,
          { [] { return frames::notes(QStringLiteral("Pat")); }, wire::event::notes,
            [](const QJsonObject &d) { return d.value(wire::field::notes).toArray().size() == 1; } } },
        { wire::request::reloadFilters,
          { [] { return frames::reloadFilters(); }, wire::event::filtersReloaded,
            [](const QJsonObject &d) {
                return d.value(wire::field::problems).isArray() && d.value(wire::field::problems).toArray().isEmpty();
            } } },
        { wire::request::filterDryRun,
          { [] {
               frames::FilterDryRun dryRun;
               dryRun.levels = QStringLiteral("chat:\n  content_filtering:\n    default_level: family\n");
               dryRun.days = 1;
               return frames::filterDryRun(dryRun);
           },
            wire::event::filterDryRun,
            [](const QJsonObject &d) {
                return d.value(wire::field::messages).toInt() > 0 && d.value(QLatin1String("outcomes")).isObject()
                        && d.value(wire::field::examples).isObject();
            } } },
    };
    // The order matters only for queue → queue_action (the item id).
    QStringList order = wire::toStringList(wire::moderatorRequests);
    for (const QString &type : order)
        QVERIFY2(cases.contains(type), qPrintable(QStringLiteral("no contract case for the request '%1'").arg(type)));
    QCOMPARE(cases.size(), order.size());
    order.removeOne(wire::request::queueAction);
    order.insert(order.indexOf(wire::request::queue) + 1, wire::request::queueAction);
    for (const QString &type : std::as_const(order)) {
        const Case &c = cases[type];
        const Reply r = ask(*m_console, c.frame());
        QVERIFY2(r.type == c.reply, qPrintable(type + QStringLiteral(" → ") + describe(r)));
        QVERIFY2(c.reads(r.data), qPrintable(type + QStringLiteral(" → ") + describe(r)));
    }

    // The player requests the console sends, built by the same builders.
    const frames::MuteTarget pat { wire::value::player, QStringLiteral("pat"), wire::value::server };
    Reply r = ask(*m_console, frames::mute(pat, 5, QStringLiteral("contract"), QStringLiteral("say")));
    QVERIFY2(r.type == wire::event::mutes
                     && idsOf(r.data.value(wire::field::mutes).toArray(), wire::field::target)
                                .contains(QStringLiteral("pat")),
             qPrintable(describe(r)));
    r = ask(*m_console, frames::mutes(wire::value::server));
    QVERIFY2(r.type == wire::event::mutes
                     && idsOf(r.data.value(wire::field::mutes).toArray(), wire::field::target)
                                .contains(QStringLiteral("pat")),
             qPrintable(describe(r)));
    r = ask(*m_console, frames::unmute(pat));
    QVERIFY2(r.type == wire::event::mutes && r.data.value(wire::field::mutes).toArray().isEmpty(),
             qPrintable(describe(r)));
    r = ask(*m_console, frames::resume(spokenId, wire::value::monitorFeed));
    QVERIFY2(r.type == wire::event::resumed && r.data.value(wire::field::feed).toString() == wire::value::monitorFeed
                     && r.data.value(wire::field::recovered).toBool(),
             qPrintable(describe(r)));
    r = ask(*m_console, frames::ping());
    QCOMPARE(r.type, QString(wire::event::pong));
}

bool TestContract::outageWithTrafficOnB(int messages)
{
    auto status = [](TestServer &s) { return s.app().health().value(QStringLiteral("status")).toString(); };
    m_nats.stop();
    if (!QTest::qWaitFor(
                [&] { return status(*m_a) == QLatin1String("degraded") && status(*m_b) == QLatin1String("degraded"); },
                5000))
        return false;
    for (const QString &line : numbered(QStringLiteral("during the outage"), 1, messages)) {
        if (eventData(m_playerOnB->request(frames::send(QStringLiteral("say"), line)))
                    .value(wire::field::messageId)
                    .isUndefined())
            return false;
    }
    return m_nats.start()
            && QTest::qWaitFor(
                    [&] { return status(*m_a) == QLatin1String("ok") && status(*m_b) == QLatin1String("ok"); }, 15000);
}

void TestContract::everyModeratorEventReachesItsConsoleSignal()
{
    QVERIFY(!ask(*m_console, frames::monitor(true)).type.isEmpty());
    QSignalSpy monitorMessages(m_console.get(), &ModeratorClient::monitorMessage);
    QSignalSpy queueItems(m_console.get(), &ModeratorClient::queueItem);
    QSignalSpy stats(m_console.get(), &ModeratorClient::statsReceived);
    QSignalSpy deleted(m_console.get(), &ModeratorClient::messageDeleted);
    QSignalSpy mutesChanged(m_console.get(), &ModeratorClient::serverMutesChanged);
    QSignalSpy gaps(m_console.get(), &ModeratorClient::gapReported);
    auto arg = [](const QSignalSpy &spy, QLatin1String key) {
        return spy.isEmpty() ? QString() : spy.last().at(0).toJsonObject().value(key).toString();
    };

    // Waits until the console's newest queue_item is the one for this message.
    auto queuedAs = [&queueItems](const QString &messageId) {
        return QTest::qWaitFor(
                [&] {
                    return !queueItems.isEmpty()
                            && queueItems.last()
                                       .at(0)
                                       .toJsonObject()
                                       .value(wire::field::message)
                                       .toObject()
                                       .value(wire::field::messageId)
                            == messageId;
                },
                5000);
    };
    // event → how to make it happen, and what the console must have read from it.
    const QHash<QString, std::function<bool()>> cases {
        { wire::event::monitorMessage,
          [&] {
              const QJsonObject ack =
                      m_player->request(frames::send(QStringLiteral("say"), QStringLiteral("contract line")));
              return eventData(ack).value(wire::field::messageId).isString()
                      && QTest::qWaitFor(
                              [&] {
                                  return arg(monitorMessages, wire::field::content) == QLatin1String("contract line");
                              },
                              5000);
          } },
        { wire::event::queueItem,
          [&] {
              const QString id = holdOne(kThreat + QStringLiteral(" (event case)"));
              return !id.isEmpty() && queuedAs(id);
          } },
        { wire::event::stats,
          [&] {
              return QTest::qWaitFor([&] { return arg(stats, wire::field::serverId) == QLatin1String("contract-a"); },
                                     8000);
          } },
        { wire::event::messageDeleted,
          [&] {
              // Deleting is for delivered lines: one the keyword list flags without holding.
              const QJsonObject ack = m_player->request(frames::send(QStringLiteral("say"), kFlagged));
              const QString id = eventData(ack).value(wire::field::messageId).toString();
              if (id.isEmpty() || eventData(ack).value(wire::field::held).toBool() || !queuedAs(id))
                  return false;
              const QString item = queueItems.last().at(0).toJsonObject().value(wire::field::itemId).toString();
              return ask(*m_console, frames::queueAction(item, QStringLiteral("delete"))).type == wire::event::queueItem
                      && QTest::qWaitFor([&] { return !deleted.isEmpty() && deleted.last().at(0).toString() == id; },
                                         5000);
          } },
        { wire::event::mutesChanged,
          [&] {
              const frames::MuteTarget pat { wire::value::player, QStringLiteral("pat"), wire::value::server };
              return ask(*m_console, frames::mute(pat, 1)).type == wire::event::mutes
                      && QTest::qWaitFor([&] { return !mutesChanged.isEmpty(); }, 5000)
                      && ask(*m_console, frames::unmute(pat)).type == wire::event::mutes;
          } },
        { wire::event::gap,
          [&] {
              return outageWithTrafficOnB(5)
                      && QTest::qWaitFor([&] { return arg(gaps, wire::field::reason) == wire::recovery::tooMany; },
                                         10000)
                      && !arg(gaps, wire::field::from).isEmpty();
          } },
    };
    const QStringList events = wire::toStringList(wire::moderatorEvents);
    QCOMPARE(cases.size(), events.size());
    for (const QString &type : events) {
        QVERIFY2(cases.contains(type), qPrintable(QStringLiteral("no contract case for the event '%1'").arg(type)));
        QVERIFY2(cases[type](), qPrintable(QStringLiteral("the console did not read '%1'").arg(type)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_console->state(), ModeratorClient::State::Connected, 10000);
}

void TestContract::unknownRequestTypesAreRefusedByName()
{
    // The server's dispatch and the vocabulary agree: a name outside it is unknown_type, and
    // every name in it is known (a moderator request is never unknown_type for an admin).
    const Reply unknown = ask(*m_console, { { wire::field::type, QStringLiteral("no_such_request") } });
    QCOMPARE(unknown.type, QString(wire::event::error));
    QCOMPARE(unknown.data.value(wire::field::code).toString(), QStringLiteral("unknown_type"));
    for (QLatin1String type : wire::playerRequests) {
        if (type == wire::request::auth)
            continue; // already authenticated: a different error by design
        const Reply r = ask(*m_console, { { wire::field::type, type } });
        QVERIFY2(!(r.type == wire::event::error && r.data.value(wire::field::code) == QLatin1String("unknown_type")),
                 qPrintable(QString(type) + QStringLiteral(" → ") + describe(r)));
    }
}

QTEST_MAIN(TestContract)
#include "tst_contract.moc"
