// History and the HTTP API against a real server: what a player may read over WebSocket and
// HTTP, paging, auth failures, error statuses, and the metrics page.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "audit/auditlog.h"
#include "auth/jwt.h"
#include "chat/historyrules.h"
#include "storage/messagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
const QString kDocks = QStringLiteral("earth_arkham_docks_pier");

struct HttpReply
{
    int status = 0;
    QJsonObject json;
    QByteArray body;
    QByteArray retryAfter;
};

QStringList contents(const QJsonArray &messages)
{
    QStringList out;
    for (const QJsonValue &v : messages)
        out.append(v.toObject().value(QStringLiteral("content")).toString());
    return out;
}
} // namespace

class TestHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void historyShowsOnlyWhatThePlayerMayRead();
    void historyPagesWithBefore();
    void historyRefusesBadRequests();
    void httpSendIsStoredAndDelivered();
    void httpAuthFailures_data();
    void httpAuthFailures();
    void httpErrorPaths();
    void httpHistory();
    void metricsAreExposed();
    void healthReportsTheDatabase();
    void auditLogHasEveryAcceptedMessage();

private:
    HttpReply http(const QByteArray &method, const QString &path, const QByteArray &token = {},
                   const QByteArray &body = {});
    QJsonArray wsHistory(TestClient &c, const QJsonObject &request);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_dave, m_mod;
    QNetworkAccessManager m_nam;
};

HttpReply TestHistory::http(const QByteArray &method, const QString &path, const QByteArray &token,
                            const QByteArray &body)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    HttpReply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    r.retryAfter = reply->rawHeader("Retry-After");
    reply->deleteLater();
    return r;
}

QJsonArray TestHistory::wsHistory(TestClient &c, const QJsonObject &request)
{
    QJsonObject frame = request;
    frame.insert(QStringLiteral("type"), QStringLiteral("history"));
    const QJsonObject reply = c.request(frame);
    if (reply.value(QStringLiteral("event_type")).toString() != QStringLiteral("history"))
        return { QJsonValue(reply) }; // lets the caller see the error in a failed comparison
    return reply.value(QStringLiteral("data")).toObject().value(QStringLiteral("messages")).toArray();
}

void TestHistory::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    m_server = std::make_unique<TestServer>(testConfig(m_nats.url()));
    QVERIFY(m_server->start());
    QVERIFY(m_server->waitForNats());
    auto join = [this](const QString &id, const QString &room, const QString &party = {},
                       const QString &role = QStringLiteral("player")) {
        auto c = std::make_unique<TestClient>();
        if (!c->open(m_server->port()) || c->authToken(tokenFor(id, id.toUpper(), role, room, party)).isEmpty())
            return std::unique_ptr<TestClient>();
        return c;
    };
    m_alice = join(QStringLiteral("alice"), kFoyer, QStringLiteral("p1"));
    m_bob = join(QStringLiteral("bob"), kFoyer);
    m_dave = join(QStringLiteral("dave"), kDocks, QStringLiteral("p1"));
    m_mod = join(QStringLiteral("mod"), kDocks, {}, QStringLiteral("moderator"));
    QVERIFY(m_alice && m_bob && m_dave && m_mod);
    const QList<std::pair<TestClient *, QJsonObject>> traffic {
        { m_alice.get(), sendFrame(QStringLiteral("say"), QStringLiteral("foyer 1")) },
        { m_bob.get(), sendFrame(QStringLiteral("say"), QStringLiteral("foyer 2")) },
        { m_dave.get(), sendFrame(QStringLiteral("say"), QStringLiteral("docks 1")) },
        { m_alice.get(), sendFrame(QStringLiteral("zone"), QStringLiteral("zone 1")) },
        { m_alice.get(), sendFrame(QStringLiteral("party"), QStringLiteral("party 1")) },
        { m_alice.get(), sendFrame(QStringLiteral("whisper"), QStringLiteral("to dave"), QStringLiteral("dave")) },
        { m_bob.get(), sendFrame(QStringLiteral("global"), QStringLiteral("global 1")) },
        { m_mod.get(), sendFrame(QStringLiteral("admin"), QStringLiteral("staff 1")) },
    };
    for (const auto &[client, frame] : traffic)
        QCOMPARE(client->request(frame).value(QStringLiteral("event_type")).toString(), QStringLiteral("ack"));
}

void TestHistory::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_dave.reset();
    m_mod.reset();
    m_server.reset();
}

