// The escalation ladder over two instances sharing NATS: a filter hit on B and a moderator's
// warning on A add up to the same standing on both, each step is taken once (a notice to the
// player alone, a server mute that refuses the next message, a review item in the queue),
// floods count, self-harm and staff never do, a reset on one instance clears both, and the
// standing survives a restart. Every step is a moderation log line.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "chat/directory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kSwear = QStringLiteral("this shit again"); // profanity, moderate: 1 point

int countLines(TestServer &s, const QString &event, const QString &player)
{
    int n = 0;
    for (const QJsonObject &l : s.auditLines(QStringLiteral("moderation")))
        n += l.value(QStringLiteral("event")) == event && l.value(QStringLiteral("player_id")) == player;
    return n;
}

QJsonObject playerFrame(const char *type, const QString &player, const QString &reason = {})
{
    QJsonObject f { { QStringLiteral("type"), QLatin1String(type) }, { QStringLiteral("player"), player } };
    if (!reason.isEmpty())
        f.insert(QStringLiteral("reason"), reason);
    return f;
}

auto isNotice = [](const QJsonObject &d) {
    return d.value(QStringLiteral("notice")).toString() == QLatin1String("escalation");
};
} // namespace

class TestEscalation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void filterHitWarnsThePlayerAlone();
    void standingIsTheSameOnBothInstances();
    void warningOnTheOtherInstanceMutes();
    void resetOnOneInstanceClearsBoth();
    void floodReachesReview();
    void selfHarmAndStaffNeverCount();
    void playersCannotUseTheLadder();
    void notesAreSharedByEveryInstance();
    void standingSurvivesARestart();

private:
    Config config(const QString &id, const QString &dataDir);
    // B keeps its data across a restart and limits rates (for the flood).
    Config configB()
    {
        Config c = config(QStringLiteral("esc-b"), m_dirB.path());
        c.rateLimitingEnabled = true;
        return c;
    }
    std::unique_ptr<TestClient> join(TestServer &s, const QString &id, const QString &role = QStringLiteral("player"));
    int pointsOn(TestClient &moderator, const QString &player);
    NatsServer m_nats;
    QTemporaryDir m_dirB;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_pat, m_listener, m_modA, m_modB;
};

Config TestEscalation::config(const QString &id, const QString &dataDir)
{
    Config c = testConfig(m_nats.url());
    c.server.serverId = id;
    c.server.dataDir = dataDir;
    auto &e = c.moderation.escalation;
    e.enabled = true;
    e.decayMinutes = 60;
    e.rateLimitFloodPoints = 3;
    using A = EscalationStep::Action;
    e.steps = { { 1, A::Warn, 0 }, { 2, A::Mute, 1 }, { 3, A::Review, 0 } };
    return c;
}

std::unique_ptr<TestClient> TestEscalation::join(TestServer &s, const QString &id, const QString &role)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(s.port()) || c->authToken(tokenFor(id, id.left(1).toUpper() + id.mid(1), role, kFoyer)).isEmpty())
        return nullptr;
    return c;
}

int TestEscalation::pointsOn(TestClient &moderator, const QString &player)
{
    const QJsonObject r = moderator.request(playerFrame("standing", player));
    if (r.value(QStringLiteral("event_type")).toString() != QLatin1String("standing"))
        return -1;
    return eventData(r).value(QStringLiteral("points")).toInt(-1);
}

void TestEscalation::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY(m_dirB.isValid());
    m_a = std::make_unique<TestServer>(config(QStringLiteral("esc-a"), QString()));
    m_b = std::make_unique<TestServer>(configB());
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());
    m_pat = join(*m_b, QStringLiteral("pat"));
    m_listener = join(*m_b, QStringLiteral("lena"));
    m_modA = join(*m_a, QStringLiteral("moda"), QStringLiteral("moderator"));
    m_modB = join(*m_b, QStringLiteral("modb"), QStringLiteral("moderator"));
    QVERIFY(m_pat && m_listener && m_modA && m_modB);
    QVERIFY(QTest::qWaitFor([&] { return m_a->app().directory()->resolve(QStringLiteral("pat")).has_value(); }, 5000));
}

