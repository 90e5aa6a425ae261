// The external classifier over real NATS with the reference service
// (tools/reference-classifier): its answers mask, flag, hold or allow; a timeout, no
// responder or an unreadable reply apply on_failure (open or closed) and are counted; one
// sender's messages keep their order while an earlier one waits, and other players' messages
// are not held up behind it.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "bus/bus.h"
#include "chat/chatservice.h"
#include "moderation/classifierservice.h"
#include "moderation/moderationitem.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

const QStringList kRules {
    QStringLiteral("--rule"), QStringLiteral("score harassment 0.95 you troll"),
    QStringLiteral("--rule"), QStringLiteral("verdict hold meet me irl"),
    QStringLiteral("--rule"), QStringLiteral("verdict mask darn"),
    QStringLiteral("--rule"), QStringLiteral("score threat 0.85 burn your house"),
    QStringLiteral("--rule"), QStringLiteral("score threat 0.45 burn your hat"),
    QStringLiteral("--rule"), QStringLiteral("score profanity 0.3 heck"), // below mild: ignored
    QStringLiteral("--rule"), QStringLiteral("delay 300 slowpoke"),
};

QString ackField(const QJsonObject &ack, const char *key)
{
    return eventData(ack).value(QLatin1String(key)).toVariant().toString();
}
} // namespace

class TestClassifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void answersMapToActions();
    void timeoutFailsOpen();
    void timeoutFailsClosed();
    void noResponderIsToldApartAndCounted();
    void unreadableReplyIsCounted();
    void oneSendersOrderHoldsAndOthersAreNotHeldUp();
    void senderLeavingMeanwhileIsHarmless();
    void roundTripIsMeasured();
    void busDownAppliesOnFailure(); // last: stops the NATS server

private:
    bool startClassifier(const QStringList &arguments);
    bool startServer(const QString &onFailure, int timeoutMs);
    const ClassifierStats &stats() { return m_server->app().classifier()->stats(); }
    QJsonObject queued(const QString &messageId, int timeoutMs = 3000);

    NatsServer m_nats;
    std::unique_ptr<QProcess> m_classifier;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_carol;
    QList<ModerationItem> m_items;
};

void TestClassifier::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("MYTHOS_REFERENCE_CLASSIFIER"), "set by ctest");
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void TestClassifier::cleanup()
{
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
    m_server.reset();
    if (m_classifier) {
        m_classifier->kill();
        m_classifier->waitForFinished();
        m_classifier.reset();
    }
    m_items.clear();
}

bool TestClassifier::startClassifier(const QStringList &arguments)
{
    m_classifier = std::make_unique<QProcess>();
    m_classifier->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_classifier->start(qEnvironmentVariable("MYTHOS_REFERENCE_CLASSIFIER"),
                        QStringList { QStringLiteral("--url"), m_nats.url() } + arguments);
    // "ready" once it is subscribed (and the subscription has reached the server).
    return QTest::qWaitFor([&] { return m_classifier->canReadLine() || m_classifier->state() == QProcess::NotRunning; },
                           10000)
            && m_classifier->readLine().trimmed() == "ready";
}

bool TestClassifier::startServer(const QString &onFailure, int timeoutMs)
{
    Config config = testConfig(m_nats.url());
    ClassifierSection &c = config.contentFiltering.classifier;
    c.enabled = true;
    c.timeoutMs = timeoutMs;
    c.onFailure = parseFilterAction(onFailure).value();
    c.thresholds.insert(QStringLiteral("threat"),
                        { { 0.4, parseFilterAction(QStringLiteral("flag")).value() },
                          { 0.8, parseFilterAction(QStringLiteral("hold")).value() } });
    // Categories without thresholds follow the channel's level: global is a family channel.
    for (ChannelSpec &channel : config.channels) {
        if (channel.name == QLatin1String("global"))
            channel.filterLevel = QStringLiteral("family");
    }
    m_server = std::make_unique<TestServer>(config);
    if (!m_server->start() || !m_server->waitForNats())
        return false;
    QObject::connect(m_server->app().chat(), &ChatService::itemQueued, m_server->app().chat(),
                     [this](const ModerationItem &item) { m_items.append(item); });
    m_alice = std::make_unique<TestClient>();
    m_bob = std::make_unique<TestClient>();
    m_carol = std::make_unique<TestClient>();
    const auto join = [&](TestClient &client, const char *id, const char *name) {
        return client.open(m_server->port())
                && !client.authToken(tokenFor(QLatin1String(id), QLatin1String(name), QStringLiteral("player"), kFoyer))
                            .isEmpty();
    };
    return join(*m_alice, "alice", "Alice") && join(*m_bob, "bob", "Bob") && join(*m_carol, "carol", "Carol");
}

