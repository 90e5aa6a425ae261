// Mute decisions: personal mutes hide a player or a channel from their owner only; server
// mutes stop sending on all channels or one; shadow mutes are their own kind; expiry is exact
// and sweep forgets.
#include "moderation/muteregistry.h"

#include <QTest>

using namespace mythos;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 11, 26), QTime(19, 0), Qt::UTC);

Mute personal(const QString &owner, const QString &type, const QString &target, int minutes = 0)
{
    Mute m;
    m.scope = Mute::Scope::Personal;
    m.ownerId = owner;
    m.targetType = type;
    m.targetId = target;
    m.createdAt = kNow;
    if (minutes)
        m.until = kNow.addSecs(minutes * 60);
    m.id = Mute::makeId(m.scope, owner, type, target, {});
    return m;
}

Mute server(const QString &player, const QString &channel, int minutes, Mute::Scope scope = Mute::Scope::Server)
{
    Mute m;
    m.scope = scope;
    m.ownerId = m.targetId = player;
    m.targetType = QStringLiteral("player");
    m.channel = channel;
    m.createdAt = kNow;
    if (minutes)
        m.until = kNow.addSecs(minutes * 60);
    m.id = Mute::makeId(m.scope, player, m.targetType, player, channel);
    return m;
}

Mute shadow(const QString &player, const QString &channel, int minutes)
{
    return server(player, channel, minutes, Mute::Scope::Shadow);
}
} // namespace

class TestMuteRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void personalMuteHidesSenderFromOwnerOnly();
    void channelMuteHidesTheChannel();
    void serverMuteAllChannelsOrOne();
    void expiryIsExact();
    void mutingAgainReplaces();
    void sweepForgetsExpired();
    void protocolFormAndRoundTrip();
    void shadowMuteIsItsOwnKind();
};

void TestMuteRegistry::personalMuteHidesSenderFromOwnerOnly()
{
    MuteRegistry r;
    r.upsert(personal(QStringLiteral("alice"), QStringLiteral("player"), QStringLiteral("troll")));
    QVERIFY(r.hides(QStringLiteral("alice"), QStringLiteral("troll"), QStringLiteral("say"), kNow));
    QVERIFY(r.hides(QStringLiteral("alice"), QStringLiteral("troll"), QStringLiteral("whisper"), kNow));
    QVERIFY(!r.hides(QStringLiteral("bob"), QStringLiteral("troll"), QStringLiteral("say"), kNow));
    QVERIFY(!r.hides(QStringLiteral("alice"), QStringLiteral("carol"), QStringLiteral("say"), kNow));
    QVERIFY(!r.serverMute(QStringLiteral("troll"), QStringLiteral("say"), kNow)); // personal is not server
}

void TestMuteRegistry::channelMuteHidesTheChannel()
{
    MuteRegistry r;
    r.upsert(personal(QStringLiteral("alice"), QStringLiteral("channel"), QStringLiteral("global")));
    QVERIFY(r.hides(QStringLiteral("alice"), QStringLiteral("anyone"), QStringLiteral("global"), kNow));
    QVERIFY(!r.hides(QStringLiteral("alice"), QStringLiteral("anyone"), QStringLiteral("say"), kNow));
}

void TestMuteRegistry::serverMuteAllChannelsOrOne()
{
    MuteRegistry r;
    r.upsert(server(QStringLiteral("spammer"), QStringLiteral("global"), 10));
    QVERIFY(r.serverMute(QStringLiteral("spammer"), QStringLiteral("global"), kNow));
    QVERIFY(!r.serverMute(QStringLiteral("spammer"), QStringLiteral("say"), kNow));
    r.upsert(server(QStringLiteral("spammer"), QString(), 5));
    const auto all = r.serverMute(QStringLiteral("spammer"), QStringLiteral("say"), kNow);
    QVERIFY(all);
    QCOMPARE(all->until, kNow.addSecs(300));
    // On global both apply: the longer one is reported.
    QCOMPARE(r.serverMute(QStringLiteral("spammer"), QStringLiteral("global"), kNow)->until, kNow.addSecs(600));
    QCOMPARE(r.serverMutes(kNow).size(), 2);
}

void TestMuteRegistry::expiryIsExact()
{
    MuteRegistry r;
    r.upsert(personal(QStringLiteral("alice"), QStringLiteral("player"), QStringLiteral("troll"), 1));
    QVERIFY(r.hides(QStringLiteral("alice"), QStringLiteral("troll"), QStringLiteral("say"), kNow.addSecs(59)));
    QVERIFY(!r.hides(QStringLiteral("alice"), QStringLiteral("troll"), QStringLiteral("say"), kNow.addSecs(60)));
    QCOMPARE(r.personalMutesOf(QStringLiteral("alice"), kNow.addSecs(61)).size(), 0);
    QCOMPARE(r.personalMutesOf(QStringLiteral("alice"), kNow).size(), 1);
}

