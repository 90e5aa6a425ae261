// Recovery (PROTOCOL §3): a player who reconnects — to the same or another instance — and sends
// `resume` gets exactly what they missed, in order, and nothing they may not read; what cannot
// be complete says so.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "moderation/muteservice.h"

#include <QJsonArray>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kDocks = QStringLiteral("earth_arkham_docks_pier");
constexpr int kMaxMessages = 60;

QString ackId(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("event_type")).toString() == QStringLiteral("ack")
            ? eventField(reply, "message_id")
            : QString();
}

QJsonObject resumeFrame(const QJsonValue &since)
{
    return { { QStringLiteral("type"), QStringLiteral("resume") }, { QStringLiteral("since"), since } };
}

QStringList idsOf(const QJsonArray &messages)
{
    QStringList ids;
    for (const QJsonValue &m : messages)
        ids.append(m.toObject().value(QStringLiteral("message_id")).toString());
    return ids;
}
} // namespace

class TestRecovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void resumeOnAnotherInstanceReturnsExactlyWhatWasMissed();
    void resumeOverTheLimitSaysTooMany();
    void resumeWithUnknownOrBadSince();
    void resumeWithoutHistorySaysUnavailable();
    void moderatorFeedResumeCoversEveryScope();

private:
    std::unique_ptr<TestClient> join(TestServer &server, const QString &id, const QString &room,
                                     const QString &role = QStringLiteral("player"));
    QString send(TestClient &c, const QString &channel, const QString &text, const QString &target = {});
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_bob, m_carol, m_dave, m_mod, m_docker;
    QString m_since; // the last message Alice received before she dropped
    QStringList m_missed; // what she should get back, oldest first
};

std::unique_ptr<TestClient> TestRecovery::join(TestServer &server, const QString &id, const QString &room,
                                               const QString &role)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(server.port()) || c->authToken(tokenFor(id, id.toUpper(), role, room)).isEmpty())
        return nullptr;
    return c;
}

QString TestRecovery::send(TestClient &c, const QString &channel, const QString &text, const QString &target)
{
    return ackId(c.request(sendFrame(channel, text, target)));
}

void TestRecovery::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config a = testConfig(m_nats.url());
    a.server.serverId = QStringLiteral("instance-a");
    Config b = a;
    b.server.serverId = QStringLiteral("instance-b");
    b.recovery.maxMessages = kMaxMessages;
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());
    m_bob = join(*m_b, QStringLiteral("bob"), kFoyer);
    m_carol = join(*m_b, QStringLiteral("carol"), kFoyer);
    m_dave = join(*m_b, QStringLiteral("dave"), kFoyer);
    m_mod = join(*m_b, QStringLiteral("mod"), kFoyer, QStringLiteral("moderator"));
    m_docker = join(*m_b, QStringLiteral("docker"), kDocks);
    QVERIFY(m_bob && m_carol && m_dave && m_mod && m_docker);
}

void TestRecovery::cleanupTestCase()
{
    m_bob.reset();
    m_carol.reset();
    m_dave.reset();
    m_mod.reset();
    m_docker.reset();
    m_a.reset();
    m_b.reset();
}

