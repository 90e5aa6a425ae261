#pragma once
// Who owns an SQLite database file: a running server holds `<database>.lock` (QLockFile: the
// holder's pid and host, taken over when that process is gone), and `restore` takes the same
// lock, so a database is never replaced under a running server and no server starts on one
// that is half restored.

#include <QLockFile>
#include <QString>

namespace mythos {

class DatabaseLock
{
public:
    explicit DatabaseLock(const QString &databasePath);

    // False, with a message naming the holder, when another live process holds the lock.
    bool acquire(QString *error);
    const QString &path() const { return m_path; }

    static QString lockPathFor(const QString &databasePath);

private:
    QString m_path;
    QLockFile m_lock;
};

} // namespace mythos
