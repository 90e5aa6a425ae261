// The player-record tables of SqlStorage: the escalation ladder's chat_offences (schema
// version 7) and the moderators' notes (moderator_notes, version 8).
#include "storage/sqlstorage.h"

#include "storage/sqlhelpers.h"

#include <QSqlQuery>

namespace mythos {

using namespace sqlhelpers;

Result<bool> SqlStorage::saveOffence(const Offence &f)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("insert_offence")));
    return bindAndExec(q,
                       { f.id, f.playerId, f.kind, f.points, iso(f.at), nullable(f.actor), nullable(f.detail),
                         nullable(f.origin) },
                       "cannot save an offence");
}

Result<QList<Offence>> SqlStorage::loadOffences(const QDateTime &newerThan)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("load_offences")));
    q.addBindValue(iso(newerThan));
    if (!q.exec())
        return dbError<QList<Offence>>("cannot load offences", q.lastError());
    QList<Offence> offences;
    while (q.next()) {
        Offence f;
        f.id = q.value(0).toString();
        f.playerId = q.value(1).toString();
        f.kind = q.value(2).toString();
        f.points = q.value(3).toInt();
        f.at = readTime(q.value(4));
        f.actor = q.value(5).toString();
        f.detail = q.value(6).toString();
        f.origin = q.value(7).toString();
        offences.append(f);
    }
    return offences;
}

Result<int> SqlStorage::deleteOffences(const QString &playerId, const QDateTime &upTo)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("delete_offences")));
    q.addBindValue(playerId);
    q.addBindValue(iso(upTo));
    if (!q.exec())
        return dbError<int>("cannot delete a player's offences", q.lastError());
    return q.numRowsAffected();
}

Result<int> SqlStorage::pruneOffences(const QDateTime &upTo)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("prune_offences")));
    q.addBindValue(iso(upTo));
    if (!q.exec())
        return dbError<int>("cannot delete decayed offences", q.lastError());
    return q.numRowsAffected();
}

Result<bool> SqlStorage::saveNote(const ModeratorNote &n)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("insert_note")));
    return bindAndExec(
            q, { n.id, n.playerId, n.authorId, nullable(n.authorName), n.body, iso(n.createdAt), nullable(n.origin) },
            "cannot save a note");
}

Result<QList<ModeratorNote>> SqlStorage::loadNotes(const QString &playerId, int limit)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("load_notes")));
    q.addBindValue(playerId);
    q.addBindValue(limit);
    if (!q.exec())
        return dbError<QList<ModeratorNote>>("cannot load notes", q.lastError());
    QList<ModeratorNote> notes;
    while (q.next()) {
        ModeratorNote n;
        n.id = q.value(0).toString();
        n.playerId = q.value(1).toString();
        n.authorId = q.value(2).toString();
        n.authorName = q.value(3).toString();
        n.body = q.value(4).toString();
        n.createdAt = readTime(q.value(5));
        n.origin = q.value(6).toString();
        notes.append(n);
    }
    return notes;
}

} // namespace mythos