void TestRecovery::resumeOnAnotherInstanceReturnsExactlyWhatWasMissed()
{
    // Alice plays on A, mutes Dave, and holds Bob's line when her connection drops.
    auto alice = join(*m_a, QStringLiteral("alice"), kFoyer);
    QVERIFY(alice);
    const QJsonObject muted = alice->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                                               { QStringLiteral("target_type"), QStringLiteral("player") },
                                               { QStringLiteral("target"), QStringLiteral("dave") } });
    QCOMPARE(muted.value(QStringLiteral("event_type")).toString(), QStringLiteral("mutes"));
    QVERIFY(QTest::qWaitFor(
            [&] {
                send(*m_bob, QStringLiteral("say"), QStringLiteral("before the drop"));
                return !alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("before the drop")),
                                       300)
                                .isEmpty();
            },
            10000));
    m_since = eventField(alice->eventsOfType(QStringLiteral("chat_message")).last(), "message_id");
    alice.reset();

    // Meanwhile on B: 50 lines she should get, and what she must not.
    for (int i = 0; i < 50; ++i) {
        const QString id = send(*m_bob, QStringLiteral("say"), QStringLiteral("missed %1").arg(i));
        QVERIFY(!id.isEmpty());
        m_missed.append(id);
        if (i == 25) {
            m_missed.append(send(*m_carol, QStringLiteral("global"), QStringLiteral("a global line")));
            QVERIFY(!send(*m_carol, QStringLiteral("whisper"), QStringLiteral("for bob only"), QStringLiteral("bob"))
                             .isEmpty());
            QVERIFY(!send(*m_dave, QStringLiteral("say"), QStringLiteral("dave is muted")).isEmpty());
            QVERIFY(!send(*m_mod, QStringLiteral("admin"), QStringLiteral("staff only")).isEmpty());
            QVERIFY(!send(*m_docker, QStringLiteral("say"), QStringLiteral("on the docks")).isEmpty());
        }
    }
    QVERIFY(!m_missed.contains(QString()));

    // She reconnects to B and resumes; B knows her mute from A.
    alice = join(*m_b, QStringLiteral("alice"), kFoyer);
    QVERIFY(alice);
    QTRY_VERIFY_WITH_TIMEOUT(!m_b->app()
                                      .mutes()
                                      ->registry()
                                      .personalMutesOf(QStringLiteral("alice"), QDateTime::currentDateTimeUtc())
                                      .isEmpty(),
                             5000);
    const QJsonObject reply = alice->request(resumeFrame(m_since));
    QCOMPARE(reply.value(QStringLiteral("event_type")).toString(), QStringLiteral("resumed"));
    const QJsonObject data = eventData(reply);
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(), true);
    QVERIFY(!data.contains(QStringLiteral("reason")));
    const QJsonArray messages = data.value(QStringLiteral("messages")).toArray();
    QStringList after;
    for (const QJsonValue &v : messages) {
        const QJsonObject m = v.toObject();
        const QString content = m.value(QStringLiteral("content")).toString();
        QVERIFY2(content != QStringLiteral("for bob only") && content != QStringLiteral("dave is muted")
                         && content != QStringLiteral("staff only") && content != QStringLiteral("on the docks"),
                 qPrintable(content));
        if (m.value(QStringLiteral("message_id")).toString() > m_since)
            after.append(m.value(QStringLiteral("message_id")).toString());
    }
    QCOMPARE(after, m_missed);
    // Oldest first, the clock window's extras included.
    QStringList sorted = idsOf(messages);
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(idsOf(messages), sorted);
    QVERIFY(idsOf(messages).contains(m_since)); // within the window: the client drops what it holds
}

void TestRecovery::resumeOverTheLimitSaysTooMany()
{
    QVERIFY(!m_since.isEmpty());
    for (int i = 0; i < 30; ++i) {
        const QString id = send(*m_bob, QStringLiteral("say"), QStringLiteral("more %1").arg(i));
        QVERIFY(!id.isEmpty());
        m_missed.append(id);
    }
    auto alice = join(*m_b, QStringLiteral("alice"), kFoyer);
    QVERIFY(alice);
    const QJsonObject data = eventData(alice->request(resumeFrame(m_since)));
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(true), false);
    QCOMPARE(data.value(QStringLiteral("reason")).toString(), QStringLiteral("too_many"));
    // The newest max_messages stored, oldest first, less what her mutes hide: Dave's line is
    // among them and is withheld (the limit counts before mutes, so "complete" is never a guess).
    const QStringList ids = idsOf(data.value(QStringLiteral("messages")).toArray());
    QCOMPARE(ids.size(), kMaxMessages - 1);
    QCOMPARE(ids, m_missed.mid(m_missed.size() - ids.size()));
}

void TestRecovery::resumeWithUnknownOrBadSince()
{
    auto alice = join(*m_b, QStringLiteral("alice"), kFoyer);
    QVERIFY(alice);
    // Well-formed, recent, but no such message: the store cannot say what is missing.
    const QString unknown = m_missed.last().left(18) + QStringLiteral("-nowhere");
    QJsonObject data = eventData(alice->request(resumeFrame(unknown)));
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(true), false);
    QCOMPARE(data.value(QStringLiteral("reason")).toString(), QStringLiteral("unknown_since"));

    // An hour ago (beyond max_age_seconds): too old, the newest messages still come.
    const QString old =
            QStringLiteral("%1").arg(QDateTime::currentMSecsSinceEpoch() - 3600 * 1000, 12, 16, QLatin1Char('0'))
            + QStringLiteral("000000-instance-b");
    data = eventData(alice->request(resumeFrame(old)));
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(true), false);
    QVERIFY(data.value(QStringLiteral("reason")).toString() == QStringLiteral("too_old")
            || data.value(QStringLiteral("reason")).toString() == QStringLiteral("unknown_since"));
    QCOMPARE(data.value(QStringLiteral("messages")).toArray().size(), kMaxMessages - 1); // less the muted line

    for (const QJsonValue &bad : { QJsonValue(), QJsonValue(42), QJsonValue(QStringLiteral("yesterday")),
                                   QJsonValue(QStringLiteral("0123456789ab000000-x y")) }) {
        const QJsonObject reply = alice->request(resumeFrame(bad));
        QCOMPARE(reply.value(QStringLiteral("event_type")).toString(), QStringLiteral("error"));
        QCOMPARE(eventField(reply, "code"), QStringLiteral("invalid_request"));
    }
    TestClient stranger;
    QVERIFY(stranger.open(m_b->port()));
    QCOMPARE(eventField(stranger.request(resumeFrame(m_since)), "code"), QStringLiteral("unauthenticated"));
}

