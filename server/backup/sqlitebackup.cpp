#include "backup/sqlitebackup.h"

#include "backup/databaselock.h"
#include "storage/sqlstorage.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace mythos {

namespace {

// One short-lived connection of its own, removed again however the caller leaves.
class Connection
{
public:
    Connection(const QString &path, bool readOnly) : m_name(QStringLiteral("backup-") + QUuid::createUuid().toString())
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        // A busy server commits in small batches; wait for one rather than fail.
        m_db.setConnectOptions(readOnly ? QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000")
                                        : QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    }
    ~Connection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

// SQLite's own words ("file is not a database"), without Qt's "Unable to execute statement".
QString sqlError(const QSqlError &e)
{
    return (e.databaseText().isEmpty() ? e.text() : e.databaseText()).trimmed();
}

Result<qint64> countRows(QSqlDatabase &db, const QString &table)
{
    if (!db.tables().contains(table))
        return qint64(0);
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) || !q.next())
        return Result<qint64>::failure(QStringLiteral("cannot count %1: %2").arg(table, sqlError(q.lastError())));
    return q.value(0).toLongLong();
}

// The name a replaced database keeps: chat.db.before-restore-20261207T081500.
QString asideName(const QString &databasePath)
{
    return databasePath + QStringLiteral(".before-restore-")
            + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss"));
}

// SQLite keeps recent commits in <db>-wal (and its index in <db>-shm): they move with the file.
const QStringList kCompanions { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") };

} // namespace

Result<SqliteDatabaseInfo> inspectSqliteDatabase(const QString &path)
{
    using R = Result<SqliteDatabaseInfo>;
    const QFileInfo file(path);
    if (!file.isFile())
        return R::failure(QStringLiteral("%1: no such file").arg(path));
    SqliteDatabaseInfo info;
    info.bytes = file.size();
    Connection c(path, true);
    if (!c.db().open())
        return R::failure(QStringLiteral("%1: cannot open: %2").arg(path, sqlError(c.db().lastError())));
    QSqlQuery check(c.db());
    if (!check.exec(QStringLiteral("PRAGMA integrity_check")))
        return R::failure(
                QStringLiteral("%1: not a readable SQLite database (%2)").arg(path, sqlError(check.lastError())));
    QStringList problems;
    while (check.next())
        problems.append(check.value(0).toString());
    if (problems != QStringList { QStringLiteral("ok") })
        return R::failure(QStringLiteral("%1: damaged: %2").arg(path, problems.mid(0, 3).join(QStringLiteral("; "))));
    if (!c.db().tables().contains(QStringLiteral("mythos_schema")))
        return R::failure(QStringLiteral("%1: not a Mythos Chat database (no mythos_schema table)").arg(path));
    QSqlQuery version(c.db());
    if (!version.exec(QStringLiteral("SELECT MAX(version) FROM mythos_schema")) || !version.next())
        return R::failure(
                QStringLiteral("%1: cannot read the schema version: %2").arg(path, sqlError(version.lastError())));
    info.schemaVersion = version.value(0).toInt();
    const auto messages = countRows(c.db(), QStringLiteral("chat_messages"));
    const auto mutes = countRows(c.db(), QStringLiteral("chat_mutes"));
    if (!messages || !mutes)
        return R::failure(path + QStringLiteral(": ") + (messages ? mutes.error() : messages.error()));
    info.messages = messages.value();
    info.mutes = mutes.value();
    return info;
}

Result<SqliteDatabaseInfo> backupSqliteDatabase(const QString &databasePath, const QString &target)
{
    using R = Result<SqliteDatabaseInfo>;
    if (!QFileInfo(databasePath).isFile())
        return R::failure(
                QStringLiteral("no database at %1 (has the server run with this configuration?)").arg(databasePath));
    if (QFileInfo::exists(target))
        return R::failure(QStringLiteral("%1 exists already; name a new file").arg(target));
    const QString targetDir = QFileInfo(target).absolutePath();
    if (!QDir().mkpath(targetDir))
        return R::failure(QStringLiteral("cannot create the folder %1").arg(targetDir));
    // Written under a temporary name: an interrupted backup never looks like a finished one.
    const QString partial = target + QStringLiteral(".partial");
    QFile::remove(partial);
    {
        Connection c(databasePath, false);
        if (!c.db().open())
            return R::failure(QStringLiteral("cannot open %1: %2").arg(databasePath, sqlError(c.db().lastError())));
        QSqlQuery q(c.db());
        q.prepare(QStringLiteral("VACUUM INTO ?"));
        q.addBindValue(partial);
        if (!q.exec()) {
            QFile::remove(partial);
            return R::failure(QStringLiteral("backup of %1 failed: %2").arg(databasePath, sqlError(q.lastError())));
        }
    }
    auto info = inspectSqliteDatabase(partial);
    if (!info) {
        QFile::remove(partial);
        return R::failure(QStringLiteral("the copy failed its check: ") + info.error());
    }
    if (!QFile::rename(partial, target)) {
        QFile::remove(partial);
        return R::failure(QStringLiteral("cannot move the finished copy to %1").arg(target));
    }
    return info;
}

Result<RestoreOutcome> restoreSqliteDatabase(const QString &backupFile, const QString &databasePath)
{
    using R = Result<RestoreOutcome>;
    const auto info = inspectSqliteDatabase(backupFile);
    if (!info)
        return R::failure(QStringLiteral("refusing to restore: ") + info.error());
    const int known = SqlStorage::latestSchemaVersion();
    if (info.value().schemaVersion > known)
        return R::failure(QStringLiteral("refusing to restore: %1 has schema version %2, newer than this server "
                                         "knows (%3); restore it with the version that wrote it")
                                  .arg(backupFile)
                                  .arg(info.value().schemaVersion)
                                  .arg(known));
    DatabaseLock lock(databasePath);
    QString lockError;
    if (!lock.acquire(&lockError))
        return R::failure(
                QStringLiteral("refusing to restore while the server runs: %1; stop it first").arg(lockError));

    const QString dir = QFileInfo(databasePath).absolutePath();
    if (!QDir().mkpath(dir))
        return R::failure(QStringLiteral("cannot create the folder %1").arg(dir));
    const QString incoming = databasePath + QStringLiteral(".restoring");
    QFile::remove(incoming);
    if (!QFile::copy(backupFile, incoming))
        return R::failure(QStringLiteral("cannot copy %1 to %2").arg(backupFile, incoming));

    RestoreOutcome outcome { info.value(), {} };
    if (QFileInfo::exists(databasePath)) {
        outcome.previousKeptAs = asideName(databasePath);
        QStringList moved;
        for (const QString &suffix : kCompanions) {
            if (!QFileInfo::exists(databasePath + suffix))
                continue;
            if (!QFile::rename(databasePath + suffix, outcome.previousKeptAs + suffix)) {
                for (const QString &back : std::as_const(moved)) // put the set back together
                    QFile::rename(outcome.previousKeptAs + back, databasePath + back);
                QFile::remove(incoming);
                return R::failure(QStringLiteral("cannot move %1 aside to %2; nothing was replaced")
                                          .arg(databasePath + suffix, outcome.previousKeptAs + suffix));
            }
            moved.append(suffix);
        }
    }
    if (!QFile::rename(incoming, databasePath))
        return R::failure(QStringLiteral("cannot put %1 in place of %2 (the previous database is kept as %3)")
                                  .arg(incoming, databasePath, outcome.previousKeptAs));
    return outcome;
}

} // namespace mythos
