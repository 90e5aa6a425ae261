// Mutes across two instances sharing NATS: personal mutes hide lines (whispers too), server
// mutes stop a player everywhere within a second and say until when, staff cannot be
// server-muted, mutes survive a restart, and every change is a moderation log line.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "audit/auditlog.h"
#include "chat/directory.h"
#include "moderation/muteservice.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

} // namespace

class TestMutes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void personalMuteHidesAPlayerEverywhere();
    void channelMuteAndTextCommands();
    void serverMuteAppliesOnEveryInstanceWithinASecond();
    void onlyModeratorsServerMuteAndNeverStaff();
    void httpEndpoints();
    void mutesSurviveARestart();
    void changesAreModerationLogLines();

private:
    std::unique_ptr<TestClient> join(TestServer &s, const QString &id, const QString &role = QStringLiteral("player"));
    Config configFor(const QString &id, const QString &dataDir);
    NatsServer m_nats;
    QTemporaryDir m_dirA, m_dirB;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<TestClient> m_alice, m_troll, m_carol, m_mod;
};

Config TestMutes::configFor(const QString &id, const QString &dataDir)
{
    Config c = testConfig(m_nats.url());
    c.server.serverId = id;
    c.server.dataDir = dataDir;
    return c;
}

std::unique_ptr<TestClient> TestMutes::join(TestServer &s, const QString &id, const QString &role)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(s.port()) || c->authToken(tokenFor(id, id.left(1).toUpper() + id.mid(1), role, kFoyer)).isEmpty())
        return nullptr;
    return c;
}

void TestMutes::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    m_a = std::make_unique<TestServer>(configFor(QStringLiteral("mute-a"), m_dirA.path()));
    m_b = std::make_unique<TestServer>(configFor(QStringLiteral("mute-b"), m_dirB.path()));
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());
    // alice and the moderator on A; troll and carol on B; everyone in the foyer.
    m_alice = join(*m_a, QStringLiteral("alice"));
    m_mod = join(*m_a, QStringLiteral("mod"), QStringLiteral("moderator"));
    m_troll = join(*m_b, QStringLiteral("troll"));
    m_carol = join(*m_b, QStringLiteral("carol"), QStringLiteral("admin"));
    QVERIFY(m_alice && m_mod && m_troll && m_carol);
    QVERIFY(QTest::qWaitFor(
            [&] {
                return m_a->app().directory()->resolve(QStringLiteral("troll"))
                        && m_b->app().directory()->resolve(QStringLiteral("mod"));
            },
            5000));
}

void TestMutes::cleanupTestCase()
{
    m_alice.reset();
    m_troll.reset();
    m_carol.reset();
    m_mod.reset();
    m_a.reset();
    m_b.reset();
}