void TestRecovery::resumeWithoutHistorySaysUnavailable()
{
    Config c = testConfig();
    c.history.enabled = false;
    TestServer server(c);
    QVERIFY(server.start());
    auto alice = join(server, QStringLiteral("alice"), kFoyer);
    QVERIFY(alice);
    const QJsonObject data = eventData(alice->request(resumeFrame(m_since)));
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(true), false);
    QCOMPARE(data.value(QStringLiteral("reason")).toString(), QStringLiteral("history_unavailable"));
    QCOMPARE(data.value(QStringLiteral("messages")).toArray().size(), 0);
}

void TestRecovery::moderatorFeedResumeCoversEveryScope()
{
    // A moderator watches the feed on A and holds one line when the console drops.
    auto watcher = join(*m_a, QStringLiteral("watcher"), kDocks, QStringLiteral("moderator"));
    QVERIFY(watcher);
    QCOMPARE(watcher->request({ { QStringLiteral("type"), QStringLiteral("monitor") } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("monitor"));
    QVERIFY(QTest::qWaitFor(
            [&] {
                send(*m_bob, QStringLiteral("say"), QStringLiteral("feed before the drop"));
                return !watcher->waitFor(QStringLiteral("monitor_message"),
                                         contentIs(QStringLiteral("feed before the drop")), 300)
                                .isEmpty();
            },
            10000));
    const QString since = eventField(watcher->eventsOfType(QStringLiteral("monitor_message")).last(), "message_id");
    watcher.reset();

    // Traffic in scopes the moderator is not in, staff lines, their own line and a whisper.
    QStringList expected;
    expected << send(*m_bob, QStringLiteral("say"), QStringLiteral("in the foyer"));
    expected << send(*m_docker, QStringLiteral("say"), QStringLiteral("on the docks, for the feed"));
    expected << send(*m_mod, QStringLiteral("admin"), QStringLiteral("staff line for the feed"));
    const QString whisper =
            send(*m_carol, QStringLiteral("whisper"), QStringLiteral("feed whisper"), QStringLiteral("bob"));
    QVERIFY(!expected.contains(QString()) && !whisper.isEmpty());

    auto moderator = join(*m_b, QStringLiteral("watcher"), kDocks, QStringLiteral("moderator"));
    QVERIFY(moderator);
    QJsonObject feedResume = resumeFrame(since);
    feedResume.insert(QStringLiteral("feed"), QStringLiteral("monitor"));
    QJsonObject data = eventData(moderator->request(feedResume));
    QCOMPARE(data.value(QStringLiteral("feed")).toString(), QStringLiteral("monitor"));
    QCOMPARE(data.value(QStringLiteral("recovered")).toBool(), true);
    QStringList after;
    for (const QString &id : idsOf(data.value(QStringLiteral("messages")).toArray()))
        if (id > since)
            after.append(id);
    QCOMPARE(after, expected); // whispers are not in a moderator's feed (whispers_in_feed: false)

    // Admins see whispers in the feed, so their feed resume has it.
    auto admin = join(*m_b, QStringLiteral("boss"), kDocks, QStringLiteral("admin"));
    QVERIFY(admin);
    data = eventData(admin->request(feedResume));
    QVERIFY(idsOf(data.value(QStringLiteral("messages")).toArray()).contains(whisper));

    // The feed is for staff; an unknown feed is a bad request.
    QCOMPARE(eventField(m_bob->request(feedResume), "code"), QStringLiteral("forbidden"));
    feedResume.insert(QStringLiteral("feed"), QStringLiteral("everything"));
    QCOMPARE(eventField(moderator->request(feedResume), "code"), QStringLiteral("invalid_request"));
}

QTEST_GUILESS_MAIN(TestRecovery)
#include "tst_recovery.moc"
