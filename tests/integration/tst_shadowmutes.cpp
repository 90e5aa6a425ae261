// Shadow mutes across two instances sharing NATS, each with its own SQLite database: a
// moderator on either instance shadow-mutes a player on the other; the player's messages are
// acknowledged exactly as usual, reach no player on any instance (they never go out on a
// players' subject), stay out of everybody else's history and resume but in the sender's own,
// and reach the moderators' monitors on both instances marked `shadow`. Unmute and expiry
// restore delivery; players cannot shadow-mute, staff cannot be shadow-muted; audit lines.
#include "natsserver.h"
#include "shadowsupport.h"

#include "chat/chatservice.h"
#include "chat/directory.h"
#include "moderation/muteservice.h"

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
using namespace mythos::test::shadow;

class TestShadowMutes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void moderatorOnAShadowMutesAPlayerOnB();
    void moderatorOnBShadowMutesAPlayerOnAOverHttp();
    void timedShadowMuteExpires();
    void onlyModeratorsAndNeverStaff();
    void changesAndLinesAreAuditLines();

private:
    // No player (nor a moderator's own player connection) got this line as a chat_message.
    bool nobodyGot(const QString &text);
    std::pair<int, QJsonObject> http(TestServer &s, const QByteArray &method, const QString &path,
                                     const QByteArray &token, const QByteArray &body = {});

    NatsServer m_nats;
    QTemporaryDir m_dirA, m_dirB;
    std::unique_ptr<TestServer> m_a, m_b;
    // alice, bob and the moderator on A; troll, dave and carol (admin) on B; all in the foyer.
    std::unique_ptr<TestClient> m_alice, m_bob, m_mod, m_troll, m_dave, m_carol;
    QString m_baselineId;
};

bool TestShadowMutes::nobodyGot(const QString &text)
{
    QTest::qWait(300); // long enough for a relayed copy to have arrived anywhere
    for (TestClient *c : { m_alice.get(), m_bob.get(), m_mod.get(), m_troll.get(), m_dave.get(), m_carol.get() }) {
        if (!c->waitFor(QStringLiteral("chat_message"), contentIs(text), 0).isEmpty())
            return false;
    }
    return true;
}

std::pair<int, QJsonObject> TestShadowMutes::http(TestServer &s, const QByteArray &method, const QString &path,
                                                  const QByteArray &token, const QByteArray &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(s.port()).arg(path)));
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(5000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return { status, json };
}

void TestShadowMutes::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    for (auto [server, id, dir] :
         { std::tuple { &m_a, "shadow-a", &m_dirA }, std::tuple { &m_b, "shadow-b", &m_dirB } }) {
        Config c = testConfig(m_nats.url());
        c.server.serverId = QString::fromLatin1(id);
        c.server.dataDir = dir->path();
        *server = std::make_unique<TestServer>(c);
        QVERIFY((*server)->start());
        QVERIFY((*server)->waitForNats());
    }
    m_alice = join(*m_a, QStringLiteral("alice"));
    m_bob = join(*m_a, QStringLiteral("bob"));
    m_mod = join(*m_a, QStringLiteral("mod"), QStringLiteral("moderator"));
    m_troll = join(*m_b, QStringLiteral("troll"));
    m_dave = join(*m_b, QStringLiteral("dave"));
    m_carol = join(*m_b, QStringLiteral("carol"), QStringLiteral("admin"));
    QVERIFY(m_alice && m_bob && m_mod && m_troll && m_dave && m_carol);
    QVERIFY(QTest::qWaitFor(
            [&] {
                return m_a->app().directory()->resolve(QStringLiteral("carol"))
                        && m_b->app().directory()->resolve(QStringLiteral("mod"));
            },
            5000));
    for (TestClient *moderator : { m_mod.get(), m_carol.get() })
        QCOMPARE(moderator->request({ { kType, QStringLiteral("monitor") } }).value(QStringLiteral("event_type")),
                 QStringLiteral("monitor"));
}

void TestShadowMutes::cleanupTestCase()
{
    for (auto *c : { &m_alice, &m_bob, &m_mod, &m_troll, &m_dave, &m_carol })
        c->reset();
    m_a.reset();
    m_b.reset();
}

