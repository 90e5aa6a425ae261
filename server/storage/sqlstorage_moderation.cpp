// The moderation tables of SqlStorage: players, mutes and the moderation queue. (The
// connection, migrations and chat history are in sqlstorage.cpp.)
#include "storage/sqlstorage.h"

#include "storage/sqlhelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace mythos {

using namespace sqlhelpers;

Result<bool> SqlStorage::recordPlayer(const KnownPlayer &player)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("upsert_player_role")));
    return bindAndExec(q, { player.id, player.name, roleName(player.role), iso(QDateTime::currentDateTimeUtc()) },
                       "cannot record a player");
}

Result<SqlStorage::KnownPlayer> SqlStorage::findPlayer(const QString &idOrName)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("find_player")));
    for (const QVariant &v : QVariantList { idOrName, idOrName, idOrName })
        q.addBindValue(v);
    if (!q.exec())
        return dbError<KnownPlayer>("cannot look up a player", q.lastError());
    KnownPlayer p;
    if (q.next())
        p = { q.value(0).toString(), q.value(1).toString(), parseRole(q.value(2).toString()).value_or(Role::Player) };
    return p;
}

Result<QList<SqlStorage::KnownPlayer>> SqlStorage::loadPlayers()
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(sql(QStringLiteral("load_players"))))
        return dbError<QList<KnownPlayer>>("cannot load the known players", q.lastError());
    QList<KnownPlayer> players;
    while (q.next())
        players.append({ q.value(0).toString(), q.value(1).toString(),
                         parseRole(q.value(2).toString()).value_or(Role::Player) });
    return players;
}

Result<SqlStorage::QueueBacklog> SqlStorage::queueBacklog()
{
    QSqlQuery q(m_db);
    if (!q.exec(sql(QStringLiteral("queue_backlog"))))
        return dbError<QueueBacklog>("cannot measure the moderation queue", q.lastError());
    QueueBacklog b;
    if (q.next())
        b = { q.value(0).toInt(), readTime(q.value(1)) };
    return b;
}

Result<bool> SqlStorage::saveMute(const Mute &m)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("upsert_mute")));
    const QVariant until = m.until.isValid() ? QVariant(iso(m.until)) : QVariant(QMetaType::fromType<QString>());
    return bindAndExec(q,
                       { m.id, m.ownerId, m.targetType, m.targetId, until, nullable(m.mutedBy), nullable(m.reason),
                         iso(m.createdAt.isValid() ? m.createdAt : QDateTime::currentDateTimeUtc()),
                         muteScopeName(m.scope), nullable(m.channel), nullable(m.targetName) },
                       "cannot save a mute");
}

Result<bool> SqlStorage::saveMutes(const QList<Mute> &mutes)
{
    if (mutes.isEmpty())
        return true;
    if (!m_db.transaction())
        return dbError<bool>("cannot start a transaction", m_db.lastError());
    for (const Mute &m : mutes) {
        if (auto saved = saveMute(m); !saved) {
            m_db.rollback();
            return saved;
        }
    }
    if (!m_db.commit())
        return dbError<bool>("cannot commit", m_db.lastError());
    return true;
}

Result<bool> SqlStorage::deleteMute(const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("delete_mute")));
    return bindAndExec(q, { id }, "cannot delete a mute");
}

Result<QList<Mute>> SqlStorage::loadActiveMutes(const QDateTime &now)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("load_mutes")));
    q.addBindValue(iso(now));
    if (!q.exec())
        return dbError<QList<Mute>>("cannot load mutes", q.lastError());
    QList<Mute> mutes;
    while (q.next()) {
        Mute m;
        m.id = q.value(0).toString();
        m.ownerId = q.value(1).toString();
        m.targetType = q.value(2).toString();
        m.targetId = q.value(3).toString();
        m.until = readTime(q.value(4));
        m.mutedBy = q.value(5).toString();
        m.reason = q.value(6).toString();
        m.createdAt = readTime(q.value(7));
        m.scope = muteScopeFromName(q.value(8).toString()).value_or(Mute::Scope::Personal);
        m.channel = q.value(9).toString();
        m.targetName = q.value(10).toString();
        mutes.append(m);
    }
    return mutes;
}

