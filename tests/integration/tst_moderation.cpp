// The moderators' protocol against two instances sharing NATS: the live feed, the queue with
// claims and actions (a held message approved on one instance is delivered on both), deletes
// reaching everyone who received the message, rejects telling the sender, players refused.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "chat/directory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kThreat = QStringLiteral("i know where you live");

QJsonObject queueAction(const QString &itemId, const QString &action)
{
    return { { QStringLiteral("type"), QStringLiteral("queue_action") },
             { QStringLiteral("item_id"), itemId },
             { QStringLiteral("action"), action } };
}
} // namespace

class TestModeration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void playersAreRefused();
    void liveFeedShowsEveryChannel();
    void moderatorsSeeWhatWasWrittenPlayersDoNot();
    void heldMessageApprovedOnOneInstanceIsDeliveredOnBoth();
    void claimsKeepTwoModeratorsApart();
    void rejectTellsTheSender();
    void deleteRemovesADeliveredMessageEverywhere();
    void muteSenderFromTheQueue();
    void statsOnRequest();
    void moderatorOnTheOtherInstanceActs();
    void logsAreQueryable();

private:
    QString heldItem(const QString &content);
    QJsonObject m_lastLiveItem; // the queue_item data heldItem() saw arrive
    std::unique_ptr<TestClient> join(TestServer &s, const QString &id, const QString &role = QStringLiteral("player"));
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_sender, m_listenerA, m_listenerB, m_mod, m_mod2;
};

std::unique_ptr<TestClient> TestModeration::join(TestServer &s, const QString &id, const QString &role)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(s.port()) || c->authToken(tokenFor(id, id.left(1).toUpper() + id.mid(1), role, kFoyer)).isEmpty())
        return nullptr;
    return c;
}

void TestModeration::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config a = testConfig(m_nats.url());
    a.server.serverId = QStringLiteral("mod-a");
    Config b = testConfig(m_nats.url());
    b.server.serverId = QStringLiteral("mod-b");
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());
    m_sender = join(*m_a, QStringLiteral("sender"));
    m_listenerA = join(*m_a, QStringLiteral("lisa"));
    m_listenerB = join(*m_b, QStringLiteral("lenny"));
    m_mod = join(*m_a, QStringLiteral("mod"), QStringLiteral("moderator"));
    m_mod2 = join(*m_a, QStringLiteral("mod2"), QStringLiteral("moderator"));
    QVERIFY(m_sender && m_listenerA && m_listenerB && m_mod && m_mod2);
    QVERIFY(QTest::qWaitFor([&] { return m_a->app().directory()->resolve(QStringLiteral("lenny")).has_value(); },
                            5000));
}

void TestModeration::cleanupTestCase()
{
    m_sender.reset();
    m_listenerA.reset();
    m_listenerB.reset();
    m_mod.reset();
    m_mod2.reset();
    m_a.reset();
    m_b.reset();
}

void TestModeration::playersAreRefused()
{
    for (const char *type : { "monitor", "queue", "stats" })
        QCOMPARE(eventField(m_sender->request({ { QStringLiteral("type"), QLatin1String(type) } }), "code"),
                 QStringLiteral("forbidden"));
    QCOMPARE(eventField(m_sender->request(queueAction(QStringLiteral("x"), QStringLiteral("approve"))), "code"),
             QStringLiteral("forbidden"));
}