void TestMutes::personalMuteHidesAPlayerEverywhere()
{
    const QJsonObject reply = m_alice->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                                                 { QStringLiteral("target_type"), QStringLiteral("player") },
                                                 { QStringLiteral("target"), QStringLiteral("TROLL") },
                                                 { QStringLiteral("minutes"), 30 },
                                                 { QStringLiteral("reason"), QStringLiteral("rude") } });
    QCOMPARE(reply.value(QStringLiteral("event_type")).toString(), QStringLiteral("mutes"));
    const QJsonArray mutes = eventData(reply).value(QStringLiteral("mutes")).toArray();
    QCOMPARE(mutes.size(), 1);
    const QJsonObject m = mutes.first().toObject();
    QCOMPARE(m.value(QStringLiteral("target")).toString(), QStringLiteral("troll"));
    QCOMPARE(m.value(QStringLiteral("scope")).toString(), QStringLiteral("personal"));
    QCOMPARE(m.value(QStringLiteral("reason")).toString(), QStringLiteral("rude"));
    QVERIFY(!m.value(QStringLiteral("muted_until")).toString().isEmpty());

    // The troll's say (from instance B) reaches the moderator but not alice; whispers too.
    QCOMPARE(m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("troll says hi")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!m_mod->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("troll says hi"))).isEmpty());
    QCOMPARE(m_troll->request(
                            sendFrame(QStringLiteral("whisper"), QStringLiteral("psst alice"), QStringLiteral("alice")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QTest::qWait(200);
    QVERIFY(m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("troll says hi")), 0).isEmpty());
    QVERIFY(m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("psst alice")), 0).isEmpty());
    // Others still hear alice and the troll can still talk: a personal mute is personal.
    const QJsonObject list = m_alice->request({ { QStringLiteral("type"), QStringLiteral("mutes") } });
    QCOMPARE(eventData(list).value(QStringLiteral("mutes")).toArray().size(), 1);
    QCOMPARE(eventData(m_mod->request({ { QStringLiteral("type"), QStringLiteral("mutes") } }))
                     .value(QStringLiteral("mutes"))
                     .toArray()
                     .size(),
             0);

    const QJsonObject unmuted = m_alice->request({ { QStringLiteral("type"), QStringLiteral("unmute") },
                                                   { QStringLiteral("target_type"), QStringLiteral("player") },
                                                   { QStringLiteral("target"), QStringLiteral("troll") } });
    QCOMPARE(eventData(unmuted).value(QStringLiteral("mutes")).toArray().size(), 0);
    m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("troll again")));
    QVERIFY(!m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("troll again"))).isEmpty());
}

void TestMutes::channelMuteAndTextCommands()
{
    const QJsonObject r = m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                             { QStringLiteral("text"), QStringLiteral("mutechannel global 5") } });
    QCOMPARE(r.value(QStringLiteral("event_type")).toString(), QStringLiteral("command_response"));
    QVERIFY2(eventData(r).value(QStringLiteral("result")).toString().contains(QStringLiteral("global")),
             qPrintable(eventData(r).value(QStringLiteral("result")).toString()));
    m_carol->request(sendFrame(QStringLiteral("global"), QStringLiteral("global news")));
    QVERIFY(!m_mod->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("global news"))).isEmpty());
    QTest::qWait(100);
    QVERIFY(m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("global news")), 0).isEmpty());
    const QJsonObject mutes = m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                                 { QStringLiteral("text"), QStringLiteral("/mutes") } });
    QVERIFY(eventData(mutes).value(QStringLiteral("result")).toString().contains(QStringLiteral("channel global")));
    QCOMPARE(m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                { QStringLiteral("text"), QStringLiteral("unmutechannel global") } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("command_response"));
    m_carol->request(sendFrame(QStringLiteral("global"), QStringLiteral("more news")));
    QVERIFY(!m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("more news"))).isEmpty());
    // Bad requests get their codes.
    auto code = [&](const QString &text) {
        return eventData(m_alice->request({ { QStringLiteral("type"), QStringLiteral("command") },
                                            { QStringLiteral("text"), text } }))
                .value(QStringLiteral("code"))
                .toString();
    };
    QCOMPARE(code(QStringLiteral("mute nobody")), QStringLiteral("unknown_target"));
    QCOMPARE(code(QStringLiteral("mute alice")), QStringLiteral("invalid_request"));
    QCOMPARE(code(QStringLiteral("mute troll 20000")), QStringLiteral("invalid_request"));
    QCOMPARE(code(QStringLiteral("mutechannel shout")), QStringLiteral("unknown_channel"));
    QCOMPARE(code(QStringLiteral("unmute carol")), QStringLiteral("not_found"));
}