QJsonObject TestClassifier::queued(const QString &messageId, int timeoutMs)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
            [&] {
                for (const ModerationItem &item : std::as_const(m_items)) {
                    if (item.messageId == messageId)
                        found = item.toProtocol();
                }
                return !found.isEmpty();
            },
            timeoutMs);
    return found;
}

void TestClassifier::answersMapToActions()
{
    QVERIFY(startClassifier(kRules));
    QVERIFY(startServer(QStringLiteral("hold"), 1000));

    // allow: nothing the classifier knows (and a score below mild changes nothing).
    QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("heck, a fine evening")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("false"));
    QJsonObject got =
            m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("heck, a fine evening")));
    QVERIFY(!got.isEmpty());
    QCOMPARE(eventData(got).value(QStringLiteral("filtered")).toBool(), false);

    // mask (a verdict): the classifier names no words, so the whole line is masked.
    ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("darn it")));
    QCOMPARE(ackField(ack, "filtered"), QStringLiteral("true"));
    got = m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("**** **")));
    QVERIFY(!got.isEmpty());

    // flag (a score; the standard level flags a classifier category): delivered and queued.
    ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("you troll")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("false"));
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("you troll"))).isEmpty());
    QJsonObject item = queued(ackField(ack, "message_id"));
    QCOMPARE(item.value(QStringLiteral("kind")).toString(), QStringLiteral("flagged"));
    const QJsonObject match = item.value(QStringLiteral("context"))
                                      .toObject()
                                      .value(QStringLiteral("matched"))
                                      .toArray()
                                      .first()
                                      .toObject();
    QCOMPARE(match.value(QStringLiteral("category")).toString(), QStringLiteral("harassment"));
    QCOMPARE(match.value(QStringLiteral("rule")).toString(),
             QStringLiteral("classifier (mythos-reference-classifier)"));
    QVERIFY(match.value(QStringLiteral("pattern")).toString().startsWith(QStringLiteral("score 0.95")));

    // The same score on a family channel: harassment that severe is masked and flagged.
    ack = m_alice->request(sendFrame(QStringLiteral("global"), QStringLiteral("you troll")));
    QCOMPARE(ackField(ack, "filtered"), QStringLiteral("true"));
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("*** *****"))).isEmpty());
    QCOMPARE(queued(ackField(ack, "message_id")).value(QStringLiteral("kind")).toString(), QStringLiteral("flagged"));

    // hold (a verdict): acknowledged as held, delivered to nobody, queued naming the classifier.
    ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("meet me irl")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("true"));
    item = queued(ackField(ack, "message_id"));
    QCOMPARE(item.value(QStringLiteral("kind")).toString(), QStringLiteral("held"));
    QVERIFY(item.value(QStringLiteral("reasons"))
                    .toVariant()
                    .toStringList()
                    .join(u' ')
                    .contains(QStringLiteral("classifier")));
    QVERIFY(m_carol->staysQuiet(QStringLiteral("chat_message"), 300));

    // Per-category thresholds: threat at 0.85 reaches hold, at 0.45 only flag.
    ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("burn your house")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("true"));
    ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("burn your hat")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("false"));
    QCOMPARE(queued(ackField(ack, "message_id")).value(QStringLiteral("kind")).toString(), QStringLiteral("flagged"));

    QCOMPARE(stats().requests, 7u);
    QCOMPARE(stats().answered, 7u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("allow")), 1u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("mask")), 2u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("flag")), 3u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("hold")), 2u);
    QCOMPARE(stats().timeouts + stats().noResponders + stats().unreadable, 0u);
    QCOMPARE(stats().latencyCount, 7u);

    // What the lists already hold is not sent: a moderator sees it anyway.
    ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("i will kill you irl")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("true"));
    QCOMPARE(stats().requests, 7u);
}