void TestModeration::liveFeedShowsEveryChannel()
{
    QCOMPARE(m_mod->request({ { QStringLiteral("type"), QStringLiteral("monitor") },
                              { QStringLiteral("enabled"), true } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("monitor"));
    // A say in another room on the other instance still reaches the monitor, once.
    auto far = std::make_unique<TestClient>();
    QVERIFY(far->open(m_b->port()));
    QVERIFY(!far->authToken(tokenFor(QStringLiteral("far"), QStringLiteral("Far"), QStringLiteral("player"),
                                     QStringLiteral("earth_innsmouth_harbor_quay")))
                     .isEmpty());
    QCOMPARE(far->request(sendFrame(QStringLiteral("say"), QStringLiteral("far away")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!m_mod->waitFor(QStringLiteral("monitor_message"), contentIs(QStringLiteral("far away"))).isEmpty());
    m_sender->request(sendFrame(QStringLiteral("say"), QStringLiteral("near here")));
    QVERIFY(!m_mod->waitFor(QStringLiteral("monitor_message"), contentIs(QStringLiteral("near here"))).isEmpty());
    // The local listener hears "near here" exactly once although the feed also subscribes.
    m_listenerB->request(sendFrame(QStringLiteral("say"), QStringLiteral("from b")));
    QVERIFY(!m_listenerA->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("from b"))).isEmpty());
    QTest::qWait(200);
    int copies = 0;
    for (const QJsonObject &e : m_listenerA->eventsOfType(QStringLiteral("chat_message")))
        copies += eventField(e, "content") == QStringLiteral("from b");
    QCOMPARE(copies, 1);
    // Whispers are for admins' feeds only.
    m_sender->request(sendFrame(QStringLiteral("whisper"), QStringLiteral("private words"), QStringLiteral("lisa")));
    QVERIFY(!m_listenerA->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("private words")))
                     .isEmpty());
    QVERIFY(m_mod->waitFor(QStringLiteral("monitor_message"), contentIs(QStringLiteral("private words")), 200)
                    .isEmpty());
}

void TestModeration::moderatorsSeeWhatWasWrittenPlayersDoNot()
{
    auto modB = join(*m_b, QStringLiteral("modfeed"), QStringLiteral("moderator"));
    QVERIFY(modB);
    modB->request({ { QStringLiteral("type"), QStringLiteral("monitor") } });
    const QString written = QStringLiteral("what the f.u.c.k is this");
    const QString masked = QStringLiteral("what the ******* is this");
    QVERIFY(eventData(m_sender->request(sendFrame(QStringLiteral("say"), written)))
                    .value(QStringLiteral("filtered"))
                    .toBool());
    // Players, on the sender's instance and across the bus: masked, and nothing more.
    for (TestClient *player : { m_listenerA.get(), m_listenerB.get() }) {
        const QJsonObject got = player->waitFor(QStringLiteral("chat_message"), contentIs(masked));
        QVERIFY(!got.isEmpty());
        QVERIFY(!eventData(got).contains(QStringLiteral("original_content")));
        QVERIFY(!QJsonDocument(got).toJson().contains("f.u.c.k"));
    }
    // Moderators, on the sender's instance and on the other one (its feed reads the bus).
    for (TestClient *mod : { m_mod.get(), modB.get() }) {
        const QJsonObject seen = mod->waitFor(QStringLiteral("monitor_message"), contentIs(masked));
        QVERIFY(!seen.isEmpty());
        QCOMPARE(eventField(seen, "original_content"), written);
    }
    // History keeps what players saw.
    const QJsonObject history = m_listenerB->request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                       { QStringLiteral("channel"), QStringLiteral("say") } });
    QVERIFY(!QJsonDocument(history).toJson().contains("f.u.c.k"));

    // Masked and held: the queue item carries the words; approving delivers them masked.
    const QString heldWritten = QStringLiteral("i know where you live, f.u.c.k");
    const QString item = heldItem(heldWritten);
    QVERIFY(!item.isEmpty());
    const QJsonObject message = m_lastLiveItem.value(QStringLiteral("message")).toObject();
    QCOMPARE(message.value(QStringLiteral("original_content")).toString(), heldWritten);
    QVERIFY(!message.value(QStringLiteral("content")).toString().contains(QStringLiteral("f.u.c.k")));
    QCOMPARE(eventField(m_mod->request(queueAction(item, QStringLiteral("approve"))), "status"),
             QStringLiteral("approved"));
    const QJsonObject approved = m_listenerB->waitFor(QStringLiteral("chat_message"), [](const QJsonObject &d) {
        return d.value(QStringLiteral("content")).toString().startsWith(QStringLiteral("i know where you live, "));
    });
    QVERIFY(!approved.isEmpty());
    QVERIFY(!QJsonDocument(approved).toJson().contains("f.u.c.k"));
    QVERIFY(!eventData(approved).contains(QStringLiteral("original_content")));
}