void TestShadowMutes::moderatorOnAShadowMutesAPlayerOnB()
{
    const QJsonObject baseline = ackOf(*m_troll, QStringLiteral("say"), QStringLiteral("troll before"));
    QVERIFY(!m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("troll before"))).isEmpty());
    m_baselineId = baseline.value(QStringLiteral("message_id")).toString();

    const QJsonObject reply = m_mod->request(muteFrame(QStringLiteral("mute"), QStringLiteral("Troll"), 10));
    QCOMPARE(reply.value(QStringLiteral("event_type")).toString(), QStringLiteral("mutes"));
    const QJsonArray list = eventData(reply).value(QStringLiteral("mutes")).toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first()[QStringLiteral("scope")].toString(), QStringLiteral("shadow"));
    QCOMPARE(list.first()[QStringLiteral("target")].toString(), QStringLiteral("troll"));
    const QDateTime until = QDateTime::fromString(list.first()[QStringLiteral("muted_until")].toString(), Qt::ISODate);
    QVERIFY(qAbs(until.secsTo(QDateTime::currentDateTimeUtc().addSecs(600))) < 10);
    // The player's instance applies it within a second; server mutes are untouched.
    QVERIFY(QTest::qWaitFor(
            [&] {
                return !!m_b->app().mutes()->registry().shadowMute(QStringLiteral("troll"), QStringLiteral("say"),
                                                                   QDateTime::currentDateTimeUtc());
            },
            1000));
    QVERIFY(m_b->app().mutes()->registry().serverMutes(QDateTime::currentDateTimeUtc()).isEmpty());

    const quint64 relayedIntoA = m_a->app().chat()->stats().relayedReceived;
    const QJsonObject ack = ackOf(*m_troll, QStringLiteral("say"), QStringLiteral("shadow one"));
    QCOMPARE(ack.keys(), baseline.keys()); // the same shape as any accepted message
    QVERIFY(!ack.value(QStringLiteral("message_id")).toString().isEmpty());
    QCOMPARE(ack.value(QStringLiteral("held")).toBool(), false);
    QVERIFY(!ackOf(*m_troll, QStringLiteral("whisper"), QStringLiteral("shadow whisper"), QStringLiteral("alice"))
                     .isEmpty());
    const auto [status, sent] = http(*m_b, "POST", QStringLiteral("/chat/send"),
                                     tokenFor(QStringLiteral("troll"), QStringLiteral("Troll"), {}, kFoyer),
                                     R"({"channel":"say","content":"shadow over http"})");
    QCOMPARE(status, 200);
    QVERIFY(!sent.value(QStringLiteral("message_id")).toString().isEmpty());

    // Moderators on both instances see the lines, marked; the whisper only in the admin's feed.
    for (TestClient *moderator : { m_mod.get(), m_carol.get() }) {
        for (const QString &text : { QStringLiteral("shadow one"), QStringLiteral("shadow over http") }) {
            const QJsonObject seen = moderator->waitFor(QStringLiteral("monitor_message"), shadowedLine(text));
            QVERIFY2(!seen.isEmpty(), qPrintable(text));
            QCOMPARE(eventData(seen).value(QStringLiteral("sender_id")).toString(), QStringLiteral("troll"));
        }
    }
    QVERIFY(!m_carol->waitFor(QStringLiteral("monitor_message"), shadowedLine(QStringLiteral("shadow whisper")))
                     .isEmpty());
    for (const QString &text :
         { QStringLiteral("shadow one"), QStringLiteral("shadow whisper"), QStringLiteral("shadow over http") })
        QVERIFY2(nobodyGot(text), qPrintable(text));
    // A never got them on a players' subject: only on the moderators' control subject.
    QCOMPARE(m_a->app().chat()->stats().relayedReceived, relayedIntoA);
    QCOMPARE(m_a->app().chat()->stats().shadowedRelayed, quint64(3));

    // The sender's history looks normal (no marker); everybody else's leaves the lines out.
    QJsonArray raw;
    QVERIFY(historyOf(*m_troll, QStringLiteral("say"), &raw).contains(QStringLiteral("shadow one")));
    for (const QJsonValue &m : raw)
        QVERIFY(!m.toObject().contains(QStringLiteral("shadow")));
    QVERIFY(historyOf(*m_troll, QStringLiteral("whisper")).contains(QStringLiteral("shadow whisper")));
    for (TestClient *other : { m_alice.get(), m_dave.get(), m_mod.get(), m_carol.get() }) {
        const QStringList seen = historyOf(*other, QStringLiteral("say"));
        QVERIFY(seen.contains(QStringLiteral("troll before")));
        QVERIFY2(!seen.contains(QStringLiteral("shadow one")) && !seen.contains(QStringLiteral("shadow over http")),
                 qPrintable(seen.join(QLatin1Char('|'))));
    }
    QVERIFY(!historyOf(*m_alice, QStringLiteral("whisper")).contains(QStringLiteral("shadow whisper")));
    // A's own database kept them for the sender too: troll reading history on A sees them.
    auto trollOnA = join(*m_a, QStringLiteral("troll"));
    QVERIFY(trollOnA);
    QVERIFY(historyOf(*trollOnA, QStringLiteral("say")).contains(QStringLiteral("shadow one")));

    // Resumes on either instance leave them out; the moderators' feed resume has them, marked.
    const QJsonObject resume { { kType, QStringLiteral("resume") }, { QStringLiteral("since"), m_baselineId } };
    for (TestClient *player : { m_alice.get(), m_dave.get() }) {
        const QStringList missed =
                contents(eventData(player->request(resume)).value(QStringLiteral("messages")).toArray());
        QVERIFY2(!missed.contains(QStringLiteral("shadow one")) && !missed.contains(QStringLiteral("shadow whisper")),
                 qPrintable(missed.join(QLatin1Char('|'))));
    }
    QJsonObject feedResume = resume;
    feedResume.insert(QStringLiteral("feed"), QStringLiteral("monitor"));
    bool markedInFeed = false;
    for (const QJsonValue &m : eventData(m_mod->request(feedResume)).value(QStringLiteral("messages")).toArray())
        markedInFeed |= shadowedLine(QStringLiteral("shadow one"))(m.toObject());
    QVERIFY(markedInFeed);
    // Nothing in what the player can ask shows the mute.
    QVERIFY(eventData(m_troll->request({ { kType, QStringLiteral("mutes") } }))
                    .value(QStringLiteral("mutes"))
                    .toArray()
                    .isEmpty());

    // Unmuted from A: troll reaches players on both instances again, unmarked in the monitor.
    QCOMPARE(eventData(m_mod->request(muteFrame(QStringLiteral("unmute"), QStringLiteral("troll"))))
                     .value(QStringLiteral("mutes"))
                     .toArray()
                     .size(),
             0);
    QVERIFY(QTest::qWaitFor(
            [&] {
                return !m_b->app().mutes()->registry().shadowMute(QStringLiteral("troll"), QStringLiteral("say"),
                                                                  QDateTime::currentDateTimeUtc());
            },
            1000));
    QVERIFY(!ackOf(*m_troll, QStringLiteral("say"), QStringLiteral("troll heard again")).isEmpty());
    for (TestClient *player : { m_alice.get(), m_dave.get() })
        QVERIFY(!player->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("troll heard again")))
                         .isEmpty());
    QVERIFY(!m_mod->waitFor(QStringLiteral("monitor_message"), shadowedLine(QStringLiteral("troll heard again"), false))
                     .isEmpty());
}