void TestClassifier::timeoutFailsOpen()
{
    QVERIFY(startClassifier({ QStringLiteral("--delay-ms"), QStringLiteral("300") }));
    QVERIFY(startServer(QStringLiteral("allow"), 50));
    QElapsedTimer clock;
    clock.start();
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("anyone here?")));
    const qint64 waited = clock.elapsed();
    QCOMPARE(ack.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("false"));
    // The budget, not the classifier's 300 ms, decides how long the message waits.
    QVERIFY2(waited >= 45 && waited < 250, qPrintable(QString::number(waited)));
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("anyone here?"))).isEmpty());
    QCOMPARE(stats().timeouts, 1u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("allow")), 1u);
    QVERIFY(m_items.isEmpty());
    // The late reply arrives and is ignored (counted by the bus), the message is not delivered twice.
    QVERIFY(m_carol->staysQuiet(QStringLiteral("chat_message"), 400));
}

void TestClassifier::timeoutFailsClosed()
{
    QVERIFY(startClassifier({ QStringLiteral("--delay-ms"), QStringLiteral("300") }));
    QVERIFY(startServer(QStringLiteral("hold"), 50));
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("anyone here?")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("true"));
    QVERIFY(m_carol->staysQuiet(QStringLiteral("chat_message"), 300));
    const QJsonObject item = queued(ackField(ack, "message_id"));
    QCOMPARE(item.value(QStringLiteral("kind")).toString(), QStringLiteral("held"));
    const QJsonObject match = item.value(QStringLiteral("context"))
                                      .toObject()
                                      .value(QStringLiteral("matched"))
                                      .toArray()
                                      .first()
                                      .toObject();
    QVERIFY2(match.value(QStringLiteral("rule")).toString().startsWith(QStringLiteral("classifier unavailable")),
             qPrintable(match.value(QStringLiteral("rule")).toString()));
    QCOMPARE(stats().timeouts, 1u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("hold")), 1u);
}

void TestClassifier::noResponderIsToldApartAndCounted()
{
    // No classifier running, a generous budget: the server's no-responders status ends the
    // wait long before it would time out.
    QVERIFY(startServer(QStringLiteral("flag"), 3000));
    QElapsedTimer clock;
    clock.start();
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("is this thing on")));
    const qint64 waited = clock.elapsed();
    QCOMPARE(ackField(ack, "held"), QStringLiteral("false"));
    QVERIFY2(waited < 1000, qPrintable(QString::number(waited)));
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("is this thing on"))).isEmpty());
    QCOMPARE(queued(ackField(ack, "message_id")).value(QStringLiteral("kind")).toString(), QStringLiteral("flagged"));
    QCOMPARE(stats().noResponders, 1u);
    QCOMPARE(stats().timeouts, 0u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("flag")), 1u);
}

void TestClassifier::unreadableReplyIsCounted()
{
    QVERIFY(startClassifier({ QStringLiteral("--garbage") }));
    QVERIFY(startServer(QStringLiteral("hold"), 1000));
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("plain words")));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("true"));
    QCOMPARE(stats().unreadable, 1u);
    QCOMPARE(stats().answered, 0u);
    QCOMPARE(queued(ackField(ack, "message_id")).value(QStringLiteral("kind")).toString(), QStringLiteral("held"));
}