void TestMutes::serverMuteAppliesOnEveryInstanceWithinASecond()
{
    QElapsedTimer timer;
    timer.start();
    const QJsonObject reply = m_mod->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                                               { QStringLiteral("scope"), QStringLiteral("server") },
                                               { QStringLiteral("target_type"), QStringLiteral("player") },
                                               { QStringLiteral("target"), QStringLiteral("troll") },
                                               { QStringLiteral("minutes"), 10 },
                                               { QStringLiteral("reason"), QStringLiteral("spamming") } });
    QCOMPARE(reply.value(QStringLiteral("event_type")).toString(), QStringLiteral("mutes"));
    QCOMPARE(eventData(reply)
                     .value(QStringLiteral("mutes"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("scope"))
                     .toString(),
             QStringLiteral("server"));
    // The troll is on instance B; the mute was set on A.
    QJsonObject refused;
    QVERIFY(QTest::qWaitFor(
            [&] {
                refused = eventData(m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("can I talk?"))));
                return refused.value(QStringLiteral("code")).toString() == QStringLiteral("muted");
            },
            1000));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    const QDateTime until =
            QDateTime::fromString(refused.value(QStringLiteral("muted_until")).toString(), Qt::ISODateWithMs);
    QVERIFY(until.isValid());
    QVERIFY(qAbs(until.secsTo(QDateTime::currentDateTimeUtc().addSecs(600))) < 10);
    QVERIFY(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("spamming")));
    // Other players are unaffected; lifting it lets the troll talk again.
    QCOMPARE(m_carol->request(sendFrame(QStringLiteral("say"), QStringLiteral("carol talks")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    // Carol (admin, on B) monitors: the unmute on A is pushed to her as mutes_changed.
    QCOMPARE(m_carol->request({ { QStringLiteral("type"), QStringLiteral("monitor") } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("monitor"));
    m_carol->clear();
    m_mod->request({ { QStringLiteral("type"), QStringLiteral("unmute") },
                     { QStringLiteral("scope"), QStringLiteral("server") },
                     { QStringLiteral("target_type"), QStringLiteral("player") },
                     { QStringLiteral("target"), QStringLiteral("troll") } });
    QVERIFY(QTest::qWaitFor(
            [&] {
                return m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("free again")))
                               .value(QStringLiteral("event_type"))
                               .toString()
                        == QStringLiteral("ack");
            },
            1000));
    QVERIFY(!m_carol->waitFor(QStringLiteral("mutes_changed")).isEmpty());
    m_carol->request({ { QStringLiteral("type"), QStringLiteral("monitor") }, { QStringLiteral("enabled"), false } });
    // A channel-only server mute: global refused, say allowed; permanent = null until.
    m_mod->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                     { QStringLiteral("scope"), QStringLiteral("server") },
                     { QStringLiteral("channel"), QStringLiteral("global") },
                     { QStringLiteral("target_type"), QStringLiteral("player") },
                     { QStringLiteral("target"), QStringLiteral("troll") } });
    QVERIFY(QTest::qWaitFor(
            [&] {
                return eventData(m_troll->request(sendFrame(QStringLiteral("global"), QStringLiteral("g?"))))
                               .value(QStringLiteral("code"))
                               .toString()
                        == QStringLiteral("muted");
            },
            1000));
    QVERIFY(eventData(m_troll->request(sendFrame(QStringLiteral("global"), QStringLiteral("g?"))))
                    .value(QStringLiteral("muted_until"))
                    .isNull());
    QCOMPARE(m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("say ok")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    const QJsonArray serverList = eventData(m_mod->request({ { QStringLiteral("type"), QStringLiteral("mutes") },
                                                             { QStringLiteral("scope"), QStringLiteral("server") } }))
                                          .value(QStringLiteral("mutes"))
                                          .toArray();
    QCOMPARE(serverList.size(), 1);
    QCOMPARE(serverList.first().toObject().value(QStringLiteral("channel")).toString(), QStringLiteral("global"));
}

void TestMutes::onlyModeratorsServerMuteAndNeverStaff()
{
    auto code = [](TestClient &c, const QJsonObject &frame) {
        return eventData(c.request(frame)).value(QStringLiteral("code")).toString();
    };
    QCOMPARE(code(*m_alice,
                  { { QStringLiteral("type"), QStringLiteral("mute") },
                    { QStringLiteral("scope"), QStringLiteral("server") },
                    { QStringLiteral("target_type"), QStringLiteral("player") },
                    { QStringLiteral("target"), QStringLiteral("troll") } }),
             QStringLiteral("forbidden"));
    QCOMPARE(code(*m_alice,
                  { { QStringLiteral("type"), QStringLiteral("mutes") },
                    { QStringLiteral("scope"), QStringLiteral("server") } }),
             QStringLiteral("forbidden"));
    // carol is an admin on the other instance: protected.
    QCOMPARE(code(*m_mod,
                  { { QStringLiteral("type"), QStringLiteral("mute") },
                    { QStringLiteral("scope"), QStringLiteral("server") },
                    { QStringLiteral("target_type"), QStringLiteral("player") },
                    { QStringLiteral("target"), QStringLiteral("Carol") } }),
             QStringLiteral("forbidden"));
    QCOMPARE(code(*m_mod,
                  { { QStringLiteral("type"), QStringLiteral("mute") },
                    { QStringLiteral("scope"), QStringLiteral("bogus") },
                    { QStringLiteral("target_type"), QStringLiteral("player") },
                    { QStringLiteral("target"), QStringLiteral("troll") } }),
             QStringLiteral("invalid_request"));
    QCOMPARE(code(*m_mod,
                  { { QStringLiteral("type"), QStringLiteral("mute") },
                    { QStringLiteral("target_type"), QStringLiteral("room") },
                    { QStringLiteral("target"), QStringLiteral("x") } }),
             QStringLiteral("invalid_request"));
    QCOMPARE(code(*m_mod,
                  { { QStringLiteral("type"), QStringLiteral("mute") },
                    { QStringLiteral("target_type"), QStringLiteral("player") },
                    { QStringLiteral("target"), QStringLiteral("troll") },
                    { QStringLiteral("minutes"), 0 } }),
             QStringLiteral("invalid_request"));
    // A moderator can still mute a player personally.
    QCOMPARE(m_mod->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                              { QStringLiteral("target_type"), QStringLiteral("player") },
                              { QStringLiteral("target"), QStringLiteral("carol") } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("mutes"));
}

void TestMutes::httpEndpoints()
{
    QNetworkAccessManager nam;
    auto call = [&](const QByteArray &method, const QString &path, const QByteArray &token,
                    const QByteArray &body = {}) {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_a->port()).arg(path)));
        request.setRawHeader("Authorization", "Bearer " + token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(5000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return std::pair { status, json };
    };
    const QByteArray alice = tokenFor(QStringLiteral("alice"), QStringLiteral("Alice"));
    auto [s1, j1] = call("POST", QStringLiteral("/chat/mute/channel"), alice,
                         R"({"channel":"zone","minutes":15,"reason":"too busy"})");
    QCOMPARE(s1, 200);
    QCOMPARE(j1.value(QStringLiteral("mutes")).toArray().first().toObject().value(QStringLiteral("target")).toString(),
             QStringLiteral("zone"));
    auto [s2, j2] = call("POST", QStringLiteral("/chat/mute/player"), alice, R"({"player":"Troll"})");
    QCOMPARE(s2, 200);
    QCOMPARE(j2.value(QStringLiteral("mutes")).toArray().size(), 2);
    auto [s3, j3] = call("GET", QStringLiteral("/chat/mutes"), alice);
    QCOMPARE(s3, 200);
    QCOMPARE(j3.value(QStringLiteral("mutes")).toArray().size(), 2);
    QCOMPARE(call("DELETE", QStringLiteral("/chat/mute/channel/zone"), alice).first, 200);
    auto [s4, j4] = call("DELETE", QStringLiteral("/chat/mute/player/troll"), alice);
    QCOMPARE(s4, 200);
    QCOMPARE(j4.value(QStringLiteral("mutes")).toArray().size(), 0);
    QCOMPARE(call("DELETE", QStringLiteral("/chat/mute/player/troll"), alice).first, 404);
    QCOMPARE(call("POST", QStringLiteral("/chat/mute/player"), alice, R"({"player":"troll","scope":"server"})").first,
             403);
    QCOMPARE(call("GET", QStringLiteral("/chat/mutes?scope=server"), alice).first, 403);
    const QByteArray mod = tokenFor(QStringLiteral("mod"), QStringLiteral("Mod"), QStringLiteral("moderator"));
    auto [s5, j5] = call("GET", QStringLiteral("/chat/mutes?scope=server"), mod);
    QCOMPARE(s5, 200);
    QCOMPARE(j5.value(QStringLiteral("mutes")).toArray().size(), 1); // the global-only mute from before
    QCOMPARE(call("POST", QStringLiteral("/chat/mute/player"), alice, "{nope").first, 400);
    QCOMPARE(call("POST", QStringLiteral("/chat/mute/player"), alice, R"({"player":"troll","minutes":-3})").first, 400);
    QCOMPARE(call("POST", QStringLiteral("/chat/mute/player"), alice, R"({"player":"nobody-here"})").first, 404);
}

