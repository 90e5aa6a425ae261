// The same storage suite against both backends: SQLite (embedded) and PostgreSQL (a throwaway
// server from scripts/with-postgres.sh). Migrations, writes, scoped history, retention.
#include "testdatabase.h"

#include "storage/sqlstorage.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
StoredMessage msg(const QString &id, const QString &channel, const QString &scope,
                  const QString &sender = QStringLiteral("alice"),
                  const QDateTime &at = QDateTime::currentDateTimeUtc())
{
    StoredMessage m;
    m.id = id;
    m.channel = channel;
    m.senderId = sender;
    m.senderName = sender.toUpper();
    m.content = QStringLiteral("text of ") + id;
    m.timestamp = at;
    m.scopeKey = scope;
    m.roomId = channel == QLatin1String("say") ? scope : QString();
    m.origin = QStringLiteral("test");
    return m;
}

QStringList ids(const QList<StoredMessage> &list)
{
    QStringList out;
    for (const StoredMessage &m : list)
        out.append(m.id);
    return out;
}

QString resourceScript(const QString &driver, const QString &name)
{
    QFile f(QStringLiteral(":/mythos/sql/%1/%2.sql").arg(driver, name));
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll());
}
} // namespace

class TestStorage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backends_data();
    void migratesAnEmptyDatabase_data() { backends_data(); }
    void migratesAnEmptyDatabase();
    void migratesAVersionOneDatabase_data() { backends_data(); }
    void migratesAVersionOneDatabase();
    void storesIdempotently_data() { backends_data(); }
    void storesIdempotently();
    void historyIsScopedOrderedAndPaged_data() { backends_data(); }
    void historyIsScopedOrderedAndPaged();
    void whisperHistoryHasBothDirections_data() { backends_data(); }
    void whisperHistoryHasBothDirections();
    void retentionPrunesByAgeAndCount_data() { backends_data(); }
    void retentionPrunesByAgeAndCount();
    void keepsUnicodeAndTimestamps_data() { backends_data(); }
    void keepsUnicodeAndTimestamps();
    void queueStateMachine_data() { backends_data(); }
    void queueStateMachine();
    void mutesPersist_data() { backends_data(); }
    void mutesPersist();
    void offencesPersist_data() { backends_data(); }
    void offencesPersist();
    void notesPersist_data() { backends_data(); }
    void notesPersist();
};

void TestStorage::backends_data()
{
    addBackendRows();
}

void TestStorage::migratesAnEmptyDatabase()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    const auto opened = storage->open(true);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    QCOMPARE(storage->schemaVersion().value(), SqlStorage::latestSchemaVersion());
    QVERIFY(SqlStorage::latestSchemaVersion() >= 2);
    storage->close();
    // Opening again is a no-op.
    auto again = db.storage();
    QVERIFY(again->open(true).ok());
    QCOMPARE(again->schemaVersion().value(), SqlStorage::latestSchemaVersion());
}

void TestStorage::migratesAVersionOneDatabase()
{
    OPEN_DATABASE(db);
    // Build what the first release created, with rows in it, without the storage class.
    QStringList v1 = sqlStatements(resourceScript(backend, QStringLiteral("001_initial")));
    v1 << QStringLiteral("CREATE TABLE mythos_schema (version INTEGER NOT NULL)")
       << QStringLiteral("INSERT INTO mythos_schema (version) VALUES (1)")
       << QStringLiteral("INSERT INTO players (id, name) VALUES ('alice', 'Alice')")
       << QStringLiteral(
                  "INSERT INTO chat_messages (id, channel, sender_id, sender_name, content, timestamp, room_id) "
                  "VALUES ('000000000001000000-old', 'say', 'alice', 'Alice', 'from version one', '2026-11-01T10:00:00.000Z', 'earth_a_b_c')")
       << QStringLiteral(
                  "INSERT INTO chat_messages (id, channel, sender_id, sender_name, content, timestamp) "
                  "VALUES ('000000000002000000-old', 'global', 'alice', 'Alice', 'global from v1', '2026-11-01T10:00:01.000Z')");
    QString error;
    QVERIFY2(db.execRaw(v1, &error), qPrintable(error));

    auto storage = db.storage();
    const auto opened = storage->open(true);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    QCOMPARE(storage->schemaVersion().value(), SqlStorage::latestSchemaVersion());
    // Old rows are readable through the new, scoped queries.
    HistoryQuery say { HistoryQuery::Kind::Scope, QStringLiteral("say"), QStringLiteral("earth_a_b_c") };
    const auto sayHistory = storage->history(say);
    QVERIFY2(sayHistory.ok(), qPrintable(sayHistory.error()));
    QCOMPARE(ids(sayHistory.value()), QStringList { QStringLiteral("000000000001000000-old") });
    QCOMPARE(sayHistory.value().first().content, QStringLiteral("from version one"));
    HistoryQuery global { HistoryQuery::Kind::Scope, QStringLiteral("global"), QString() };
    QCOMPARE(ids(storage->history(global).value()), QStringList { QStringLiteral("000000000002000000-old") });
    // And new rows go in next to them.
    QVERIFY(storage->insert({ msg(QStringLiteral("000000000003000000-new"), QStringLiteral("say"),
                                  QStringLiteral("earth_a_b_c")) })
                    .ok());
    QCOMPARE(storage->history(say).value().size(), 2);
}