void TestClassifier::oneSendersOrderHoldsAndOthersAreNotHeldUp()
{
    QVERIFY(startClassifier(kRules));
    QVERIFY(startServer(QStringLiteral("allow"), 1000));
    // Alice's first line takes the classifier 300 ms, her second none; Bob speaks meanwhile.
    QElapsedTimer clock;
    clock.start();
    m_alice->send(sendFrame(QStringLiteral("say"), QStringLiteral("slowpoke one")));
    m_alice->send(sendFrame(QStringLiteral("say"), QStringLiteral("two")));
    const QJsonObject bobAck = m_bob->request(sendFrame(QStringLiteral("say"), QStringLiteral("bob is quick")));
    const qint64 bobWaited = clock.elapsed();
    QCOMPARE(bobAck.value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    QVERIFY2(bobWaited < 200, qPrintable(QString::number(bobWaited)));
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("two"))).isEmpty());
    QVERIFY2(clock.elapsed() >= 280, "the second line waited for the first");
    QStringList order;
    for (const QJsonObject &e : m_carol->eventsOfType(QStringLiteral("chat_message")))
        order.append(eventField(e, "content"));
    QCOMPARE(order,
             (QStringList { QStringLiteral("bob is quick"), QStringLiteral("slowpoke one"), QStringLiteral("two") }));
    // The acks too: one reply per request, in the order sent.
    QVERIFY(QTest::qWaitFor([&] { return m_alice->eventsOfType(QStringLiteral("ack")).size() == 2; }, 3000));
    const QList<QJsonObject> acks = m_alice->eventsOfType(QStringLiteral("ack"));
    QVERIFY(ackField(acks[0], "message_id") < ackField(acks[1], "message_id"));
    QCOMPARE(stats().timeouts, 0u);
}

void TestClassifier::senderLeavingMeanwhileIsHarmless()
{
    QVERIFY(startClassifier(kRules));
    QVERIFY(startServer(QStringLiteral("allow"), 1000));
    m_alice->send(sendFrame(QStringLiteral("say"), QStringLiteral("slowpoke and gone")));
    QTest::qWait(20);
    m_alice.reset(); // disconnects while the classifier thinks
    // The message was accepted before she left: it is still delivered, once.
    QVERIFY(!m_carol->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("slowpoke and gone")))
                     .isEmpty());
    QVERIFY(m_carol->staysQuiet(QStringLiteral("chat_message"), 300));
    QCOMPARE(stats().answered, 1u);
    QCOMPARE(m_server->app().classifier()->inFlight(), 0);
}

void TestClassifier::roundTripIsMeasured()
{
    QVERIFY(startClassifier(kRules));
    QVERIFY(startServer(QStringLiteral("allow"), 200));
    constexpr int kMessages = 100;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kMessages; ++i)
        QCOMPARE(m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("line %1").arg(i)))
                         .value(QStringLiteral("event_type"))
                         .toString(),
                 QStringLiteral("ack"));
    const double ackMs = clock.elapsed() / double(kMessages);
    QCOMPARE(stats().answered, quint64(kMessages));
    const double roundTripMs = stats().latencySumMs / double(stats().latencyCount);
    // The histogram's buckets agree with the sum: every answer is within the 1 s bucket.
    QCOMPARE(stats().latencyBuckets.back(), quint64(kMessages));
    qInfo("classifier round trip %.2f ms on average, send-to-ack %.2f ms (%d messages, one at a time)", roundTripMs,
          ackMs, kMessages);
}

void TestClassifier::busDownAppliesOnFailure()
{
    QVERIFY(startClassifier(kRules));
    QVERIFY(startServer(QStringLiteral("hold"), 1000));
    m_nats.stop();
    QVERIFY(QTest::qWaitFor([&] { return !m_server->app().bus()->isConnected(); }, 10000));
    QElapsedTimer clock;
    clock.start();
    const QJsonObject ack = m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("hello in the dark")));
    // Not sent at all: no waiting for the budget.
    QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(ackField(ack, "held"), QStringLiteral("true"));
    QCOMPARE(stats().unavailable, 1u);
    QCOMPARE(stats().outcomes.value(QStringLiteral("hold")), 1u);
}

QTEST_GUILESS_MAIN(TestClassifier)
#include "tst_classifier.moc"
