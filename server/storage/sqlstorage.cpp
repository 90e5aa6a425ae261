#include "storage/sqlstorage.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcDb, "mythos.server.db")

namespace mythos {

namespace {
const QString kSqlRoot = QStringLiteral(":/mythos/sql/");
constexpr auto kNewest = "~"; // sorts after every message id: "no upper bound"

template<typename T>
Result<T> dbError(const char *what, const QSqlError &error)
{
    return Result<T>::failure(QStringLiteral("%1: %2").arg(QLatin1String(what), error.text()));
}

QStringList migrationFiles(const QString &folder)
{
    return QDir(kSqlRoot + folder).entryList({ QStringLiteral("0*.sql") }, QDir::Files, QDir::Name);
}

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

// scope_id is NOT NULL: '' stands for "no scope" (everyone, staff); a null QString would bind NULL.
QVariant notNull(const QString &s)
{
    return s.isNull() ? QVariant(QString::fromLatin1("")) : QVariant(s);
}

} // namespace

QStringList sqlStatements(const QString &script)
{
    QStringList code;
    for (const QString &line : script.split(QLatin1Char('\n'))) {
        if (!line.trimmed().startsWith(QLatin1String("--")))
            code.append(line);
    }
    QStringList statements;
    for (const QString &s : code.join(QLatin1Char('\n')).split(QLatin1Char(';'))) {
        if (!s.trimmed().isEmpty())
            statements.append(s.trimmed());
    }
    return statements;
}

namespace {

StoredMessage readRow(const QSqlQuery &q)
{
    StoredMessage m;
    m.id = q.value(0).toString();
    m.channel = q.value(1).toString();
    m.senderId = q.value(2).toString();
    m.senderName = q.value(3).toString();
    m.content = q.value(4).toString();
    const QVariant ts = q.value(5);
    m.timestamp = ts.metaType().id() == QMetaType::QDateTime ? ts.toDateTime().toUTC()
                                                             : QDateTime::fromString(ts.toString(), Qt::ISODateWithMs).toUTC();
    m.roomId = q.value(6).toString();
    m.partyId = q.value(7).toString();
    m.filtered = q.value(8).toBool();
    m.scopeKey = q.value(9).toString();
    m.targetId = q.value(10).toString();
    m.targetName = q.value(11).toString();
    m.origin = q.value(12).toString();
    return m;
}
} // namespace

SqlStorage::SqlStorage(QString driverFolder) : m_driverFolder(std::move(driverFolder)) { }

SqlStorage::~SqlStorage()
{
    close();
}

int SqlStorage::latestSchemaVersion()
{
    return static_cast<int>(migrationFiles(QStringLiteral("sqlite")).size());
}

QString SqlStorage::sql(const QString &name) const
{
    QFile f(kSqlRoot + m_driverFolder + QLatin1Char('/') + name + QStringLiteral(".sql"));
    if (!f.open(QIODevice::ReadOnly))
        qCCritical(lcDb) << "missing SQL resource" << f.fileName();
    return QString::fromUtf8(f.readAll());
}

Result<bool> SqlStorage::exec(const QString &statement)
{
    QSqlQuery q(m_db);
    if (!q.exec(statement))
        return Result<bool>::failure(QStringLiteral("%1 [%2]").arg(q.lastError().text(), statement.simplified().left(120)));
    return true;
}

Result<bool> SqlStorage::open(bool migrateSchema)
{
    m_connectionName = QStringLiteral("mythos-") + QUuid::createUuid().toString(QUuid::Id128);
    m_db = createConnection(m_connectionName);
    if (!m_db.open())
        return dbError<bool>("cannot open the database", m_db.lastError());
    if (auto prepared = prepareSession(); !prepared)
        return prepared;
    return migrateSchema ? migrate() : Result<bool>(true);
}

void SqlStorage::close()
{
    if (m_connectionName.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

Result<int> SqlStorage::schemaVersion()
{
    QSqlQuery q(m_db);
    if (!m_db.tables().contains(QStringLiteral("mythos_schema")))
        return m_db.tables().contains(QStringLiteral("chat_messages")) ? 1 : 0; // a plan-era database
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM mythos_schema")) || !q.next())
        return dbError<int>("cannot read the schema version", q.lastError());
    return q.value(0).toInt();
}

Result<bool> SqlStorage::migrate()
{
    const auto current = schemaVersion();
    if (!current)
        return Result<bool>::failure(current.error());
    const QStringList files = migrationFiles(m_driverFolder);
    if (current.value() > files.size())
        return Result<bool>::failure(QStringLiteral("the database has schema version %1, newer than this server knows (%2)")
                                             .arg(current.value()).arg(files.size()));
    if (auto made = exec(QStringLiteral("CREATE TABLE IF NOT EXISTS mythos_schema (version INTEGER NOT NULL)")); !made)
        return made;
    for (int version = current.value() + 1; version <= files.size(); ++version) {
        const QString file = files[version - 1];
        qCInfo(lcDb) << "migrating" << describe() << "to schema version" << version << '(' << file << ')';
        if (!m_db.transaction())
            return dbError<bool>("cannot start a migration", m_db.lastError());
        for (const QString &statement : sqlStatements(sql(file.chopped(4)))) {
            if (auto ran = exec(statement); !ran) {
                m_db.rollback();
                return Result<bool>::failure(QStringLiteral("migration %1 failed: %2").arg(file, ran.error()));
            }
        }
        if (auto noted = exec(QStringLiteral("INSERT INTO mythos_schema (version) VALUES (%1)").arg(version)); !noted) {
            m_db.rollback();
            return noted;
        }
        if (!m_db.commit())
            return dbError<bool>("cannot commit a migration", m_db.lastError());
    }
    return true;
}

Result<bool> SqlStorage::bindAndExec(QSqlQuery &query, const QVariantList &values, const char *what)
{
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values[i]);
    if (!query.exec())
        return dbError<bool>(what, query.lastError());
    return true;
}

Result<bool> SqlStorage::insert(const QList<StoredMessage> &batch)
{
    if (batch.isEmpty())
        return true;
    if (!m_db.transaction())
        return dbError<bool>("cannot start a transaction", m_db.lastError());
    QSqlQuery player(m_db), message(m_db);
    player.prepare(sql(QStringLiteral("upsert_player")));
    message.prepare(sql(QStringLiteral("insert_message")));
    QHash<QString, QString> senders; // the batch's senders, once each
    for (const StoredMessage &m : batch)
        senders.insert(m.senderId, m.senderName);
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    for (auto it = senders.cbegin(); it != senders.cend(); ++it) {
        if (auto ok = bindAndExec(player, { it.key(), it.value(), now }, "cannot record a player"); !ok) {
            m_db.rollback();
            return ok;
        }
    }
    for (const StoredMessage &m : batch) {
        const QVariantList values { m.id, m.channel, m.senderId, m.senderName, m.content,
                                    m.timestamp.toUTC().toString(Qt::ISODateWithMs), nullable(m.roomId),
                                    nullable(m.partyId), m.filtered, notNull(m.scopeKey), nullable(m.targetId),
                                    nullable(m.targetName), nullable(m.origin) };
        if (auto ok = bindAndExec(message, values, "cannot store a message"); !ok) {
            m_db.rollback();
            return ok;
        }
    }
    if (!m_db.commit())
        return dbError<bool>("cannot commit", m_db.lastError());
    return true;
}

Result<QList<StoredMessage>> SqlStorage::history(const HistoryQuery &query)
{
    QSqlQuery q(m_db);
    const QString before = query.before.isEmpty() ? QString::fromLatin1(kNewest) : query.before;
    if (query.kind == HistoryQuery::Kind::Whisper) {
        q.prepare(sql(QStringLiteral("history_whisper")));
        for (const QVariant &v : QVariantList { query.channel, query.playerId, query.playerId, before, query.limit })
            q.addBindValue(v);
    } else {
        q.prepare(sql(QStringLiteral("history_scope")));
        for (const QVariant &v : QVariantList { query.channel, notNull(query.scopeKey), before, query.limit })
            q.addBindValue(v);
    }
    if (!q.exec())
        return dbError<QList<StoredMessage>>("cannot read history", q.lastError());
    QList<StoredMessage> newestFirst;
    while (q.next())
        newestFirst.append(readRow(q));
    return QList<StoredMessage>(newestFirst.crbegin(), newestFirst.crend());
}

Result<int> SqlStorage::prune(const QDateTime &olderThan, int keepPerScope)
{
    int removed = 0;
    QSqlQuery byAge(m_db);
    byAge.prepare(sql(QStringLiteral("prune_age")));
    byAge.addBindValue(olderThan.toUTC().toString(Qt::ISODateWithMs));
    if (!byAge.exec())
        return dbError<int>("cannot prune old messages", byAge.lastError());
    removed += byAge.numRowsAffected();
    QSqlQuery byCount(m_db);
    byCount.prepare(sql(QStringLiteral("prune_per_scope")));
    byCount.addBindValue(keepPerScope);
    if (!byCount.exec())
        return dbError<int>("cannot prune per channel", byCount.lastError());
    return removed + byCount.numRowsAffected();
}

} // namespace mythos

namespace mythos {

namespace {
QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}
QDateTime readTime(const QVariant &v)
{
    if (v.isNull())
        return {};
    return v.metaType().id() == QMetaType::QDateTime ? v.toDateTime().toUTC() : QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}
} // namespace

Result<bool> SqlStorage::recordPlayer(const KnownPlayer &player)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("upsert_player_role")));
    return bindAndExec(q, { player.id, player.name, roleName(player.role), iso(QDateTime::currentDateTimeUtc()) }, "cannot record a player");
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