void TestMutes::mutesSurviveARestart()
{
    // The global-only server mute on troll was stored by A (and by B from the relay).
    m_alice.reset();
    m_mod.reset();
    m_a.reset();
    m_a = std::make_unique<TestServer>(configFor(QStringLiteral("mute-a"), m_dirA.path()));
    QVERIFY(m_a->start());
    QVERIFY(m_a->waitForNats());
    auto troll = join(*m_a, QStringLiteral("troll2"));
    QVERIFY(troll);
    const auto restored = m_a->app().mutes()->list({ QStringLiteral("mod"), QStringLiteral("Mod"), Role::Moderator },
                                                   Mute::Scope::Server);
    const QList<Mute> list = std::get<QList<Mute>>(restored);
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().targetId, QStringLiteral("troll"));
    QCOMPARE(list.first().channel, QStringLiteral("global"));
    QCOMPARE(list.first().reason, QString());
    // The moderator's personal mute of carol survived too.
    QCOMPARE(m_a->app()
                     .mutes()
                     ->registry()
                     .personalMutesOf(QStringLiteral("mod"), QDateTime::currentDateTimeUtc())
                     .size(),
             1);
}

void TestMutes::changesAreModerationLogLines()
{
    AuditLog *audit = m_b->app().auditLog();
    Q_UNUSED(audit);
    // Lines are written by the instance where the change was made (A, before its restart).
    AuditLog *a = m_a->app().auditLog();
    a->flush();
    QFile f(QStringLiteral("%1/moderation/moderation_%2.jsonl")
                    .arg(a->dir(), QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate)));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QStringList seen;
    while (!f.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
        const QString event = line.value(QStringLiteral("event")).toString();
        if (event != QStringLiteral("mute") && event != QStringLiteral("unmute"))
            continue;
        QVERIFY(!line.value(QStringLiteral("actor")).toString().isEmpty());
        QVERIFY(!line.value(QStringLiteral("target_id")).toString().isEmpty());
        if (event == QStringLiteral("mute"))
            QVERIFY(line.contains(QStringLiteral("until")) && line.contains(QStringLiteral("reason")));
        seen.append(QStringLiteral("%1 %2 %3 %4")
                            .arg(event, line.value(QStringLiteral("actor")).toString(),
                                 line.value(QStringLiteral("scope")).toString(),
                                 line.value(QStringLiteral("target_id")).toString()));
    }
    QVERIFY2(seen.contains(QStringLiteral("mute mod server troll")), qPrintable(seen.join(QLatin1Char('|'))));
    QVERIFY(seen.contains(QStringLiteral("unmute mod server troll")));
    QVERIFY(seen.contains(QStringLiteral("mute alice personal troll")));
    QVERIFY(seen.contains(QStringLiteral("unmute alice personal global")));
}

QTEST_GUILESS_MAIN(TestMutes)
#include "tst_mutes.moc"
