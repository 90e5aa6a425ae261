// Rate limits through the real server: the window, retry_after_ms, refused messages not
// counting, rate_limit_status over WebSocket and HTTP, and 429 with Retry-After.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "audit/auditlog.h"

#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

} // namespace

class TestRateLimit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sixthWhisperInAMinuteIsRefused();
    void refusedMessagesDoNotCount();
    void statusOverWebSocket();
    void statusAndLimitsOverHttp();
    void floodingOnAfterRefusalClosesTheConnection();
    void violationsAreModerationLogLines();

private:
    QNetworkReply *get(const QString &path, const QByteArray &token, const QByteArray &method = "GET",
                       const QByteArray &body = {});
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob;
    QNetworkAccessManager m_nam;
};

void TestRateLimit::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    config.rateLimitingEnabled = true;
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
}

void TestRateLimit::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_server.reset();
}

void TestRateLimit::sixthWhisperInAMinuteIsRefused()
{
    for (int i = 0; i < 5; ++i) {
        QJsonObject w = sendFrame(QStringLiteral("whisper"), QStringLiteral("w%1").arg(i));
        w.insert(QStringLiteral("target"), QStringLiteral("Bob"));
        QCOMPARE(m_alice->request(w).value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
    }
    QJsonObject sixth = sendFrame(QStringLiteral("whisper"), QStringLiteral("too many"));
    sixth.insert(QStringLiteral("target"), QStringLiteral("Bob"));
    const QJsonObject refused = eventData(m_alice->request(sixth));
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("rate_limited"));
    const double retry = refused.value(QStringLiteral("retry_after_ms")).toDouble();
    QVERIFY2(retry > 50000 && retry <= 60000, qPrintable(QString::number(retry)));
    QVERIFY(m_bob->waitFor(
                         QStringLiteral("chat_message"),
                         [](const QJsonObject &d) {
                             return d.value(QStringLiteral("content")) == QStringLiteral("too many");
                         },
                         200)
                    .isEmpty());
    // Other channels have their own windows.
    QCOMPARE(m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("still talking")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
}

void TestRateLimit::refusedMessagesDoNotCount()
{
    // zone allows 10 a minute; 20 empty ones are refused before the limiter and use nothing.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(eventData(m_bob->request(sendFrame(QStringLiteral("zone"), QStringLiteral("  "))))
                         .value(QStringLiteral("code"))
                         .toString(),
                 QStringLiteral("empty"));
    for (int i = 0; i < 10; ++i)
        QCOMPARE(m_bob->request(sendFrame(QStringLiteral("zone"), QStringLiteral("z%1").arg(i)))
                         .value(QStringLiteral("event_type"))
                         .toString(),
                 QStringLiteral("ack"));
    QCOMPARE(eventData(m_bob->request(sendFrame(QStringLiteral("zone"), QStringLiteral("eleventh"))))
                     .value(QStringLiteral("code"))
                     .toString(),
             QStringLiteral("rate_limited"));
}

void TestRateLimit::statusOverWebSocket()
{
    const QJsonObject status = m_alice->request({ { QStringLiteral("type"), QStringLiteral("rate_limit_status") } });
    QCOMPARE(status.value(QStringLiteral("event_type")).toString(), QStringLiteral("rate_limit_status"));
    const QJsonObject channels = eventData(status).value(QStringLiteral("channels")).toObject();
    const QJsonObject whisper = channels.value(QStringLiteral("whisper")).toObject();
    QCOMPARE(whisper.value(QStringLiteral("limit")).toInt(), 5);
    QCOMPARE(whisper.value(QStringLiteral("remaining")).toInt(), 0);
    QVERIFY(whisper.value(QStringLiteral("reset_ms")).toDouble() > 0);
    const QJsonObject say = channels.value(QStringLiteral("say")).toObject();
    QCOMPARE(say.value(QStringLiteral("remaining")).toInt(), 14);
    QVERIFY(!channels.contains(QStringLiteral("system"))); // not a channel alice may send on
}

QNetworkReply *TestRateLimit::get(const QString &path, const QByteArray &token, const QByteArray &method,
                                  const QByteArray &body)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path)));
    request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(5000);
    return reply;
}