void TestHistory::historyShowsOnlyWhatThePlayerMayRead()
{
    QCOMPARE(contents(wsHistory(*m_alice, { { QStringLiteral("channel"), QStringLiteral("say") } })),
             (QStringList { QStringLiteral("foyer 1"), QStringLiteral("foyer 2") }));
    QCOMPARE(contents(wsHistory(*m_dave, { { QStringLiteral("channel"), QStringLiteral("say") } })),
             QStringList { QStringLiteral("docks 1") });
    QCOMPARE(contents(wsHistory(*m_dave, { { QStringLiteral("channel"), QStringLiteral("zone") } })),
             QStringList { QStringLiteral("zone 1") });
    QCOMPARE(contents(wsHistory(*m_dave, { { QStringLiteral("channel"), QStringLiteral("party") } })),
             QStringList { QStringLiteral("party 1") });
    QVERIFY(wsHistory(*m_bob, { { QStringLiteral("channel"), QStringLiteral("party") } }).isEmpty()); // no party
    QCOMPARE(contents(wsHistory(*m_dave, { { QStringLiteral("channel"), QStringLiteral("whisper") } })),
             QStringList { QStringLiteral("to dave") });
    QCOMPARE(contents(wsHistory(*m_alice, { { QStringLiteral("channel"), QStringLiteral("whisper") } })),
             QStringList { QStringLiteral("to dave") });
    QVERIFY(wsHistory(*m_bob, { { QStringLiteral("channel"), QStringLiteral("whisper") } }).isEmpty());
    QCOMPARE(contents(wsHistory(*m_dave, { { QStringLiteral("channel"), QStringLiteral("global") } })),
             QStringList { QStringLiteral("global 1") });
    QCOMPARE(contents(wsHistory(*m_mod, { { QStringLiteral("channel"), QStringLiteral("admin") } })),
             QStringList { QStringLiteral("staff 1") });
    const QJsonObject refused = m_alice->request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                   { QStringLiteral("channel"), QStringLiteral("admin") } });
    QCOMPARE(refused.value(QStringLiteral("data")).toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("forbidden"));
    // Messages come back in full chat_message form.
    const QJsonObject first =
            wsHistory(*m_alice, { { QStringLiteral("channel"), QStringLiteral("say") } }).first().toObject();
    QCOMPARE(first.value(QStringLiteral("message")).toString(), QStringLiteral("ALICE says: foyer 1"));
    QCOMPARE(first.value(QStringLiteral("room_id")).toString(), kFoyer);
    QVERIFY(!first.value(QStringLiteral("message_id")).toString().isEmpty());
}

void TestHistory::historyPagesWithBefore()
{
    for (int i = 0; i < 12; ++i)
        QCOMPARE(m_bob->request(sendFrame(QStringLiteral("global"), QStringLiteral("page %1").arg(i)))
                         .value(QStringLiteral("event_type"))
                         .toString(),
                 QStringLiteral("ack"));
    const QJsonArray last = wsHistory(
            *m_dave, { { QStringLiteral("channel"), QStringLiteral("global") }, { QStringLiteral("limit"), 5 } });
    QCOMPARE(contents(last),
             (QStringList { QStringLiteral("page 7"), QStringLiteral("page 8"), QStringLiteral("page 9"),
                            QStringLiteral("page 10"), QStringLiteral("page 11") }));
    const QString before = last.first().toObject().value(QStringLiteral("message_id")).toString();
    const QJsonArray earlier = wsHistory(*m_dave,
                                         { { QStringLiteral("channel"), QStringLiteral("global") },
                                           { QStringLiteral("limit"), 5 },
                                           { QStringLiteral("before"), before } });
    QCOMPARE(contents(earlier),
             (QStringList { QStringLiteral("page 2"), QStringLiteral("page 3"), QStringLiteral("page 4"),
                            QStringLiteral("page 5"), QStringLiteral("page 6") }));
}

void TestHistory::historyRefusesBadRequests()
{
    auto code = [this](const QJsonObject &frame) {
        QJsonObject f = frame;
        f.insert(QStringLiteral("type"), QStringLiteral("history"));
        return m_alice->request(f).value(QStringLiteral("data")).toObject().value(QStringLiteral("code")).toString();
    };
    QCOMPARE(code({ { QStringLiteral("channel"), QStringLiteral("shout") } }), QStringLiteral("unknown_channel"));
    QCOMPARE(code({ { QStringLiteral("channel"), QStringLiteral("say") }, { QStringLiteral("limit"), 0 } }),
             QStringLiteral("invalid_request"));
    QCOMPARE(code({ { QStringLiteral("channel"), QStringLiteral("say") }, { QStringLiteral("limit"), 201 } }),
             QStringLiteral("invalid_request"));
    QCOMPARE(code({ { QStringLiteral("channel"), QStringLiteral("say") },
                    { QStringLiteral("before"), QStringLiteral("x' OR 1=1 --") } }),
             QStringLiteral("invalid_request"));
    QCOMPARE(code({}), QStringLiteral("invalid_request"));
}

