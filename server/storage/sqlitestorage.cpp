#include "storage/sqlitestorage.h"

#include <QDir>
#include <QFileInfo>

namespace mythos {

SqliteStorage::SqliteStorage(QString path) : SqlStorage(QStringLiteral("sqlite")), m_path(std::move(path))
{
}

QSqlDatabase SqliteStorage::createConnection(const QString &connectionName)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    return db;
}

Result<bool> SqliteStorage::prepareSession()
{
    // Foreign keys stay off (SQLite's default): with one database per instance, a mute relayed
    // from another instance may name players this one has never seen.
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL" }) {
        if (auto ok = exec(QString::fromLatin1(pragma)); !ok)
            return ok;
    }
    return true;
}

} // namespace mythos
