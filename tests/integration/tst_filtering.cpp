// The content filter inside the pipeline: masked lines are delivered masked with `filtered`,
// keyword matches are flagged into the moderation queue and still delivered, `hold:` matches
// are acknowledged as held and reach nobody; the audit trail keeps what was really written.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "model/filterlevel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

} // namespace

class TestFiltering : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void profanityIsMaskedForRecipients();
    void flaggedMessagesAreDeliveredAndQueued();
    void heldMessagesReachNobody();
    void eachChannelFiltersAtItsLevel();

private:
    int queueRows(const QString &kind);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob;
};

void TestFiltering::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    // global lets swearing through (adult); whispers hold it (a level of the test's own); say
    // stays at the default level.
    for (ChannelSpec &c : config.channels) {
        if (c.name == QLatin1String("global"))
            c.filterLevel = QStringLiteral("adult");
        if (c.name == QLatin1String("whisper"))
            c.filterLevel = QStringLiteral("strict");
    }
    FilterLevel strict { QStringLiteral("strict"), {}, std::nullopt };
    const FilterAction maskHold = parseFilterAction(QStringLiteral("mask+hold")).value();
    strict.categories.insert(QStringLiteral("profanity"), { maskHold, maskHold, maskHold });
    config.contentFiltering.levels.insert(strict.name, strict);
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start());
    m_alice = std::make_unique<TestClient>();
    m_bob = std::make_unique<TestClient>();
    QVERIFY(m_alice->open(m_server->port()) && m_bob->open(m_server->port()));
    QVERIFY(!m_alice->authToken(tokenFor(QStringLiteral("alice"), QStringLiteral("Alice"), QStringLiteral("player"),
                                         kFoyer))
                     .isEmpty());
    QVERIFY(!m_bob->authToken(tokenFor(QStringLiteral("bob"), QStringLiteral("Bob"), QStringLiteral("player"), kFoyer))
                     .isEmpty());
    m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("a quiet evening in the foyer")));
}

void TestFiltering::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_server.reset();
}

int TestFiltering::queueRows(const QString &kind)
{
    const QString name = QStringLiteral("queue-check-") + kind;
    int rows = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_server->app().config().database.url.mid(7));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT COUNT(*) FROM moderation_queue WHERE kind = ? AND status = 'pending'"));
            q.addBindValue(kind);
            if (q.exec() && q.next())
                rows = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

void TestFiltering::profanityIsMaskedForRecipients()
{
    const QJsonObject ack =
            m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("what the f.u.c.k is that")));
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(eventData(ack).value(QStringLiteral("filtered")).toBool(), true);
    QCOMPARE(eventData(ack).value(QStringLiteral("held")).toBool(), false);
    const QJsonObject got = m_bob->waitFor(QStringLiteral("chat_message"), [](const QJsonObject &d) {
        return d.value(QStringLiteral("content")).toString().startsWith(QStringLiteral("what the"));
    });
    QVERIFY(!got.isEmpty());
    QCOMPARE(eventField(got, "content"), QStringLiteral("what the ******* is that"));
    QCOMPARE(eventData(got).value(QStringLiteral("filtered")).toBool(), true);
    QVERIFY(!eventField(got, "message").contains(QStringLiteral("f.u.c.k")));
    // Scunthorpe is a town, not a swear word.
    m_alice->request(
            sendFrame(QStringLiteral("say"), QStringLiteral("off to Scunthorpe for a classic assassin story")));
    const QJsonObject clean =
            m_bob->waitFor(QStringLiteral("chat_message"),
                           contentIs(QStringLiteral("off to Scunthorpe for a classic assassin story")));
    QVERIFY(!clean.isEmpty());
    QCOMPARE(eventData(clean).value(QStringLiteral("filtered")).toBool(), false);
    // The audit trail has what alice really wrote; history has what bob saw.
    bool original = false;
    for (const QJsonObject &line : m_server->auditLines(QStringLiteral("chat")))
        original = original
                || line.value(QStringLiteral("content")).toString() == QStringLiteral("what the f.u.c.k is that");
    QVERIFY(original);
}

void TestFiltering::flaggedMessagesAreDeliveredAndQueued()
{
    const QJsonObject ack =
            m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("selling gold cheap, pm me")));
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(eventData(ack).value(QStringLiteral("held")).toBool(), false);
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("selling gold cheap, pm me")))
                     .isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return queueRows(QStringLiteral("flagged")) == 1; }, 3000));
    bool logged = false;
    for (const QJsonObject &line : m_server->auditLines(QStringLiteral("moderation")))
        logged = logged
                || (line.value(QStringLiteral("event")) == QStringLiteral("flagged")
                    && line.value(QStringLiteral("message_id")) == eventData(ack).value(QStringLiteral("message_id")));
    QVERIFY(logged);
}

void TestFiltering::heldMessagesReachNobody()
{
    const QString threat = QStringLiteral("i will kill you irl");
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), threat));
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(eventData(ack).value(QStringLiteral("held")).toBool(), true);
    QVERIFY(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(threat), 300).isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return queueRows(QStringLiteral("held")) == 1; }, 3000));
    // Not in history either, until a moderator approves it.
    const QJsonObject history = m_bob->request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                 { QStringLiteral("channel"), QStringLiteral("say") } });
    for (const QJsonValue &m : eventData(history).value(QStringLiteral("messages")).toArray())
        QVERIFY(m.toObject().value(QStringLiteral("content")).toString() != threat);
}

void TestFiltering::eachChannelFiltersAtItsLevel()
{
    const QString swear = QStringLiteral("oh fuck, the ghoul got me");
    // global is at the adult level: delivered as written.
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("global"), swear));
    QCOMPARE(eventData(ack).value(QStringLiteral("filtered")).toBool(), false);
    const QJsonObject got = m_bob->waitFor(QStringLiteral("chat_message"), contentIs(swear));
    QVERIFY(!got.isEmpty());
    QCOMPARE(eventField(got, "channel"), QStringLiteral("global"));
    // say is at the default level: masked.
    m_alice->request(sendFrame(QStringLiteral("say"), swear));
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("oh ****, the ghoul got me")))
                     .isEmpty());
    // whisper is at the strict level: held, masked, and queued with the word named.
    const int heldBefore = queueRows(QStringLiteral("held"));
    QJsonObject whisper = sendFrame(QStringLiteral("whisper"), swear);
    whisper.insert(QStringLiteral("target"), QStringLiteral("bob"));
    const QJsonObject held = m_alice->request(whisper);
    QCOMPARE(held.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(eventData(held).value(QStringLiteral("held")).toBool(), true);
    QCOMPARE(eventData(held).value(QStringLiteral("filtered")).toBool(), true);
    QVERIFY(m_bob->waitFor(
                         QStringLiteral("chat_message"),
                         [](const QJsonObject &d) {
                             return d.value(QStringLiteral("channel")).toString() == QLatin1String("whisper");
                         },
                         300)
                    .isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return queueRows(QStringLiteral("held")) == heldBefore + 1; }, 3000));
    // The reason moderators read is the listed word, not an expression.
    QJsonArray reasons;
    for (const QJsonObject &line : m_server->auditLines(QStringLiteral("moderation"))) {
        if (line.value(QStringLiteral("message_id")) == eventData(held).value(QStringLiteral("message_id")))
            reasons = line.value(QStringLiteral("reasons")).toArray();
    }
    QCOMPARE(reasons, QJsonArray { QStringLiteral("fuck") });
}

QTEST_GUILESS_MAIN(TestFiltering)
#include "tst_filtering.moc"