void TestStorage::storesIdempotently()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    const StoredMessage m = msg(QStringLiteral("0001-a"), QStringLiteral("global"), QString());
    QVERIFY(storage->insert({ m }).ok());
    QVERIFY(storage->insert({ m, msg(QStringLiteral("0002-a"), QStringLiteral("global"), QString()) })
                    .ok()); // relayed twice
    HistoryQuery q { HistoryQuery::Kind::Scope, QStringLiteral("global"), QString() };
    QCOMPARE(ids(storage->history(q).value()), (QStringList { QStringLiteral("0001-a"), QStringLiteral("0002-a") }));
}

void TestStorage::historyIsScopedOrderedAndPaged()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    QList<StoredMessage> batch;
    for (int i = 0; i < 30; ++i)
        batch.append(msg(QStringLiteral("%1-x").arg(i, 4, 10, QLatin1Char('0')), QStringLiteral("say"),
                         i % 3 == 0 ? QStringLiteral("room_b") : QStringLiteral("room_a")));
    batch.append(msg(QStringLiteral("0100-x"), QStringLiteral("emote"), QStringLiteral("room_a")));
    QVERIFY(storage->insert(batch).ok());

    HistoryQuery q { HistoryQuery::Kind::Scope, QStringLiteral("say"), QStringLiteral("room_a") };
    q.limit = 5;
    const QList<StoredMessage> newest = storage->history(q).value();
    // The newest five, returned oldest first; none from room_b or another channel.
    QCOMPARE(ids(newest),
             (QStringList { QStringLiteral("0023-x"), QStringLiteral("0025-x"), QStringLiteral("0026-x"),
                            QStringLiteral("0028-x"), QStringLiteral("0029-x") }));
    q.before = newest.first().id;
    QCOMPARE(ids(storage->history(q).value()),
             (QStringList { QStringLiteral("0016-x"), QStringLiteral("0017-x"), QStringLiteral("0019-x"),
                            QStringLiteral("0020-x"), QStringLiteral("0022-x") }));
    q.before = QStringLiteral("0002-x");
    QCOMPARE(ids(storage->history(q).value()), (QStringList { QStringLiteral("0001-x") }));
    q.scopeKey = QStringLiteral("room_z");
    QVERIFY(storage->history(q).value().isEmpty());
}