QString TestModeration::heldItem(const QString &content)
{
    const QJsonObject ack = m_sender->request(sendFrame(QStringLiteral("say"), content));
    if (!eventData(ack).value(QStringLiteral("held")).toBool())
        return {};
    const QString messageId = eventField(ack, "message_id");
    // The monitoring moderator hears about the new item.
    const QJsonObject item = m_mod->waitFor(QStringLiteral("queue_item"), [&](const QJsonObject &d) {
        return d.value(QStringLiteral("message_id")).toString() == messageId;
    });
    m_lastLiveItem = eventData(item);
    return eventField(item, "item_id");
}

void TestModeration::heldMessageApprovedOnOneInstanceIsDeliveredOnBoth()
{
    const QString item = heldItem(kThreat);
    QVERIFY(!item.isEmpty());
    QVERIFY(m_listenerA->waitFor(QStringLiteral("chat_message"), contentIs(kThreat), 200).isEmpty());
    const QJsonObject queue = m_mod->request({ { QStringLiteral("type"), QStringLiteral("queue") } });
    QCOMPARE(queue.value(QStringLiteral("event_type")).toString(), QStringLiteral("queue"));
    const QJsonArray items = eventData(queue).value(QStringLiteral("items")).toArray();
    QVERIFY(!items.isEmpty());
    const QJsonObject first = items.first().toObject();
    QCOMPARE(first.value(QStringLiteral("kind")).toString(), QStringLiteral("held"));
    // The rule that held it, by category and name, with its expression.
    const QJsonArray matched =
            first.value(QStringLiteral("context")).toObject().value(QStringLiteral("matched")).toArray();
    QCOMPARE(matched.size(), 1);
    QCOMPARE(matched.first().toObject().value(QStringLiteral("category")).toString(), QStringLiteral("threat"));
    QCOMPARE(matched.first().toObject().value(QStringLiteral("rule")).toString(),
             QStringLiteral("doxxing or swatting"));
    QCOMPARE(matched.first().toObject().value(QStringLiteral("pattern")).toString(),
             first.value(QStringLiteral("reasons")).toArray().first().toString());
    QCOMPARE(first.value(QStringLiteral("context")).toObject().value(QStringLiteral("room_id")).toString(), kFoyer);
    QVERIFY(first.value(QStringLiteral("context")).toObject().value(QStringLiteral("recent_lines")).toArray().size()
            >= 1);
    // The live item was complete when it arrived: the same lines before it as the listing has.
    QCOMPARE(m_lastLiveItem.value(QStringLiteral("context")).toObject().value(QStringLiteral("recent_lines")),
             first.value(QStringLiteral("context")).toObject().value(QStringLiteral("recent_lines")));

    const QJsonObject approved = m_mod->request(queueAction(item, QStringLiteral("approve")));
    QCOMPARE(approved.value(QStringLiteral("event_type")).toString(), QStringLiteral("queue_item"));
    QCOMPARE(eventField(approved, "status"), QStringLiteral("approved"));
    QVERIFY(!m_listenerA->waitFor(QStringLiteral("chat_message"), contentIs(kThreat)).isEmpty());
    QVERIFY(!m_listenerB->waitFor(QStringLiteral("chat_message"), contentIs(kThreat)).isEmpty());
    // Acting again on a closed item is refused.
    QCOMPARE(eventField(m_mod->request(queueAction(item, QStringLiteral("reject"))), "code"),
             QStringLiteral("invalid_request"));
}

