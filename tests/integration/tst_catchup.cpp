// Catch-up after a NATS outage (PROTOCOL §3 Recovery): each instance keeps serving its own
// players while the bus is down; when it returns, every player gets what the other instance
// accepted for their scopes meanwhile, once, in order, marked late — with one SQLite per
// instance and with a shared PostgreSQL — and a gap event when it cannot be complete.
#include "chat/directory.h"
#include "natsserver.h"
#include "testclient.h"
#include "testdatabase.h"
#include "testserver.h"

#include <QJsonArray>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kDocks = QStringLiteral("earth_arkham_docks_pier");

bool acked(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("event_type")).toString() == QStringLiteral("ack");
}

// The contents of the chat_messages a client received that start with `prefix`, in order,
// and how many of them were marked late.
QStringList received(const TestClient &c, const QString &prefix, int *late = nullptr)
{
    QStringList contents;
    int lateCount = 0;
    for (const QJsonObject &e : c.eventsOfType(QStringLiteral("chat_message"))) {
        const QJsonObject data = e.value(QStringLiteral("data")).toObject();
        const QString content = data.value(QStringLiteral("content")).toString();
        if (!content.startsWith(prefix))
            continue;
        contents.append(content);
        lateCount += data.value(QStringLiteral("late")).toBool();
    }
    if (late)
        *late = lateCount;
    return contents;
}

QStringList numbered(const QString &prefix, int count)
{
    QStringList lines;
    for (int i = 0; i < count; ++i)
        lines.append(QStringLiteral("%1 %2").arg(prefix).arg(i));
    return lines;
}
} // namespace

class TestCatchUp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyPlayerGetsWhatTheOtherInstanceAccepted_data();
    void everyPlayerGetsWhatTheOtherInstanceAccepted();
    void moreThanTheBoundSaysGap();

private:
    bool startPair(const QString &databaseUrl, int maxMessagesOnB = 200);
    void stopPair();
    bool outage(const std::function<void()> &duringOutage);
    std::unique_ptr<TestClient> join(TestServer &server, const QString &id, const QString &room);

    std::unique_ptr<NatsServer> m_nats;
    std::unique_ptr<TestServer> m_a, m_b;
};

std::unique_ptr<TestClient> TestCatchUp::join(TestServer &server, const QString &id, const QString &room)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(server.port()) || c->authToken(tokenFor(id, id.toUpper(), QStringLiteral("player"), room)).isEmpty())
        return nullptr;
    return c;
}

bool TestCatchUp::startPair(const QString &databaseUrl, int maxMessagesOnB)
{
    m_nats = std::make_unique<NatsServer>();
    if (!m_nats->start())
        return false;
    Config a = testConfig(m_nats->url());
    a.server.serverId = QStringLiteral("instance-a");
    a.database.url = databaseUrl; // empty: each instance its own SQLite in its data directory
    Config b = a;
    b.server.serverId = QStringLiteral("instance-b");
    b.recovery.maxMessages = maxMessagesOnB;
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    return m_a->start() && m_b->start() && m_a->waitForNats() && m_b->waitForNats();
}

void TestCatchUp::stopPair()
{
    m_a.reset();
    m_b.reset();
    m_nats.reset();
}

bool TestCatchUp::outage(const std::function<void()> &duringOutage)
{
    auto status = [](TestServer &s) { return s.app().health().value(QStringLiteral("status")).toString(); };
    m_nats->stop();
    if (!QTest::qWaitFor(
                [&] {
                    return status(*m_a) == QStringLiteral("degraded") && status(*m_b) == QStringLiteral("degraded");
                },
                5000))
        return false;
    duringOutage();
    return m_nats->start()
            && QTest::qWaitFor(
                    [&] { return status(*m_a) == QStringLiteral("ok") && status(*m_b) == QStringLiteral("ok"); },
                    15000);
}

void TestCatchUp::everyPlayerGetsWhatTheOtherInstanceAccepted_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite per instance") << QStringLiteral("sqlite");
    QTest::newRow("shared postgresql") << QStringLiteral("postgresql");
}