Result<bool> SqlStorage::saveMute(const Mute &m)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("upsert_mute")));
    const QVariant until = m.until.isValid() ? QVariant(iso(m.until)) : QVariant(QMetaType::fromType<QString>());
    return bindAndExec(q, { m.id, m.ownerId, m.targetType, m.targetId, until, nullable(m.mutedBy), nullable(m.reason),
                            iso(m.createdAt.isValid() ? m.createdAt : QDateTime::currentDateTimeUtc()),
                            muteScopeName(m.scope), nullable(m.channel), nullable(m.targetName) },
                       "cannot save a mute");
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
        m.scope = q.value(8).toString() == QLatin1String("server") ? Mute::Scope::Server : Mute::Scope::Personal;
        m.channel = q.value(9).toString();
        m.targetName = q.value(10).toString();
        mutes.append(m);
    }
    return mutes;
}

Result<bool> SqlStorage::enqueueModeration(ModerationItem item, const HistoryQuery &scope)
{
    HistoryQuery before = scope;
    before.limit = 5;
    before.before = item.messageId;
    const auto recent = history(before);
    if (!recent)
        return Result<bool>::failure(recent.error());
    QJsonArray lines;
    for (const StoredMessage &m : recent.value())
        lines.append(m.toChatData());
    item.context.insert(QLatin1String("recent_lines"), lines);
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("enqueue_moderation")));
    return bindAndExec(q, { item.id, item.messageId, item.kind, item.senderId, item.channel,
                            QString::fromUtf8(QJsonDocument(item.message).toJson(QJsonDocument::Compact)),
                            QString::fromUtf8(QJsonDocument(item.context).toJson(QJsonDocument::Compact)),
                            item.reasons.join(QLatin1Char('\n')), iso(item.createdAt), nullable(item.origin) },
                       "cannot queue a message for moderation");
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
    if (auto ok = bindAndExec(q, { status, moderator, iso(now), resolution, id, moderator }, "cannot resolve a queue item"); !ok)
        return ok;
    return q.numRowsAffected() == 1;
}

Result<bool> SqlStorage::saveQueueItem(const ModerationItem &i)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("upsert_queue_item")));
    return bindAndExec(q, { i.id, i.messageId, i.kind, i.status, i.senderId, i.channel,
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