void TestModeration::claimsKeepTwoModeratorsApart()
{
    const QString item = heldItem(QStringLiteral("i will dox you"));
    QVERIFY(!item.isEmpty());
    QCOMPARE(eventField(m_mod->request(queueAction(item, QStringLiteral("claim"))), "claimed_by"),
             QStringLiteral("mod"));
    QCOMPARE(eventField(m_mod2->request(queueAction(item, QStringLiteral("approve"))), "code"),
             QStringLiteral("forbidden"));
    QCOMPARE(eventField(m_mod2->request(queueAction(item, QStringLiteral("claim"))), "code"),
             QStringLiteral("forbidden"));
    QCOMPARE(eventField(m_mod->request(queueAction(item, QStringLiteral("dismiss"))), "status"),
             QStringLiteral("dismissed"));
    QCOMPARE(eventField(m_mod->request(queueAction(QStringLiteral("q-nope"), QStringLiteral("dismiss"))), "code"),
             QStringLiteral("not_found"));
    QCOMPARE(eventField(m_mod->request(queueAction(item, QStringLiteral("explode"))), "code"),
             QStringLiteral("invalid_request"));
}

void TestModeration::rejectTellsTheSender()
{
    const QString item = heldItem(QStringLiteral("i know where u live"));
    QVERIFY(!item.isEmpty());
    QCOMPARE(eventField(m_mod->request(queueAction(item, QStringLiteral("reject"))), "status"),
             QStringLiteral("rejected"));
    const QJsonObject notice = m_sender->waitFor(QStringLiteral("error"), [](const QJsonObject &d) {
        return d.value(QStringLiteral("message")).toString().contains(QStringLiteral("did not allow"));
    });
    QCOMPARE(eventField(notice, "code"), QStringLiteral("forbidden"));
    QVERIFY(m_listenerA->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("i know where u live")), 200)
                    .isEmpty());
}

void TestModeration::deleteRemovesADeliveredMessageEverywhere()
{
    // A flagged message is delivered; deleting it from the queue retracts it on both instances.
    const QJsonObject ack = m_sender->request(sendFrame(QStringLiteral("say"), QStringLiteral("selling gold cheap")));
    const QString messageId = eventField(ack, "message_id");
    QVERIFY(!m_listenerB->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("selling gold cheap")))
                     .isEmpty());
    // B keeps its own copy in its own database (per-instance SQLite here).
    auto inHistoryOf = [&](TestClient &c) {
        const QJsonObject history = c.request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                { QStringLiteral("channel"), QStringLiteral("say") } });
        for (const QJsonValue &m : eventData(history).value(QStringLiteral("messages")).toArray()) {
            if (m.toObject().value(QStringLiteral("message_id")).toString() == messageId)
                return true;
        }
        return false;
    };
    QVERIFY(QTest::qWaitFor([&] { return inHistoryOf(*m_listenerB); }, 5000));
    const QJsonObject queued = m_mod->waitFor(QStringLiteral("queue_item"), [&](const QJsonObject &d) {
        return d.value(QStringLiteral("message_id")).toString() == messageId;
    });
    QCOMPARE(eventField(queued, "kind"), QStringLiteral("flagged"));
    QCOMPARE(eventField(m_mod->request(queueAction(eventField(queued, "item_id"), QStringLiteral("delete"))), "status"),
             QStringLiteral("deleted"));
    auto deleted = [&](const QJsonObject &d) { return d.value(QStringLiteral("message_id")).toString() == messageId; };
    QVERIFY(!m_listenerA->waitFor(QStringLiteral("message_deleted"), deleted).isEmpty());
    QVERIFY(!m_listenerB->waitFor(QStringLiteral("message_deleted"), deleted).isEmpty());
    QVERIFY(!inHistoryOf(*m_listenerA));
    // The relayed delete removed B's copy too (its database work is queued after the event).
    QVERIFY(QTest::qWaitFor([&] { return !inHistoryOf(*m_listenerB); }, 5000));
}

