// Shadowed messages and shadow mutes in both backends (SQLite, and PostgreSQL where
// scripts/with-postgres.sh provides one): a shadowed row is in its sender's history only, never
// in anybody else's history or resume, and in the moderators' feed resume marked; shadow mutes
// are stored and loaded with their scope.
#include "testdatabase.h"

#include "storage/sqlstorage.h"

#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
StoredMessage row(const QString &id, const QString &channel, const QString &scope, const QString &sender, bool shadow,
                  const QString &target = {})
{
    StoredMessage m;
    m.id = id;
    m.channel = channel;
    m.senderId = sender;
    m.senderName = sender.toUpper();
    m.content = QStringLiteral("text of ") + id;
    m.timestamp = QDateTime::currentDateTimeUtc();
    m.scopeKey = target.isEmpty() ? scope : target;
    m.targetId = target;
    m.targetName = target.toUpper();
    m.origin = QStringLiteral("test");
    m.shadow = shadow;
    return m;
}

QStringList ids(const QList<StoredMessage> &list)
{
    QStringList out;
    for (const StoredMessage &m : list)
        out.append(m.id + (m.shadow ? QStringLiteral("*") : QString()));
    return out;
}
} // namespace

class TestShadowStorage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backends_data();
    void historyShowsShadowedLinesToTheirSenderOnly_data() { backends_data(); }
    void historyShowsShadowedLinesToTheirSenderOnly();
    void resumesLeaveThemOutAndTheFeedMarksThem_data() { backends_data(); }
    void resumesLeaveThemOutAndTheFeedMarksThem();
    void shadowMutesPersistWithTheirScope_data() { backends_data(); }
    void shadowMutesPersistWithTheirScope();
};

void TestShadowStorage::backends_data()
{
    addBackendRows();
}

void TestShadowStorage::historyShowsShadowedLinesToTheirSenderOnly()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    const QString say = QStringLiteral("say"), room = QStringLiteral("room_a");
    QVERIFY(storage->insert({ row(QStringLiteral("01"), say, room, QStringLiteral("alice"), false),
                              row(QStringLiteral("02"), say, room, QStringLiteral("troll"), true),
                              row(QStringLiteral("03"), say, room, QStringLiteral("troll"), false),
                              row(QStringLiteral("04"), QStringLiteral("whisper"), {}, QStringLiteral("troll"), true,
                                  QStringLiteral("alice")),
                              row(QStringLiteral("05"), QStringLiteral("whisper"), {}, QStringLiteral("alice"), false,
                                  QStringLiteral("troll")) })
                    .ok());
    HistoryQuery q { HistoryQuery::Kind::Scope, say, room };
    q.readerId = QStringLiteral("alice");
    QCOMPARE(ids(storage->history(q).value()), (QStringList { QStringLiteral("01"), QStringLiteral("03") }));
    q.readerId.clear(); // the moderation queue's context: what players saw
    QCOMPARE(ids(storage->history(q).value()), (QStringList { QStringLiteral("01"), QStringLiteral("03") }));
    q.readerId = QStringLiteral("troll"); // the sender's own history looks normal
    QCOMPARE(ids(storage->history(q).value()),
             (QStringList { QStringLiteral("01"), QStringLiteral("02*"), QStringLiteral("03") }));

    HistoryQuery whispers;
    whispers.kind = HistoryQuery::Kind::Whisper;
    whispers.channel = QStringLiteral("whisper");
    whispers.playerId = QStringLiteral("alice");
    QCOMPARE(ids(storage->history(whispers).value()), QStringList { QStringLiteral("05") });
    whispers.playerId = QStringLiteral("troll");
    QCOMPARE(ids(storage->history(whispers).value()), (QStringList { QStringLiteral("04*"), QStringLiteral("05") }));
}

void TestShadowStorage::resumesLeaveThemOutAndTheFeedMarksThem()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    const QString say = QStringLiteral("say"), room = QStringLiteral("room_a");
    QVERIFY(storage->insert({ row(QStringLiteral("01"), say, room, QStringLiteral("alice"), false),
                              row(QStringLiteral("02"), say, room, QStringLiteral("troll"), true),
                              row(QStringLiteral("03"), say, room, QStringLiteral("troll"), false),
                              row(QStringLiteral("04"), QStringLiteral("whisper"), {}, QStringLiteral("troll"), true,
                                  QStringLiteral("alice")) })
                    .ok());
    auto resume = [&](const QString &reader, const QList<HistoryQuery> &branches) {
        RecoveryQuery query;
        query.branches = branches;
        query.readerId = reader;
        query.since = QStringLiteral("01");
        query.after = QStringLiteral("00");
        return ids(storage->recover(query).value().messages);
    };
    const HistoryQuery scope { HistoryQuery::Kind::Scope, say, room };
    HistoryQuery whisper { HistoryQuery::Kind::Whisper, QStringLiteral("whisper") };
    whisper.playerId = QStringLiteral("alice");
    QCOMPARE(resume(QStringLiteral("alice"), { scope, whisper }), QStringList { QStringLiteral("03") });
    whisper.playerId = QStringLiteral("troll"); // their own whisper, as sent
    QCOMPARE(resume(QStringLiteral("troll"), { scope, whisper }),
             (QStringList { QStringLiteral("01"), QStringLiteral("04*") }));
    // The moderators' feed: everything, the shadowed rows flagged for the resume to mark.
    const HistoryQuery feed { HistoryQuery::Kind::Channel, say };
    QCOMPARE(resume(QStringLiteral("mod"), { feed }),
             (QStringList { QStringLiteral("01"), QStringLiteral("02*"), QStringLiteral("03") }));
}

void TestShadowStorage::shadowMutesPersistWithTheirScope()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    QVERIFY(storage->recordPlayer({ QStringLiteral("mod1"), QStringLiteral("Mod One"), Role::Moderator }).ok());
    QVERIFY(storage->recordPlayer({ QStringLiteral("troll"), QStringLiteral("Troll"), Role::Player }).ok());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Mute server;
    server.scope = Mute::Scope::Server;
    server.ownerId = server.targetId = QStringLiteral("troll");
    server.targetType = QStringLiteral("player");
    server.mutedBy = QStringLiteral("mod1");
    server.createdAt = now;
    server.id = Mute::makeId(server.scope, server.ownerId, server.targetType, server.targetId, {});
    Mute shadow = server;
    shadow.scope = Mute::Scope::Shadow;
    shadow.reason = QStringLiteral("baiting");
    shadow.until = now.addSecs(300);
    shadow.id = Mute::makeId(shadow.scope, shadow.ownerId, shadow.targetType, shadow.targetId, {});
    QVERIFY(shadow.id != server.id); // both can be in force at once
    QVERIFY(storage->saveMutes({ server, shadow }).ok());
    QList<Mute> loaded = storage->loadActiveMutes(now).value();
    std::sort(loaded.begin(), loaded.end(), [](const Mute &a, const Mute &b) { return a.id < b.id; });
    QCOMPARE(loaded.size(), 2);
    QCOMPARE(loaded[0].scope, Mute::Scope::Shadow);
    QCOMPARE(loaded[0].reason, QStringLiteral("baiting"));
    QCOMPARE(loaded[0].until, shadow.until);
    QCOMPARE(loaded[1].scope, Mute::Scope::Server);
    QVERIFY(storage->deleteMute(shadow.id).ok());
    QCOMPARE(storage->loadActiveMutes(now).value().size(), 1);
}

QTEST_GUILESS_MAIN(TestShadowStorage)
#include "tst_shadowstorage.moc"