void TestHistory::httpSendIsStoredAndDelivered()
{
    const QByteArray token =
            tokenFor(QStringLiteral("script"), QStringLiteral("Script"), QStringLiteral("player"), kFoyer);
    const HttpReply r =
            http("POST", QStringLiteral("/chat/send"), token, R"({"channel":"say","content":"from a script"})");
    QCOMPARE(r.status, 200);
    const QString id = r.json.value(QStringLiteral("message_id")).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(r.json.value(QStringLiteral("filtered")).toBool(true), false);
    QCOMPARE(r.json.value(QStringLiteral("held")).toBool(true), false);
    const QJsonObject got = m_alice->waitFor(QStringLiteral("chat_message"), [&](const QJsonObject &d) {
        return d.value(QStringLiteral("message_id")).toString() == id;
    });
    QCOMPARE(got.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString(),
             QStringLiteral("Script says: from a script"));
    QVERIFY(contents(wsHistory(*m_bob, { { QStringLiteral("channel"), QStringLiteral("say") } }))
                    .contains(QStringLiteral("from a script")));
    // Whisper by name over HTTP.
    const HttpReply w = http("POST", QStringLiteral("/chat/send"), token,
                             R"({"channel":"whisper","target":"BOB","content":"psst over http"})");
    QCOMPARE(w.status, 200);
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), [](const QJsonObject &d) {
                      return d.value(QStringLiteral("content")).toString() == QStringLiteral("psst over http");
                  }).isEmpty());
}

void TestHistory::httpAuthFailures_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("not bearer") << QByteArray("Basic abc");
    QTest::newRow("garbage") << QByteArray("Bearer nonsense");
    QTest::newRow("wrong secret") << QByteArray("Bearer "
                                                + jwt::mint({ QStringLiteral("x"),
                                                              QStringLiteral("X"),
                                                              Role::Player,
                                                              QDateTime::currentSecsSinceEpoch() + 60,
                                                              {},
                                                              {} },
                                                            "other"));
}

void TestHistory::httpAuthFailures()
{
    QFETCH(QByteArray, authorization);
    for (const auto &[method, path] : { std::pair { QByteArray("POST"), QStringLiteral("/chat/send") },
                                        std::pair { QByteArray("GET"), QStringLiteral("/chat/history/say") } }) {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path)));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply *reply =
                m_nam.sendCustomRequest(request, method, QByteArray(R"({"channel":"say","content":"x"})"));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || done.wait(5000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        const QJsonObject error =
                QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("unauthenticated"));
        QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
        reply->deleteLater();
    }
}