void TestModeration::muteSenderFromTheQueue()
{
    const QString item = heldItem(QStringLiteral("i will swat you"));
    QVERIFY(!item.isEmpty());
    QJsonObject action = queueAction(item, QStringLiteral("mute_sender"));
    action.insert(QStringLiteral("minutes"), 15);
    action.insert(QStringLiteral("reason"), QStringLiteral("threats"));
    QCOMPARE(eventField(m_mod->request(action), "status"), QStringLiteral("muted"));
    const QJsonObject refused = m_sender->request(sendFrame(QStringLiteral("say"), QStringLiteral("let me talk")));
    QCOMPARE(eventField(refused, "code"), QStringLiteral("muted"));
    QVERIFY(eventField(refused, "message").contains(QStringLiteral("threats")));
}

void TestModeration::statsOnRequest()
{
    const QJsonObject stats = m_mod->request({ { QStringLiteral("type"), QStringLiteral("stats") } });
    QCOMPARE(stats.value(QStringLiteral("event_type")).toString(), QStringLiteral("stats"));
    const QJsonObject d = eventData(stats);
    QCOMPARE(d.value(QStringLiteral("instances_seen")).toInt(), 2);
    QVERIFY(d.value(QStringLiteral("messages_accepted")).toDouble() >= 5);
    QVERIFY(d.value(QStringLiteral("filter")).toObject().value(QStringLiteral("held")).toDouble() >= 4);
    QCOMPARE(d.value(QStringLiteral("nats")).toString(), QStringLiteral("connected"));
}

void TestModeration::moderatorOnTheOtherInstanceActs()
{
    auto modB = join(*m_b, QStringLiteral("modb"), QStringLiteral("moderator"));
    QVERIFY(modB);
    modB->request({ { QStringLiteral("type"), QStringLiteral("monitor") } });
    // Queued on A (the sender's instance; the earlier sender is muted by now); seen live on B
    // and in B's queue listing.
    auto sender = join(*m_a, QStringLiteral("sender2"));
    QVERIFY(sender);
    const QString threat = QStringLiteral("i know where you live, friend");
    const QJsonObject ack = sender->request(sendFrame(QStringLiteral("say"), threat));
    QVERIFY(eventData(ack).value(QStringLiteral("held")).toBool());
    const QString messageId = eventField(ack, "message_id");
    const QJsonObject live = modB->waitFor(QStringLiteral("queue_item"), [&](const QJsonObject &d) {
        return d.value(QStringLiteral("message_id")).toString() == messageId;
    });
    const QString item = eventField(live, "item_id");
    QVERIFY(!item.isEmpty());
    // Complete on the other instance too: it carries the lines said before it in the foyer.
    QVERIFY(!eventData(live)
                     .value(QStringLiteral("context"))
                     .toObject()
                     .value(QStringLiteral("recent_lines"))
                     .toArray()
                     .isEmpty());
    QVERIFY(QTest::qWaitFor(
            [&] {
                const QJsonArray items =
                        eventData(modB->request({ { QStringLiteral("type"), QStringLiteral("queue") } }))
                                .value(QStringLiteral("items"))
                                .toArray();
                return std::any_of(items.begin(), items.end(), [&](const QJsonValue &v) {
                    return v.toObject().value(QStringLiteral("item_id")).toString() == item;
                });
            },
            3000));
    QCOMPARE(eventField(modB->request(queueAction(item, QStringLiteral("approve"))), "status"),
             QStringLiteral("approved"));
    QVERIFY(!m_listenerA->waitFor(QStringLiteral("chat_message"), contentIs(threat)).isEmpty());
    QVERIFY(!m_listenerB->waitFor(QStringLiteral("chat_message"), contentIs(threat)).isEmpty());
    // A's moderators see the item closed.
    QVERIFY(!m_mod->waitFor(QStringLiteral("queue_item"), [&](const QJsonObject &d) {
                      return d.value(QStringLiteral("item_id")).toString() == item
                              && d.value(QStringLiteral("status")).toString() == QStringLiteral("approved");
                  }).isEmpty());
}