void TestStorage::whisperHistoryHasBothDirections()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    auto whisper = [](const QString &id, const QString &from, const QString &to) {
        StoredMessage m = msg(id, QStringLiteral("whisper"), to, from);
        m.targetId = to;
        m.targetName = to.toUpper();
        return m;
    };
    QVERIFY(storage->insert({ whisper(QStringLiteral("01"), QStringLiteral("alice"), QStringLiteral("bob")),
                              whisper(QStringLiteral("02"), QStringLiteral("bob"), QStringLiteral("alice")),
                              whisper(QStringLiteral("03"), QStringLiteral("carol"), QStringLiteral("dave")),
                              whisper(QStringLiteral("04"), QStringLiteral("carol"), QStringLiteral("alice")) })
                    .ok());
    HistoryQuery q;
    q.kind = HistoryQuery::Kind::Whisper;
    q.channel = QStringLiteral("whisper");
    q.playerId = QStringLiteral("alice");
    const QList<StoredMessage> mine = storage->history(q).value();
    QCOMPARE(ids(mine), (QStringList { QStringLiteral("01"), QStringLiteral("02"), QStringLiteral("04") }));
    QCOMPARE(mine.first().targetName, QStringLiteral("BOB"));
    q.playerId = QStringLiteral("dave");
    QCOMPARE(ids(storage->history(q).value()), QStringList { QStringLiteral("03") });
}

void TestStorage::retentionPrunesByAgeAndCount()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<StoredMessage> batch;
    for (int i = 0; i < 5; ++i)
        batch.append(msg(QStringLiteral("old-%1").arg(i), QStringLiteral("global"), QString(), QStringLiteral("alice"),
                         now.addDays(-40)));
    for (int i = 0; i < 8; ++i)
        batch.append(msg(QStringLiteral("new-a-%1").arg(i), QStringLiteral("say"), QStringLiteral("room_a"),
                         QStringLiteral("alice"), now));
    for (int i = 0; i < 3; ++i)
        batch.append(msg(QStringLiteral("new-b-%1").arg(i), QStringLiteral("say"), QStringLiteral("room_b"),
                         QStringLiteral("alice"), now));
    QVERIFY(storage->insert(batch).ok());
    const auto removed = storage->prune(now.addDays(-30), 4);
    QVERIFY2(removed.ok(), qPrintable(removed.error()));
    QCOMPARE(removed.value(), 5 + 4); // all old ones, and room_a down to its newest 4
    HistoryQuery a { HistoryQuery::Kind::Scope, QStringLiteral("say"), QStringLiteral("room_a") };
    QCOMPARE(ids(storage->history(a).value()),
             (QStringList { QStringLiteral("new-a-4"), QStringLiteral("new-a-5"), QStringLiteral("new-a-6"),
                            QStringLiteral("new-a-7") }));
    HistoryQuery b { HistoryQuery::Kind::Scope, QStringLiteral("say"), QStringLiteral("room_b") };
    QCOMPARE(storage->history(b).value().size(), 3);
    HistoryQuery g { HistoryQuery::Kind::Scope, QStringLiteral("global"), QString() };
    QVERIFY(storage->history(g).value().isEmpty());
}

void TestStorage::keepsUnicodeAndTimestamps()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    StoredMessage m = msg(QStringLiteral("u1"), QStringLiteral("global"), QString());
    m.content = QStringLiteral("Ph'nglui mglw'nafh — Cthulhu R'lyeh 🐙 ünïcödé; DROP TABLE chat_messages; --");
    m.timestamp = QDateTime(QDate(2026, 11, 26), QTime(19, 0, 0, 123), Qt::UTC);
    m.filtered = true;
    QVERIFY(storage->insert({ m }).ok());
    const StoredMessage back =
            storage->history({ HistoryQuery::Kind::Scope, QStringLiteral("global"), QString() }).value().first();
    QCOMPARE(back.content, m.content);
    QCOMPARE(back.timestamp, m.timestamp);
    QCOMPARE(back.filtered, true);
    QCOMPARE(back.senderName, QStringLiteral("ALICE"));
    QCOMPARE(back.toChatData().value(QStringLiteral("timestamp")).toString(),
             QStringLiteral("2026-11-26T19:00:00.123Z"));
}