void TestEscalation::cleanupTestCase()
{
    m_pat.reset();
    m_listener.reset();
    m_modA.reset();
    m_modB.reset();
    m_a.reset();
    m_b.reset();
}

void TestEscalation::filterHitWarnsThePlayerAlone()
{
    const QJsonObject ack = m_pat->request(sendFrame(QStringLiteral("say"), kSwear));
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    const QJsonObject notice = m_pat->waitFor(QStringLiteral("chat_message"), isNotice);
    QVERIFY(!notice.isEmpty());
    QCOMPARE(eventField(notice, "channel"), QStringLiteral("system"));
    QVERIFY2(eventField(notice, "content").startsWith(QStringLiteral("Warning")),
             qPrintable(eventField(notice, "content")));
    QCOMPARE(eventData(notice).value(QStringLiteral("standing")).toInt(), 1);
    // The notice comes after the ack of the message that caused it.
    const QList<QJsonObject> &events = m_pat->events();
    qsizetype ackAt = -1, noticeAt = -1;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i] == ack)
            ackAt = i;
        if (events[i] == notice)
            noticeAt = i;
    }
    QVERIFY(ackAt >= 0 && noticeAt > ackAt);
    // Nobody else hears it.
    QVERIFY(!m_listener->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("this **** again")))
                     .isEmpty());
    for (const QJsonObject &e : m_listener->eventsOfType(QStringLiteral("chat_message")))
        QVERIFY(!isNotice(eventData(e)));
    QVERIFY(QTest::qWaitFor([&] { return countLines(*m_b, QStringLiteral("offence"), QStringLiteral("pat")) == 1; },
                            3000));
    QCOMPARE(countLines(*m_b, QStringLiteral("escalation"), QStringLiteral("pat")), 1);
}