void TestModeration::logsAreQueryable()
{
    const QJsonObject logs = m_mod->request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                              { QStringLiteral("category"), QStringLiteral("moderation") },
                                              { QStringLiteral("event"), QStringLiteral("held") },
                                              { QStringLiteral("limit"), 2 } });
    QCOMPARE(logs.value(QStringLiteral("event_type")).toString(), QStringLiteral("logs"));
    const QJsonObject d = eventData(logs);
    QVERIFY(d.value(QStringLiteral("matched")).toInt() >= 4);
    const QJsonArray lines = d.value(QStringLiteral("lines")).toArray();
    QCOMPARE(lines.size(), 2); // the newest two
    for (const QJsonValue &line : lines)
        QCOMPARE(line.toObject().value(QStringLiteral("event")).toString(), QStringLiteral("held"));
    // `player` names the player exactly: "sender" does not match sender2's line.
    const auto heldOf = [this](const QString &player) {
        return eventData(m_mod->request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                          { QStringLiteral("event"), QStringLiteral("held") },
                                          { QStringLiteral("player"), player } }));
    };
    const QJsonObject ofSender2 = heldOf(QStringLiteral("sender2"));
    QCOMPARE(ofSender2.value(QStringLiteral("matched")).toInt(), 1);
    QCOMPARE(ofSender2.value(QStringLiteral("lines"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("player_id"))
                     .toString(),
             QStringLiteral("sender2"));
    const QJsonObject ofSender = heldOf(QStringLiteral("sender"));
    QVERIFY(ofSender.value(QStringLiteral("matched")).toInt() >= 3);
    QCOMPARE(ofSender.value(QStringLiteral("matched")).toInt() + 1, d.value(QStringLiteral("matched")).toInt());
    for (const QJsonValue &line : ofSender.value(QStringLiteral("lines")).toArray())
        QCOMPARE(line.toObject().value(QStringLiteral("player_id")).toString(), QStringLiteral("sender"));
    QCOMPARE(heldOf(QStringLiteral("nobody")).value(QStringLiteral("matched")).toInt(), 0);
    const QJsonObject chat = m_mod->request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                              { QStringLiteral("category"), QStringLiteral("chat") },
                                              { QStringLiteral("contains"), QStringLiteral("NEAR HERE") } });
    QCOMPARE(eventData(chat).value(QStringLiteral("lines")).toArray().size(), 1);
    QCOMPARE(eventField(m_mod->request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                         { QStringLiteral("category"), QStringLiteral("secrets") } }),
                        "code"),
             QStringLiteral("invalid_request"));
    const QJsonObject empty = m_mod->request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                               { QStringLiteral("day"), QStringLiteral("2001-01-01") } });
    QCOMPARE(eventData(empty).value(QStringLiteral("lines")).toArray().size(), 0);
    QCOMPARE(eventField(m_mod->request({ { QStringLiteral("type"), QStringLiteral("reload_filters") } }), "code"),
             QStringLiteral("forbidden")); // admins only
    // Queue actions are moderation log lines too.
    const QJsonObject actions = m_mod->request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                                 { QStringLiteral("event"), QStringLiteral("queue_approve") } });
    QVERIFY(eventData(actions).value(QStringLiteral("matched")).toInt() >= 1);
    QCOMPARE(eventData(actions)
                     .value(QStringLiteral("lines"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("actor"))
                     .toString(),
             QStringLiteral("mod"));
}

QTEST_GUILESS_MAIN(TestModeration)
#include "tst_moderation.moc"