void TestCatchUp::everyPlayerGetsWhatTheOtherInstanceAccepted()
{
    QFETCH(QString, backend);
    std::unique_ptr<TestDatabase> database;
    if (backend == QStringLiteral("postgresql")) {
        database = std::make_unique<TestDatabase>(backend);
        if (!database->isAvailable())
            QSKIP(qPrintable(database->skipReason()));
    }
    QVERIFY(startPair(database ? database->url() : QString()));
    auto alice = join(*m_a, QStringLiteral("alice"), kFoyer);
    auto bob = join(*m_a, QStringLiteral("bob"), kFoyer);
    auto carol = join(*m_b, QStringLiteral("carol"), kFoyer);
    auto dave = join(*m_b, QStringLiteral("dave"), kDocks);
    QVERIFY(alice && bob && carol && dave);
    QVERIFY(QTest::qWaitFor([&] { return m_a->app().directory()->resolve(QStringLiteral("carol")).has_value(); },
                            5000));

    const QStringList fromA = numbered(QStringLiteral("a-down"), 10);
    const QStringList fromB = numbered(QStringLiteral("b-down"), 10);
    QVERIFY(outage([&] {
        for (int i = 0; i < 10; ++i) {
            QVERIFY(acked(alice->request(sendFrame(QStringLiteral("say"), fromA[i]))));
            QVERIFY(acked(carol->request(sendFrame(QStringLiteral("say"), fromB[i]))));
        }
        QVERIFY(acked(alice->request(
                sendFrame(QStringLiteral("whisper"), QStringLiteral("a-whisper for carol"), QStringLiteral("carol")))));
        QVERIFY(acked(dave->request(sendFrame(QStringLiteral("say"), QStringLiteral("b-docks line")))));
        QVERIFY(acked(carol->request(sendFrame(QStringLiteral("global"), QStringLiteral("b-global line")))));
    }));

    // The other side's lines arrive once, in order, marked late; one's own side had them live.
    QVERIFY(!carol->waitFor(QStringLiteral("chat_message"), contentIs(fromA.last()), 10000).isEmpty());
    QVERIFY(!alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("b-global line")), 10000)
                     .isEmpty());
    QVERIFY(!bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("b-global line")), 10000).isEmpty());
    QTest::qWait(500); // anything that should not come would have come by now
    int late = 0;
    QCOMPARE(received(*carol, QStringLiteral("a-down"), &late), fromA);
    QCOMPARE(late, 10);
    QCOMPARE(received(*carol, QStringLiteral("a-whisper")), QStringList { QStringLiteral("a-whisper for carol") });
    QCOMPARE(received(*bob, QStringLiteral("b-down"), &late), fromB);
    QCOMPARE(late, 10);
    QCOMPARE(received(*bob, QStringLiteral("a-down"), &late), fromA);
    QCOMPARE(late, 0);
    QCOMPARE(received(*alice, QStringLiteral("b-down")), fromB);
    QCOMPARE(received(*alice, QStringLiteral("b-global")), QStringList { QStringLiteral("b-global line") });
    // Nothing outside one's scopes: dave is on the docks, the whisper was for carol.
    QCOMPARE(received(*dave, QStringLiteral("a-")), QStringList());
    QCOMPARE(received(*dave, QStringLiteral("b-global")), QStringList { QStringLiteral("b-global line") });
    QCOMPARE(received(*bob, QStringLiteral("a-whisper")), QStringList());
    QCOMPARE(received(*alice, QStringLiteral("b-docks")), QStringList());
    for (TestClient *c : { alice.get(), bob.get(), carol.get(), dave.get() })
        QCOMPARE(c->eventsOfType(QStringLiteral("gap")).size(), 0);

    // Live traffic afterwards is not doubled, and a second look finds no stray copies.
    QVERIFY(acked(bob->request(sendFrame(QStringLiteral("say"), QStringLiteral("a-after")))));
    QVERIFY(!carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("a-after")), 5000).isEmpty());
    QTest::qWait(300);
    QCOMPARE(received(*carol, QStringLiteral("a-")).size(), fromA.size() + 2);
    QCOMPARE(received(*alice, QStringLiteral("b-")).size(), fromB.size() + 1);

    // B's history holds A's outage lines too (its own SQLite stored them; PostgreSQL had them).
    const QJsonObject history = carol->request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                 { QStringLiteral("channel"), QStringLiteral("say") },
                                                 { QStringLiteral("limit"), 50 } });
    QStringList stored;
    for (const QJsonValue &m :
         history.value(QStringLiteral("data")).toObject().value(QStringLiteral("messages")).toArray())
        if (m.toObject().value(QStringLiteral("content")).toString().startsWith(QStringLiteral("a-down")))
            stored.append(m.toObject().value(QStringLiteral("content")).toString());
    QCOMPARE(stored, fromA);
    alice.reset();
    bob.reset();
    carol.reset();
    dave.reset();
    stopPair();
}

void TestCatchUp::moreThanTheBoundSaysGap()
{
    QVERIFY(startPair({}, 5));
    auto alice = join(*m_a, QStringLiteral("alice"), kFoyer);
    auto carol = join(*m_b, QStringLiteral("carol"), kFoyer);
    QVERIFY(alice && carol);
    const QStringList fromB = numbered(QStringLiteral("b-many"), 8);
    QVERIFY(outage([&] {
        for (const QString &line : fromB)
            QVERIFY(acked(carol->request(sendFrame(QStringLiteral("say"), line))));
    }));
    const QJsonObject gap = alice->waitFor(QStringLiteral("gap"), {}, 10000);
    QVERIFY(!gap.isEmpty());
    QCOMPARE(eventField(gap, "reason"), QStringLiteral("too_many"));
    QVERIFY(!eventField(gap, "from").isEmpty() && eventField(gap, "from") < eventField(gap, "to"));
    // B keeps its newest five: those arrive, the older three are what the gap stands for.
    QVERIFY(!alice->waitFor(QStringLiteral("chat_message"), contentIs(fromB.last()), 5000).isEmpty());
    QCOMPARE(received(*alice, QStringLiteral("b-many")), fromB.mid(3));
    QCOMPARE(carol->eventsOfType(QStringLiteral("gap")).size(), 0);
    alice.reset();
    carol.reset();
    stopPair();
}

QTEST_GUILESS_MAIN(TestCatchUp)
#include "tst_catchup.moc"
