#include "storage/sqlitestorage.h"

#include <QDir>
#include <QFileInfo>

namespace mythos {

SqliteStorage::SqliteStorage(QString path) : SqlStorage(QStringLiteral("sqlite")), m_path(std::move(path)) { }

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
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON" }) {
        if (auto ok = exec(QString::fromLatin1(pragma)); !ok)
            return ok;
    }
    return true;
}

} // namespace mythos