void TestShadowMutes::moderatorOnBShadowMutesAPlayerOnAOverHttp()
{
    const QByteArray carol = tokenFor(QStringLiteral("carol"), QStringLiteral("Carol"), QStringLiteral("admin"));
    const auto [status, body] =
            http(*m_b, "POST", QStringLiteral("/chat/mute/player"), carol, R"({"player":"bob","scope":"shadow"})");
    QCOMPARE(status, 200);
    const QJsonObject entry = body.value(QStringLiteral("mutes")).toArray().first().toObject();
    QCOMPARE(entry.value(QStringLiteral("scope")).toString(), QStringLiteral("shadow"));
    QVERIFY(entry.value(QStringLiteral("muted_until")).isNull()); // permanent
    // Relayed over NATS: A lists it once it has arrived there.
    QVERIFY(QTest::qWaitFor(
            [&] {
                return !!m_a->app().mutes()->registry().shadowMute(QStringLiteral("bob"), QStringLiteral("say"),
                                                                   QDateTime::currentDateTimeUtc());
            },
            1000));
    QCOMPARE(http(*m_a, "GET", QStringLiteral("/chat/mutes?scope=shadow"), carol)
                     .second.value(QStringLiteral("mutes"))
                     .toArray()
                     .size(),
             1);

    const quint64 relayedIntoB = m_b->app().chat()->stats().relayedReceived;
    QVERIFY(!ackOf(*m_bob, QStringLiteral("say"), QStringLiteral("bob shadowed")).isEmpty());
    for (TestClient *moderator : { m_mod.get(), m_carol.get() })
        QVERIFY(!moderator->waitFor(QStringLiteral("monitor_message"), shadowedLine(QStringLiteral("bob shadowed")))
                         .isEmpty());
    QVERIFY(nobodyGot(QStringLiteral("bob shadowed")));
    QCOMPARE(m_b->app().chat()->stats().relayedReceived, relayedIntoB);
    QVERIFY(!historyOf(*m_troll, QStringLiteral("say")).contains(QStringLiteral("bob shadowed")));
    QVERIFY(historyOf(*m_bob, QStringLiteral("say")).contains(QStringLiteral("bob shadowed")));

    QCOMPARE(http(*m_b, "DELETE", QStringLiteral("/chat/mute/player/bob?scope=shadow"), carol).first, 200);
    QCOMPARE(http(*m_b, "DELETE", QStringLiteral("/chat/mute/player/bob?scope=shadow"), carol).first, 404);
    QVERIFY(QTest::qWaitFor(
            [&] {
                return !m_a->app().mutes()->registry().shadowMute(QStringLiteral("bob"), QStringLiteral("say"),
                                                                  QDateTime::currentDateTimeUtc());
            },
            1000));
    QVERIFY(!ackOf(*m_bob, QStringLiteral("say"), QStringLiteral("bob is back")).isEmpty());
    for (TestClient *player : { m_alice.get(), m_troll.get(), m_dave.get() })
        QVERIFY(!player->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("bob is back"))).isEmpty());
}