void TestRateLimit::statusAndLimitsOverHttp()
{
    const QByteArray aliceToken =
            tokenFor(QStringLiteral("alice"), QStringLiteral("Alice"), QStringLiteral("player"), kFoyer);
    std::unique_ptr<QNetworkReply> own(get(QStringLiteral("/chat/rate-limit/status"), aliceToken));
    QCOMPARE(own->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject body = QJsonDocument::fromJson(own->readAll()).object();
    QCOMPARE(body.value(QStringLiteral("channels"))
                     .toObject()
                     .value(QStringLiteral("whisper"))
                     .toObject()
                     .value(QStringLiteral("remaining"))
                     .toInt(),
             0);

    std::unique_ptr<QNetworkReply> other(get(QStringLiteral("/chat/rate-limit/status?player_id=bob"), aliceToken));
    QCOMPARE(other->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
    const QByteArray modToken = tokenFor(QStringLiteral("mod"), QStringLiteral("Mod"), QStringLiteral("moderator"));
    std::unique_ptr<QNetworkReply> asMod(get(QStringLiteral("/chat/rate-limit/status?player_id=bob"), modToken));
    QCOMPARE(asMod->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(asMod->readAll())
                     .object()
                     .value(QStringLiteral("channels"))
                     .toObject()
                     .value(QStringLiteral("zone"))
                     .toObject()
                     .value(QStringLiteral("remaining"))
                     .toInt(),
             0);

    // The HTTP door shares the player's windows: alice's whispers are used up.
    std::unique_ptr<QNetworkReply> limited(get(QStringLiteral("/chat/send"), aliceToken, "POST",
                                               R"({"channel":"whisper","target":"bob","content":"via http"})"));
    QCOMPARE(limited->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
    const int retryAfter = limited->rawHeader("Retry-After").toInt();
    QVERIFY2(retryAfter >= 50 && retryAfter <= 60, limited->rawHeader("Retry-After").constData());
    QCOMPARE(QJsonDocument::fromJson(limited->readAll())
                     .object()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString(),
             QStringLiteral("rate_limited"));
}

void TestRateLimit::floodingOnAfterRefusalClosesTheConnection()
{
    TestClient carol;
    QVERIFY(carol.open(m_server->port()));
    QVERIFY(!carol.authToken(
                          tokenFor(QStringLiteral("carol"), QStringLiteral("Carol"), QStringLiteral("player"), kFoyer))
                     .isEmpty());
    const double refusedBefore = m_server->app().stats().value(QStringLiteral("rate_limited")).toDouble();
    // whisper allows 5 a minute; a bot that ignores retry_after_ms is cut off after 20 refusals.
    int acked = 0;
    int refused = 0;
    for (int i = 0; i < 60 && carol.isConnected(); ++i) {
        const QJsonObject reply = carol.request(
                sendFrame(QStringLiteral("whisper"), QStringLiteral("spam %1").arg(i), QStringLiteral("Bob")), 2000);
        if (reply.value(QStringLiteral("event_type")).toString() == QLatin1String("ack"))
            ++acked;
        else if (eventData(reply).value(QStringLiteral("code")).toString() == QLatin1String("rate_limited"))
            ++refused;
    }
    QVERIFY(carol.waitForDisconnected());
    QCOMPARE(carol.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QCOMPARE(acked, 5);
    QCOMPARE(refused, 20); // the 21st refusal closes instead of answering
    // Every refusal is counted, even those not logged.
    QCOMPARE(m_server->app().stats().value(QStringLiteral("rate_limited")).toDouble(), refusedBefore + 21);
}

void TestRateLimit::violationsAreModerationLogLines()
{
    AuditLog *audit = m_server->app().auditLog();
    audit->flush();
    QFile f(QStringLiteral("%1/moderation/moderation_%2.jsonl")
                    .arg(audit->dir(), QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate)));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QStringList who;
    while (!f.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
        QCOMPARE(line.value(QStringLiteral("event")).toString(), QStringLiteral("rate_limited"));
        QVERIFY(line.value(QStringLiteral("retry_after_ms")).toDouble() > 0);
        who.append(line.value(QStringLiteral("player_id")).toString() + QLatin1Char('/')
                   + line.value(QStringLiteral("channel")).toString());
    }
    // One line per cool-down: alice's sixth whisper (her refused HTTP whisper falls in the same
    // cool-down), bob's eleventh zone message, and carol's first refusal of her 21.
    QCOMPARE(who,
             (QStringList { QStringLiteral("alice/whisper"), QStringLiteral("bob/zone"),
                            QStringLiteral("carol/whisper") }));
}

QTEST_GUILESS_MAIN(TestRateLimit)
#include "tst_ratelimit.moc"
