#include "backup/databaselock.h"

#include <QDir>
#include <QFileInfo>

namespace mythos {

QString DatabaseLock::lockPathFor(const QString &databasePath)
{
    return QFileInfo(databasePath).absoluteFilePath() + QStringLiteral(".lock");
}

DatabaseLock::DatabaseLock(const QString &databasePath) : m_path(lockPathFor(databasePath)), m_lock(m_path)
{
    // A lock is stale only when its process is gone, however long a server has been running.
    m_lock.setStaleLockTime(0);
}

bool DatabaseLock::acquire(QString *error)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    if (m_lock.tryLock(0))
        return true;
    qint64 pid = 0;
    QString host;
    QString app;
    switch (m_lock.error()) {
    case QLockFile::LockFailedError:
        m_lock.getLockInfo(&pid, &host, &app);
        *error = QStringLiteral("the database is in use: %1 (pid %2 on %3) holds %4")
                         .arg(app.isEmpty() ? QStringLiteral("another process") : app)
                         .arg(pid)
                         .arg(host.isEmpty() ? QStringLiteral("this host") : host, m_path);
        break;
    case QLockFile::PermissionError: *error = QStringLiteral("cannot create %1: permission denied").arg(m_path); break;
    default: *error = QStringLiteral("cannot create %1").arg(m_path); break;
    }
    return false;
}

} // namespace mythos