void TestShadowMutes::timedShadowMuteExpires()
{
    // The shortest mute a moderator can ask for is a minute; the expiry instant itself is what
    // matters, so a mute ending in 4 s arrives as a relayed change (as from a third instance);
    // 4 s leaves room for the line before the expiry on a loaded machine (sanitizer builds).
    Mute m;
    m.scope = Mute::Scope::Shadow;
    m.ownerId = m.targetId = m.targetName = QStringLiteral("dave");
    m.targetType = QStringLiteral("player");
    m.mutedBy = QStringLiteral("mod");
    m.createdAt = QDateTime::currentDateTimeUtc();
    m.until = m.createdAt.addMSecs(4000);
    m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, {});
    const QByteArray relayed = QJsonDocument(QJsonObject { { QStringLiteral("op"), QStringLiteral("upsert") },
                                                           { QStringLiteral("mute"), m.toJson() },
                                                           { QStringLiteral("origin"), QStringLiteral("shadow-c") } })
                                       .toJson();
    QVERIFY(m_a->app().mutes()->handleControl(relayed) && m_b->app().mutes()->handleControl(relayed));
    QVERIFY(!ackOf(*m_dave, QStringLiteral("say"), QStringLiteral("dave before expiry")).isEmpty());
    QVERIFY(!m_mod->waitFor(QStringLiteral("monitor_message"), shadowedLine(QStringLiteral("dave before expiry")))
                     .isEmpty());
    QVERIFY(nobodyGot(QStringLiteral("dave before expiry")));
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentDateTimeUtc() > m.until; }, 6000));
    QVERIFY(!ackOf(*m_dave, QStringLiteral("say"), QStringLiteral("dave after expiry")).isEmpty());
    QVERIFY(!m_alice->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("dave after expiry")))
                     .isEmpty());
}