void TestStorage::queueStateMachine()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    QVERIFY(storage->insert({ msg(QStringLiteral("0001-q"), QStringLiteral("say"), QStringLiteral("room_a")) }).ok());
    ModerationItem item;
    item.id = QStringLiteral("q-0002-q");
    item.messageId = QStringLiteral("0002-q");
    item.kind = QStringLiteral("held");
    item.senderId = QStringLiteral("alice");
    item.channel = QStringLiteral("say");
    item.message = { { QStringLiteral("content"), QStringLiteral("held text") } };
    item.reasons = { QStringLiteral("\\bthreat\\b") };
    item.createdAt = QDateTime::currentDateTimeUtc();
    const auto queued = storage->enqueueModeration(
            item, { HistoryQuery::Kind::Scope, QStringLiteral("say"), QStringLiteral("room_a") });
    QVERIFY2(queued.ok(), qPrintable(queued.error()));
    QCOMPARE(queued.value().context.value(QStringLiteral("recent_lines")).toArray().size(), 1); // as stored
    const ModerationItem stored = storage->queueItem(item.id).value();
    QCOMPARE(stored.status, QStringLiteral("pending"));
    QCOMPARE(stored.context.value(QStringLiteral("recent_lines")).toArray().size(), 1); // the line before it
    QCOMPARE(stored.reasons, item.reasons);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(storage->claimQueueItem(item.id, QStringLiteral("mod1"), now).value(), true);
    QCOMPARE(storage->claimQueueItem(item.id, QStringLiteral("mod1"), now).value(), true); // re-claim by the holder
    QCOMPARE(storage->claimQueueItem(item.id, QStringLiteral("mod2"), now).value(), false);
    QCOMPARE(storage->resolveQueueItem(item.id, QStringLiteral("approved"), QStringLiteral("mod2"),
                                       QStringLiteral("approve"), now)
                     .value(),
             false);
    QCOMPARE(storage->resolveQueueItem(item.id, QStringLiteral("rejected"), QStringLiteral("mod1"),
                                       QStringLiteral("reject"), now)
                     .value(),
             true);
    QCOMPARE(storage->resolveQueueItem(item.id, QStringLiteral("approved"), QStringLiteral("mod1"),
                                       QStringLiteral("approve"), now)
                     .value(),
             false); // closed
    QCOMPARE(storage->claimQueueItem(item.id, QStringLiteral("mod1"), now).value(), false);
    const ModerationItem closed = storage->queueItem(item.id).value();
    QCOMPARE(closed.status, QStringLiteral("rejected"));
    QCOMPARE(closed.resolvedBy, QStringLiteral("mod1"));
    QVERIFY(storage->listQueue(QStringLiteral("pending"), 10).value().isEmpty());
    QCOMPARE(storage->listQueue(QStringLiteral("all"), 10).value().size(), 1);
    QVERIFY(storage->queueItem(QStringLiteral("q-missing")).value().id.isEmpty());
    // A copy relayed from another instance updates the status in place.
    ModerationItem copy = closed;
    copy.status = QStringLiteral("dismissed");
    QVERIFY(storage->saveQueueItem(copy).ok());
    QCOMPARE(storage->queueItem(item.id).value().status, QStringLiteral("dismissed"));
}

void TestStorage::mutesPersist()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    QVERIFY(storage->recordPlayer({ QStringLiteral("mod1"), QStringLiteral("Mod One"), Role::Moderator }).ok());
    QVERIFY(storage->recordPlayer({ QStringLiteral("troll"), QStringLiteral("Troll"), Role::Player }).ok());
    const auto found = storage->findPlayer(QStringLiteral("mod one"));
    QCOMPARE(found.value().id, QStringLiteral("mod1"));
    QCOMPARE(found.value().role, Role::Moderator);
    QVERIFY(storage->findPlayer(QStringLiteral("nobody")).value().id.isEmpty());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Mute m;
    m.scope = Mute::Scope::Server;
    m.ownerId = m.targetId = QStringLiteral("troll");
    m.targetType = QStringLiteral("player");
    m.mutedBy = QStringLiteral("mod1");
    m.reason = QStringLiteral("spam");
    m.createdAt = now;
    m.until = now.addSecs(600);
    m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, {});
    Mute expired = m;
    expired.channel = QStringLiteral("global");
    expired.until = now.addSecs(-1);
    expired.id = Mute::makeId(expired.scope, expired.ownerId, expired.targetType, expired.targetId, expired.channel);
    QVERIFY2(storage->saveMute(m).ok(), qPrintable(storage->saveMute(m).error()));
    QVERIFY(storage->saveMute(expired).ok());
    const QList<Mute> active = storage->loadActiveMutes(now).value();
    QCOMPARE(active.size(), 1);
    QCOMPARE(active.first().reason, QStringLiteral("spam"));
    QCOMPARE(active.first().until, m.until);
    QCOMPARE(storage->deleteExpiredMutes(now).value(), 1);
    QVERIFY(storage->deleteMute(m.id).ok());
    QVERIFY(storage->loadActiveMutes(now).value().isEmpty());
}