void TestEscalation::standingIsTheSameOnBothInstances()
{
    QVERIFY(QTest::qWaitFor([&] { return pointsOn(*m_modA, QStringLiteral("pat")) == 1; }, 3000));
    QCOMPARE(pointsOn(*m_modB, QStringLiteral("pat")), 1);
    const QJsonObject s = eventData(m_modA->request(playerFrame("standing", QStringLiteral("Pat")))); // by name
    QCOMPARE(s.value(QStringLiteral("player_id")).toString(), QStringLiteral("pat"));
    const QJsonArray offences = s.value(QStringLiteral("offences")).toArray();
    QCOMPARE(offences.size(), 1);
    QCOMPARE(offences[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("filter"));
    QCOMPARE(offences[0].toObject().value(QStringLiteral("detail")).toString(),
             QStringLiteral("profanity (moderate) on say"));
    QCOMPARE(s.value(QStringLiteral("last_step")).toObject().value(QStringLiteral("action")).toString(),
             QStringLiteral("warn"));
    QCOMPARE(s.value(QStringLiteral("next_step")).toObject().value(QStringLiteral("action")).toString(),
             QStringLiteral("mute"));
}

void TestEscalation::warningOnTheOtherInstanceMutes()
{
    const QJsonObject r =
            m_modA->request(playerFrame("warn", QStringLiteral("pat"), QStringLiteral("mind the language")));
    QCOMPARE(r.value(QStringLiteral("event_type")).toString(), QStringLiteral("standing"));
    QCOMPARE(eventData(r).value(QStringLiteral("points")).toInt(), 2);
    // Pat, on B, is told, and the mute A set reaches B.
    const QJsonObject notice = m_pat->waitFor(QStringLiteral("chat_message"), [](const QJsonObject &d) {
        return d.value(QStringLiteral("notice")).toString() == QLatin1String("escalation")
                && d.value(QStringLiteral("content")).toString().contains(QStringLiteral("mind the language"));
    });
    QVERIFY(!notice.isEmpty());
    QVERIFY2(eventField(notice, "content").contains(QStringLiteral("muted for 1 minutes")),
             qPrintable(eventField(notice, "content")));
    QVERIFY(QTest::qWaitFor(
            [&] {
                const QJsonObject refused = m_pat->request(sendFrame(QStringLiteral("say"), QStringLiteral("hello?")));
                return eventField(refused, "code") == QStringLiteral("muted");
            },
            3000));
    QCOMPARE(countLines(*m_a, QStringLiteral("escalation"), QStringLiteral("pat")), 1); // the mute, taken on A
    bool muteLogged = false;
    for (const QJsonObject &l : m_a->auditLines(QStringLiteral("moderation")))
        muteLogged = muteLogged
                || (l.value(QStringLiteral("event")) == QStringLiteral("mute")
                    && l.value(QStringLiteral("actor")) == QStringLiteral("escalation")
                    && l.value(QStringLiteral("target_id")) == QStringLiteral("pat"));
    QVERIFY(muteLogged);
}

void TestEscalation::resetOnOneInstanceClearsBoth()
{
    const QJsonObject r = m_modB->request(playerFrame("reset_standing", QStringLiteral("pat")));
    QCOMPARE(eventData(r).value(QStringLiteral("points")).toInt(), 0);
    QVERIFY(QTest::qWaitFor([&] { return pointsOn(*m_modA, QStringLiteral("pat")) == 0; }, 3000));
    QCOMPARE(countLines(*m_b, QStringLiteral("standing_reset"), QStringLiteral("pat")), 1);
    // Lift the ladder's mute the way a moderator would.
    m_modA->request({ { QStringLiteral("type"), QStringLiteral("unmute") },
                      { QStringLiteral("target_type"), QStringLiteral("player") },
                      { QStringLiteral("target"), QStringLiteral("pat") },
                      { QStringLiteral("scope"), QStringLiteral("server") } });
    QVERIFY(QTest::qWaitFor(
            [&] {
                const QJsonObject sent =
                        m_pat->request(sendFrame(QStringLiteral("say"), QStringLiteral("sorry about that")));
                return sent.value(QStringLiteral("event_type")).toString() == QLatin1String("ack");
            },
            3000));
}

void TestEscalation::floodReachesReview()
{
    // A flood (3 points here) takes pat from 0 straight to the review step, the highest reached.
    auto flooder = join(*m_b, QStringLiteral("flo"));
    QVERIFY(flooder);
    QString lastCode;
    for (int i = 0; i < 40 && lastCode != QLatin1String("rate_limited"); ++i)
        lastCode = eventField(flooder->request(sendFrame(QStringLiteral("say"), QStringLiteral("spam %1").arg(i))),
                              "code");
    QCOMPARE(lastCode, QStringLiteral("rate_limited"));
    const QJsonObject notice = flooder->waitFor(QStringLiteral("chat_message"), isNotice);
    QVERIFY(!notice.isEmpty());
    QVERIFY2(eventField(notice, "content").contains(QStringLiteral("review")),
             qPrintable(eventField(notice, "content")));
    // The review item is in the queue, on the other instance too.
    QVERIFY(QTest::qWaitFor(
            [&] {
                const QJsonObject q = m_modA->request({ { QStringLiteral("type"), QStringLiteral("queue") } });
                for (const QJsonValue &v : eventData(q).value(QStringLiteral("items")).toArray()) {
                    const QJsonObject item = v.toObject();
                    if (item.value(QStringLiteral("kind")) == QStringLiteral("review")
                        && item.value(QStringLiteral("message")).toObject().value(QStringLiteral("sender_id"))
                                == QStringLiteral("flo"))
                        return true;
                }
                return false;
            },
            3000));
    QCOMPARE(pointsOn(*m_modA, QStringLiteral("flo")), 3);
}

void TestEscalation::selfHarmAndStaffNeverCount()
{
    auto sam = join(*m_b, QStringLiteral("sam"));
    QVERIFY(sam);
    // Held for a moderator (the self-harm rule) but not an offence: a mute is not help.
    const QJsonObject held = sam->request(sendFrame(QStringLiteral("say"), QStringLiteral("i want to kill myself")));
    QCOMPARE(eventData(held).value(QStringLiteral("held")).toBool(), true);
    m_modB->request(sendFrame(QStringLiteral("say"), kSwear)); // a moderator swearing
    QTest::qWait(300);
    QCOMPARE(pointsOn(*m_modA, QStringLiteral("sam")), 0);
    QCOMPARE(pointsOn(*m_modA, QStringLiteral("modb")), 0);
    QCOMPARE(eventField(m_modA->request(playerFrame("warn", QStringLiteral("modb"))), "code"),
             QStringLiteral("forbidden"));
    QCOMPARE(eventField(m_modA->request(playerFrame("warn", QStringLiteral("nobody-here"))), "code"),
             QStringLiteral("unknown_target"));
    QCOMPARE(eventField(m_modA->request({ { QStringLiteral("type"), QStringLiteral("warn") } }), "code"),
             QStringLiteral("invalid_request"));
}

void TestEscalation::playersCannotUseTheLadder()
{
    for (const char *type : { "warn", "standing", "reset_standing" })
        QCOMPARE(eventField(m_listener->request(playerFrame(type, QStringLiteral("pat"))), "code"),
                 QStringLiteral("forbidden"));
}

void TestEscalation::notesAreSharedByEveryInstance()
{
    QJsonObject add { { QStringLiteral("type"), QStringLiteral("add_note") },
                      { QStringLiteral("player"), QStringLiteral("Pat") },
                      { QStringLiteral("text"), QStringLiteral("  second account of someone banned last week  ") } };
    const QJsonObject r = m_modA->request(add);
    QCOMPARE(r.value(QStringLiteral("event_type")).toString(), QStringLiteral("notes"));
    QCOMPARE(eventData(r).value(QStringLiteral("player_id")).toString(), QStringLiteral("pat"));
    QCOMPARE(eventData(r).value(QStringLiteral("notes")).toArray().size(), 1);
    add.insert(QStringLiteral("text"), QStringLiteral("apologised in private"));
    m_modA->request(add);
    // B has its own database: it stored the relayed notes, newest first.
    QJsonArray onB;
    QVERIFY(QTest::qWaitFor(
            [&] {
                onB = eventData(m_modB->request(playerFrame("notes", QStringLiteral("pat"))))
                              .value(QStringLiteral("notes"))
                              .toArray();
                return onB.size() == 2;
            },
            3000));
    QCOMPARE(onB[0].toObject().value(QStringLiteral("text")).toString(), QStringLiteral("apologised in private"));
    QCOMPARE(onB[1].toObject().value(QStringLiteral("text")).toString(),
             QStringLiteral("second account of someone banned last week"));
    QCOMPARE(onB[1].toObject().value(QStringLiteral("author_id")).toString(), QStringLiteral("moda"));
    QCOMPARE(onB[1].toObject().value(QStringLiteral("author_name")).toString(), QStringLiteral("Moda"));
    QCOMPARE(countLines(*m_a, QStringLiteral("note"), QStringLiteral("pat")), 2);
    add.insert(QStringLiteral("text"), QStringLiteral("   "));
    QCOMPARE(eventField(m_modA->request(add), "code"), QStringLiteral("invalid_request"));
    QCOMPARE(eventField(m_listener->request(playerFrame("notes", QStringLiteral("pat"))), "code"),
             QStringLiteral("forbidden"));
}

void TestEscalation::standingSurvivesARestart()
{
    const int before = pointsOn(*m_modB, QStringLiteral("flo"));
    QCOMPARE(before, 3);
    m_pat.reset();
    m_listener.reset();
    m_modB.reset();
    m_b.reset(); // the database stays in m_dirB
    m_b = std::make_unique<TestServer>(configB());
    QVERIFY(m_b->start());
    m_modB = join(*m_b, QStringLiteral("modb"), QStringLiteral("moderator"));
    QVERIFY(m_modB);
    QCOMPARE(pointsOn(*m_modB, QStringLiteral("flo")), before);
}

QTEST_GUILESS_MAIN(TestEscalation)
#include "tst_escalation.moc"