void TestShadowMutes::onlyModeratorsAndNeverStaff()
{
    auto code = [](TestClient &c, const QJsonObject &frame) {
        return eventData(c.request(frame)).value(QStringLiteral("code")).toString();
    };
    QCOMPARE(code(*m_alice, muteFrame(QStringLiteral("mute"), QStringLiteral("troll"))), QStringLiteral("forbidden"));
    QCOMPARE(code(*m_alice, muteFrame(QStringLiteral("unmute"), QStringLiteral("troll"))), QStringLiteral("forbidden"));
    QCOMPARE(code(*m_alice,
                  { { kType, QStringLiteral("mutes") }, { QStringLiteral("scope"), QStringLiteral("shadow") } }),
             QStringLiteral("forbidden"));
    QCOMPARE(code(*m_mod, muteFrame(QStringLiteral("mute"), QStringLiteral("Carol"))), QStringLiteral("forbidden"));
    QCOMPARE(code(*m_mod, muteFrame(QStringLiteral("mute"), QStringLiteral("mod"))), QStringLiteral("invalid_request"));
    QCOMPARE(code(*m_mod, muteFrame(QStringLiteral("mute"), QStringLiteral("troll"), 0)),
             QStringLiteral("invalid_request"));
    const QByteArray alice = tokenFor(QStringLiteral("alice"), QStringLiteral("Alice"));
    QCOMPARE(http(*m_a, "POST", QStringLiteral("/chat/mute/player"), alice, R"({"player":"troll","scope":"shadow"})")
                     .first,
             403);
    QCOMPARE(http(*m_a, "GET", QStringLiteral("/chat/mutes?scope=shadow"), alice).first, 403);
    QCOMPARE(http(*m_a, "POST", QStringLiteral("/chat/mute/channel"), alice, R"({"channel":"say","scope":"shadow"})")
                     .first,
             400);
    // The bus is a trust boundary: a relayed shadow mute of staff is refused too.
    Mute staff;
    staff.scope = Mute::Scope::Shadow;
    staff.ownerId = staff.targetId = QStringLiteral("carol");
    staff.targetType = QStringLiteral("player");
    staff.id = Mute::makeId(staff.scope, staff.ownerId, staff.targetType, staff.targetId, {});
    const quint64 refused = m_a->app().mutes()->refusedStaffMutes();
    QVERIFY(!m_a->app().mutes()->handleControl(
            QJsonDocument(QJsonObject { { QStringLiteral("op"), QStringLiteral("upsert") },
                                        { QStringLiteral("mute"), staff.toJson() },
                                        { QStringLiteral("origin"), QStringLiteral("x") } })
                    .toJson()));
    QCOMPARE(m_a->app().mutes()->refusedStaffMutes(), refused + 1);
}

void TestShadowMutes::changesAndLinesAreAuditLines()
{
    auto mutes = [&](TestServer &s) {
        QStringList seen;
        for (const QJsonObject &line : s.auditLines(QStringLiteral("moderation"))) {
            if (line.value(QStringLiteral("scope")).toString() == QStringLiteral("shadow"))
                seen.append(QStringLiteral("%1 %2 %3")
                                    .arg(line.value(QStringLiteral("event")).toString(),
                                         line.value(QStringLiteral("actor")).toString(),
                                         line.value(QStringLiteral("target_id")).toString()));
        }
        return seen;
    };
    const QStringList onA = mutes(*m_a), onB = mutes(*m_b);
    QVERIFY2(onA.contains(QStringLiteral("mute mod troll")) && onA.contains(QStringLiteral("unmute mod troll")),
             qPrintable(onA.join(QLatin1Char('|'))));
    QVERIFY2(onB.contains(QStringLiteral("mute carol bob")) && onB.contains(QStringLiteral("unmute carol bob")),
             qPrintable(onB.join(QLatin1Char('|'))));
    // The accepting instance's chat trail keeps every shadowed line, marked.
    auto chatLine = [&](TestServer &s, const QString &text) {
        for (const QJsonObject &line : s.auditLines(QStringLiteral("chat"))) {
            if (line.value(QStringLiteral("content")).toString() == text)
                return line;
        }
        return QJsonObject();
    };
    QCOMPARE(chatLine(*m_b, QStringLiteral("shadow one")).value(QStringLiteral("shadow")).toBool(), true);
    QCOMPARE(chatLine(*m_a, QStringLiteral("bob shadowed")).value(QStringLiteral("shadow")).toBool(), true);
    const QJsonObject normal = chatLine(*m_a, QStringLiteral("bob is back"));
    QVERIFY(!normal.isEmpty() && !normal.contains(QStringLiteral("shadow")));
}

QTEST_GUILESS_MAIN(TestShadowMutes)
#include "tst_shadowmutes.moc"
