#include "storage/sqlstorage.h"

#include "storage/sqlhelpers.h"

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

using namespace sqlhelpers;

namespace {
const QString kSqlRoot = QStringLiteral(":/mythos/sql/");
constexpr auto kNewest = "~"; // sorts after every message id: "no upper bound"

QStringList migrationFiles(const QString &folder)
{
    return QDir(kSqlRoot + folder).entryList({ QStringLiteral("0*.sql") }, QDir::Files, QDir::Name);
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
    m.timestamp = readTime(q.value(5));
    m.roomId = q.value(6).toString();
    m.partyId = q.value(7).toString();
    m.filtered = q.value(8).toBool();
    m.scopeKey = q.value(9).toString();
    m.targetId = q.value(10).toString();
    m.targetName = q.value(11).toString();
    m.origin = q.value(12).toString();
    m.shadow = q.value(13).toBool();
    return m;
}
} // namespace

SqlStorage::SqlStorage(QString driverFolder) : m_driverFolder(std::move(driverFolder))
{
}

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
        return Result<bool>::failure(
                QStringLiteral("%1 [%2]").arg(q.lastError().text(), statement.simplified().left(120)));
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
        return Result<bool>::failure(
                QStringLiteral("the database has schema version %1, newer than this server knows (%2)")
                        .arg(current.value())
                        .arg(files.size()));
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
        const QVariantList values { m.id,
                                    m.channel,
                                    m.senderId,
                                    m.senderName,
                                    m.content,
                                    iso(m.timestamp),
                                    nullable(m.roomId),
                                    nullable(m.partyId),
                                    m.filtered,
                                    notNull(m.scopeKey),
                                    nullable(m.targetId),
                                    nullable(m.targetName),
                                    nullable(m.origin),
                                    m.shadow };
        if (auto ok = bindAndExec(message, values, "cannot store a message"); !ok) {
            m_db.rollback();
            return ok;
        }
    }
    if (!m_db.commit())
        return dbError<bool>("cannot commit", m_db.lastError());
    return true;
}

Result<bool> SqlStorage::hasMessage(const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(sql(QStringLiteral("recover_since"))); // the primary-key look-up a resume makes
    q.addBindValue(id);
    if (!q.exec())
        return dbError<bool>("cannot look up a message", q.lastError());
    return q.next();
}

Result<QList<StoredMessage>> SqlStorage::history(const HistoryQuery &query)
{
    QSqlQuery q(m_db);
    const QString before = query.before.isEmpty() ? QString::fromLatin1(kNewest) : query.before;
    if (query.kind == HistoryQuery::Kind::Whisper) {
        q.prepare(sql(QStringLiteral("history_whisper")));
        for (const QVariant &v :
             QVariantList { query.channel, query.playerId, query.playerId, before, query.playerId, query.limit })
            q.addBindValue(v);
    } else {
        q.prepare(sql(QStringLiteral("history_scope")));
        for (const QVariant &v :
             QVariantList { query.channel, notNull(query.scopeKey), before, notNull(query.readerId), query.limit })
            q.addBindValue(v);
    }
    if (!q.exec())
        return dbError<QList<StoredMessage>>("cannot read history", q.lastError());
    QList<StoredMessage> newestFirst;
    while (q.next())
        newestFirst.append(readRow(q));
    return QList<StoredMessage>(newestFirst.crbegin(), newestFirst.crend());
}

Result<RecoveryRows> SqlStorage::recover(const RecoveryQuery &query)
{
    RecoveryRows rows;
    QSqlQuery known(m_db);
    known.prepare(sql(QStringLiteral("recover_since")));
    known.addBindValue(query.since);
    if (!known.exec())
        return dbError<RecoveryRows>("cannot look up the resume point", known.lastError());
    rows.sinceKnown = known.next();
    if (query.branches.isEmpty())
        return rows;

    // The number of channels a reader sees varies with role and location, so the statement is
    // put together here from the per-branch files; every value is still a bound parameter.
    const QString scopeBranch = sqlStatements(sql(QStringLiteral("recover_scope"))).value(0);
    const QString whisperBranch = sqlStatements(sql(QStringLiteral("recover_whisper"))).value(0);
    const QString channelBranch = sqlStatements(sql(QStringLiteral("recover_channel"))).value(0);
    QStringList parts;
    QVariantList values;
    for (const HistoryQuery &branch : query.branches) {
        if (branch.kind == HistoryQuery::Kind::Whisper) {
            parts.append(whisperBranch);
            values << branch.channel << branch.playerId << branch.playerId << query.after << branch.playerId
                   << query.limit;
        } else if (branch.kind == HistoryQuery::Kind::Channel) {
            parts.append(channelBranch);
            values << branch.channel << query.after << query.limit;
        } else {
            parts.append(scopeBranch);
            values << branch.channel << notNull(branch.scopeKey) << query.after << query.readerId << query.limit;
        }
    }
    QString statement;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i)
            statement += QLatin1String(" UNION ALL ");
        statement += QStringLiteral("SELECT * FROM (%1) AS b%2").arg(parts[i]).arg(i);
    }
    statement += QLatin1String(" ORDER BY id DESC LIMIT ?");
    values << query.limit;

    QSqlQuery q(m_db);
    if (!q.prepare(statement))
        return dbError<RecoveryRows>("cannot prepare the resume query", q.lastError());
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    if (!q.exec())
        return dbError<RecoveryRows>("cannot read messages to resume", q.lastError());
    QList<StoredMessage> newestFirst;
    while (q.next())
        newestFirst.append(readRow(q));
    rows.messages = QList<StoredMessage>(newestFirst.crbegin(), newestFirst.crend());
    return rows;
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