void TestStorage::offencesPersist()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-12-07T12:00:00.250Z"), Qt::ISODateWithMs);
    auto offence = [&](const QString &id, const QString &player, int minutesAgo) {
        Offence f;
        f.id = id;
        f.playerId = player;
        f.kind = QStringLiteral("warn");
        f.points = 2;
        f.at = now.addSecs(-60LL * minutesAgo);
        f.actor = QStringLiteral("mod1");
        f.detail = QStringLiteral("mind the language");
        f.origin = QStringLiteral("chatd-1");
        return f;
    };
    QVERIFY2(storage->saveOffence(offence(QStringLiteral("o1"), QStringLiteral("pat"), 10)).ok(),
             qPrintable(storage->saveOffence(offence(QStringLiteral("o1"), QStringLiteral("pat"), 10)).error()));
    QVERIFY(storage->saveOffence(offence(QStringLiteral("o1"), QStringLiteral("pat"), 10)).ok()); // relayed copy
    QVERIFY(storage->saveOffence(offence(QStringLiteral("o2"), QStringLiteral("pat"), 2)).ok());
    QVERIFY(storage->saveOffence(offence(QStringLiteral("o3"), QStringLiteral("kim"), 90)).ok());
    QList<Offence> live = storage->loadOffences(now.addSecs(-60 * 60)).value();
    QCOMPARE(live.size(), 2); // o3 is older than the cut-off
    QCOMPARE(live[0].id, QStringLiteral("o1")); // oldest first
    QCOMPARE(live[0].at, now.addSecs(-600));
    QCOMPARE(live[0].points, 2);
    QCOMPARE(live[0].detail, QStringLiteral("mind the language"));
    QCOMPARE(live[0].actor, QStringLiteral("mod1"));
    QCOMPARE(live[0].origin, QStringLiteral("chatd-1"));
    QCOMPARE(storage->deleteOffences(QStringLiteral("pat"), now.addSecs(-300)).value(), 1); // a reset before o2
    live = storage->loadOffences(now.addSecs(-60 * 60)).value();
    QCOMPARE(live.size(), 1);
    QCOMPARE(live[0].id, QStringLiteral("o2"));
    QCOMPARE(storage->pruneOffences(now.addSecs(-60 * 60)).value(), 1); // o3
    QCOMPARE(storage->loadOffences(now.addSecs(-365LL * 86400)).value().size(), 1);
}

void TestStorage::notesPersist()
{
    OPEN_DATABASE(db);
    auto storage = db.storage();
    QVERIFY(storage->open(true).ok());
    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-12-07T12:00:00.250Z"), Qt::ISODateWithMs);
    for (int i = 0; i < 3; ++i) {
        ModeratorNote n;
        n.id = QStringLiteral("n%1").arg(i);
        n.playerId = QStringLiteral("pat");
        n.authorId = QStringLiteral("mod1");
        n.authorName = QStringLiteral("Mod 'One'"); // quotes are data
        n.body = QStringLiteral("note %1 — ünïcode").arg(i);
        n.createdAt = now.addSecs(i);
        QVERIFY2(storage->saveNote(n).ok(), qPrintable(storage->saveNote(n).error()));
        QVERIFY(storage->saveNote(n).ok()); // a relayed copy: ignored
    }
    const QList<ModeratorNote> notes = storage->loadNotes(QStringLiteral("pat"), 2).value();
    QCOMPARE(notes.size(), 2); // the limit
    QCOMPARE(notes[0].id, QStringLiteral("n2")); // newest first
    QCOMPARE(notes[0].body, QStringLiteral("note 2 — ünïcode"));
    QCOMPARE(notes[0].authorName, QStringLiteral("Mod 'One'"));
    QCOMPARE(notes[0].createdAt, now.addSecs(2));
    QVERIFY(storage->loadNotes(QStringLiteral("kim"), 10).value().isEmpty());
}

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