Result<ModerationItem> SqlStorage::enqueueModeration(ModerationItem item, const HistoryQuery &scope)
{
    HistoryQuery before = scope;
    before.limit = 5;
    before.before = item.messageId;
    const auto recent = history(before);
    if (!recent)
        return Result<ModerationItem>::failure(recent.error());
    QJsonArray lines;
    for (const StoredMessage &m : recent.value())
        lines.append(m.toChatData());
    item.context.insert(QLatin1String("recent_lines"), lines);
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("enqueue_moderation")));
    const auto stored =
            bindAndExec(q,
                        { item.id, item.messageId, item.kind, item.senderId, item.channel,
                          QString::fromUtf8(QJsonDocument(item.message).toJson(QJsonDocument::Compact)),
                          QString::fromUtf8(QJsonDocument(item.context).toJson(QJsonDocument::Compact)),
                          item.reasons.join(QLatin1Char('\n')), iso(item.createdAt), nullable(item.origin) },
                        "cannot queue a message for moderation");
    if (!stored)
        return Result<ModerationItem>::failure(stored.error());
    return item;
}

namespace {
ModerationItem readItem(const QSqlQuery &q)
{
    ModerationItem i;
    i.id = q.value(0).toString();
    i.messageId = q.value(1).toString();
    i.kind = q.value(2).toString();
    i.status = q.value(3).toString();
    i.senderId = q.value(4).toString();
    i.channel = q.value(5).toString();
    i.message = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
    i.context = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).object();
    i.reasons = q.value(8).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    i.createdAt = readTime(q.value(9));
    i.claimedBy = q.value(10).toString();
    i.resolvedBy = q.value(11).toString();
    i.resolution = q.value(12).toString();
    i.origin = q.value(13).toString();
    return i;
}
} // namespace

Result<QList<ModerationItem>> SqlStorage::listQueue(const QString &status, int limit)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("queue_list")));
    for (const QVariant &v : QVariantList { status, status, limit })
        q.addBindValue(v);
    if (!q.exec())
        return dbError<QList<ModerationItem>>("cannot list the moderation queue", q.lastError());
    QList<ModerationItem> items;
    while (q.next())
        items.append(readItem(q));
    return items;
}

Result<ModerationItem> SqlStorage::queueItem(const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("queue_get")));
    q.addBindValue(id);
    if (!q.exec())
        return dbError<ModerationItem>("cannot read a queue item", q.lastError());
    return q.next() ? readItem(q) : ModerationItem {};
}

Result<bool> SqlStorage::claimQueueItem(const QString &id, const QString &moderator, const QDateTime &now)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("queue_claim")));
    if (auto ok = bindAndExec(q, { moderator, iso(now), id, moderator }, "cannot claim a queue item"); !ok)
        return ok;
    return q.numRowsAffected() == 1;
}

Result<bool> SqlStorage::resolveQueueItem(const QString &id, const QString &status, const QString &moderator,
                                          const QString &resolution, const QDateTime &now)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("queue_resolve")));
    if (auto ok = bindAndExec(q, { status, moderator, iso(now), resolution, id, moderator },
                              "cannot resolve a queue item");
        !ok)
        return ok;
    return q.numRowsAffected() == 1;
}

Result<bool> SqlStorage::saveQueueItem(const ModerationItem &i)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("upsert_queue_item")));
    return bindAndExec(q,
                       { i.id, i.messageId, i.kind, i.status, i.senderId, i.channel,
                         QString::fromUtf8(QJsonDocument(i.message).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(QJsonDocument(i.context).toJson(QJsonDocument::Compact)),
                         i.reasons.join(QLatin1Char('\n')), iso(i.createdAt), nullable(i.claimedBy),
                         nullable(i.resolvedBy), nullable(i.resolution), nullable(i.origin) },
                       "cannot copy a queue item");
}

Result<bool> SqlStorage::deleteMessage(const QString &messageId)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("delete_message")));
    return bindAndExec(q, { messageId }, "cannot delete a message");
}

Result<int> SqlStorage::deleteExpiredMutes(const QDateTime &now)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("delete_expired_mutes")));
    q.addBindValue(iso(now));
    if (!q.exec())
        return dbError<int>("cannot delete expired mutes", q.lastError());
    return q.numRowsAffected();
}

} // namespace mythos