void TestMuteRegistry::mutingAgainReplaces()
{
    MuteRegistry r;
    r.upsert(personal(QStringLiteral("alice"), QStringLiteral("player"), QStringLiteral("troll"), 1));
    r.upsert(personal(QStringLiteral("alice"), QStringLiteral("player"), QStringLiteral("troll"))); // now permanent
    QCOMPARE(r.size(), 1);
    QVERIFY(r.hides(QStringLiteral("alice"), QStringLiteral("troll"), QStringLiteral("say"), kNow.addDays(365)));
    r.remove(Mute::makeId(Mute::Scope::Personal, QStringLiteral("alice"), QStringLiteral("player"),
                          QStringLiteral("troll"), {}));
    QCOMPARE(r.size(), 0);
    QVERIFY(!r.hides(QStringLiteral("alice"), QStringLiteral("troll"), QStringLiteral("say"), kNow));
}

void TestMuteRegistry::sweepForgetsExpired()
{
    MuteRegistry r;
    for (int i = 0; i < 100; ++i)
        r.upsert(personal(QStringLiteral("p%1").arg(i), QStringLiteral("player"), QStringLiteral("troll"), 1));
    r.upsert(server(QStringLiteral("x"), QString(), 0));
    QCOMPARE(r.sweep(kNow), 0);
    QCOMPARE(r.sweep(kNow.addSecs(60)), 100);
    QCOMPARE(r.size(), 1);
}

void TestMuteRegistry::protocolFormAndRoundTrip()
{
    Mute m = server(QStringLiteral("spammer"), QStringLiteral("global"), 10);
    m.targetName = QStringLiteral("Spammer");
    m.mutedBy = QStringLiteral("mod1");
    m.reason = QStringLiteral("flooding");
    const QJsonObject p = m.toProtocol();
    QCOMPARE(p.value(QStringLiteral("target_type")).toString(), QStringLiteral("player"));
    QCOMPARE(p.value(QStringLiteral("target")).toString(), QStringLiteral("spammer"));
    QCOMPARE(p.value(QStringLiteral("target_name")).toString(), QStringLiteral("Spammer"));
    QCOMPARE(p.value(QStringLiteral("muted_until")).toString(), QStringLiteral("2026-11-26T19:10:00.000Z"));
    QCOMPARE(p.value(QStringLiteral("scope")).toString(), QStringLiteral("server"));
    QCOMPARE(p.value(QStringLiteral("muted_by")).toString(), QStringLiteral("mod1"));
    QVERIFY(personal(QStringLiteral("a"), QStringLiteral("player"), QStringLiteral("b"))
                    .toProtocol()
                    .value(QStringLiteral("muted_until"))
                    .isNull());
    const Mute back = Mute::fromJson(m.toJson());
    QCOMPARE(back.id, m.id);
    QCOMPARE(back.until, m.until);
    QCOMPARE(back.channel, m.channel);
    QCOMPARE(back.scope, m.scope);
    QCOMPARE(back.ownerId, m.ownerId);
}

void TestMuteRegistry::shadowMuteIsItsOwnKind()
{
    MuteRegistry r;
    r.upsert(shadow(QStringLiteral("troll"), QString(), 1));
    // A shadow mute never refuses (the player must not notice) and hides nothing personally.
    QVERIFY(!r.serverMute(QStringLiteral("troll"), QStringLiteral("say"), kNow));
    QVERIFY(!r.hides(QStringLiteral("troll"), QStringLiteral("alice"), QStringLiteral("say"), kNow));
    QVERIFY(r.shadowMute(QStringLiteral("troll"), QStringLiteral("say"), kNow));
    QVERIFY(!r.shadowMute(QStringLiteral("alice"), QStringLiteral("say"), kNow));
    QVERIFY(!r.shadowMute(QStringLiteral("troll"), QStringLiteral("say"), kNow.addSecs(60))); // exact expiry
    // Beside a server mute of the same player, both in force and listed apart.
    r.upsert(server(QStringLiteral("troll"), QStringLiteral("global"), 0));
    r.upsert(shadow(QStringLiteral("troll"), QStringLiteral("zone"), 0));
    QCOMPARE(r.size(), 3);
    QCOMPARE(r.serverMutes(kNow).size(), 1);
    QCOMPARE(r.shadowMutes(kNow).size(), 2);
    QVERIFY(r.shadowMute(QStringLiteral("troll"), QStringLiteral("zone"), kNow.addDays(9))->until.isNull());
    QVERIFY(!r.shadowMute(QStringLiteral("troll"), QStringLiteral("global"), kNow.addDays(9)));
    const Mute back = Mute::fromJson(shadow(QStringLiteral("troll"), QString(), 5).toJson());
    QCOMPARE(back.scope, Mute::Scope::Shadow);
    QCOMPARE(back.toProtocol().value(QStringLiteral("scope")).toString(), QStringLiteral("shadow"));
    QCOMPARE(muteScopeFromName(u"shadow"), Mute::Scope::Shadow);
    QVERIFY(!muteScopeFromName(u"ghost"));
}

QTEST_APPLESS_MAIN(TestMuteRegistry)
#include "tst_muteregistry.moc"