void TestHistory::httpErrorPaths()
{
    const QByteArray token =
            tokenFor(QStringLiteral("script"), QStringLiteral("Script"), QStringLiteral("player"), kFoyer);
    auto expect = [&](const QByteArray &body, int status, const QString &code) {
        const HttpReply r = http("POST", QStringLiteral("/chat/send"), token, body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), code);
    };
    expect("{not json", 400, QStringLiteral("invalid_json"));
    expect("[1,2]", 400, QStringLiteral("invalid_json"));
    expect(R"({"channel":"say"})", 400, QStringLiteral("invalid_request"));
    expect(R"({"channel":"say","content":"   "})", 400, QStringLiteral("empty"));
    expect(R"({"channel":"nope","content":"x"})", 404, QStringLiteral("unknown_channel"));
    expect(R"({"channel":"system","content":"x"})", 403, QStringLiteral("forbidden"));
    expect(R"({"channel":"whisper","target":"nobody","content":"x"})", 404, QStringLiteral("unknown_target"));
    expect(QByteArray(R"({"channel":"say","content":")") + QByteArray(600, 'x') + R"("})", 400,
           QStringLiteral("too_long"));
    expect(QByteArray(R"({"channel":"say","content":")") + QByteArray(1100000, 'x') + R"("})", 413,
           QStringLiteral("payload_too_large"));
    const HttpReply adminHistory = http("GET", QStringLiteral("/chat/history/admin"), token);
    QCOMPARE(adminHistory.status, 403);
    QCOMPARE(http("GET", QStringLiteral("/chat/history/nope"), token).status, 404);
    QCOMPARE(http("GET", QStringLiteral("/chat/history/say?limit=abc"), token).status, 400);
}

void TestHistory::httpHistory()
{
    // The caller's scope comes from where they are online, else from the token.
    const QByteArray token =
            tokenFor(QStringLiteral("reader"), QStringLiteral("Reader"), QStringLiteral("player"), kDocks);
    const HttpReply r = http("GET", QStringLiteral("/chat/history/say?limit=10"), token);
    QCOMPARE(r.status, 200);
    QCOMPARE(contents(r.json.value(QStringLiteral("messages")).toArray()), QStringList { QStringLiteral("docks 1") });
    const QByteArray modToken = tokenFor(QStringLiteral("mod"), QStringLiteral("MOD"), QStringLiteral("moderator"));
    const HttpReply staff = http("GET", QStringLiteral("/chat/history/admin"), modToken);
    QCOMPARE(staff.status, 200);
    QCOMPARE(contents(staff.json.value(QStringLiteral("messages")).toArray()),
             QStringList { QStringLiteral("staff 1") });
}

void TestHistory::metricsAreExposed()
{
    const HttpReply r = http("GET", QStringLiteral("/metrics"));
    QCOMPARE(r.status, 200);
    const QString text = QString::fromUtf8(r.body);
    for (const char *name : { "mythos_connections ", "mythos_messages_accepted_total ", "mythos_deliveries_total ",
                              "mythos_deliveries_avoided_total ", "mythos_nats_connected{state=\"connected\"} 1",
                              "mythos_nats_reconnects_total ", "mythos_store_batch_seconds_count ",
                              "mythos_store_messages_total ", "mythos_messages_refused_total{reason=\"empty\"}" })
        QVERIFY2(text.contains(QLatin1String(name)), name);
    const QRegularExpression accepted(QStringLiteral("mythos_messages_accepted_total (\\d+)"));
    QVERIFY(accepted.match(text).captured(1).toInt() >= 20);
}

void TestHistory::healthReportsTheDatabase()
{
    const HttpReply r = http("GET", QStringLiteral("/health"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(QStringLiteral("database")).toString(), QStringLiteral("ok"));
    QCOMPARE(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
}

void TestHistory::auditLogHasEveryAcceptedMessage()
{
    AuditLog *audit = m_server->app().auditLog();
    audit->flush();
    const QString day = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    auto readLines = [&](const QString &category) {
        QFile f(QStringLiteral("%1/%2/%2_%3.jsonl").arg(audit->dir(), category, day));
        QList<QJsonObject> lines;
        if (f.open(QIODevice::ReadOnly)) {
            while (!f.atEnd()) {
                QJsonParseError err;
                const QJsonObject line = QJsonDocument::fromJson(f.readLine(), &err).object();
                if (err.error == QJsonParseError::NoError)
                    lines.append(line);
                else
                    lines.append(QJsonObject { { QStringLiteral("invalid"), true } });
            }
        }
        return lines;
    };
    const QList<QJsonObject> chat = readLines(QStringLiteral("chat"));
    const double accepted = QRegularExpression(QStringLiteral("mythos_messages_accepted_total (\\d+)"))
                                    .match(QString::fromUtf8(http("GET", QStringLiteral("/metrics")).body))
                                    .captured(1)
                                    .toDouble();
    QCOMPARE(chat.size(), qsizetype(accepted));
    QStringList whispers;
    for (const QJsonObject &line : chat) {
        QVERIFY(!line.contains(QStringLiteral("invalid")));
        QCOMPARE(line.value(QStringLiteral("event")).toString(), QStringLiteral("message"));
        QCOMPARE(line.value(QStringLiteral("server_id")).toString(), m_server->app().serverId());
        QVERIFY(!line.value(QStringLiteral("message_id")).toString().isEmpty());
        if (line.value(QStringLiteral("channel")) == QStringLiteral("whisper"))
            whispers.append(line.value(QStringLiteral("target_id")).toString());
    }
    QVERIFY(whispers.contains(QStringLiteral("dave")));
    QStringList systemEvents;
    for (const QJsonObject &line : readLines(QStringLiteral("system")))
        systemEvents.append(line.value(QStringLiteral("event")).toString());
    QVERIFY(systemEvents.contains(QStringLiteral("start")));
    QVERIFY(systemEvents.contains(QStringLiteral("nats_state")));
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
