#pragma once
// `mythos-chatd backup FILE` and `restore FILE` for the embedded SQLite database
// (docs/operations.md). A backup is SQLite's own online copy (VACUUM INTO): one read
// transaction, so the copy is a consistent moment of a database a running server keeps writing,
// and the server is never stopped or slowed beyond sharing the disk. A restore refuses a file
// that is not a sound Mythos database or whose schema is newer than this server, refuses while a
// server holds the database, and keeps the database it replaces beside it: nothing is lost.

#include "util/result.h"

#include <QString>

namespace mythos {

// What a database file holds, read by its own integrity check.
struct SqliteDatabaseInfo
{
    int schemaVersion = 0;
    qint64 messages = 0;
    qint64 mutes = 0;
    qint64 bytes = 0;
};

// Opens `path` read-only: fails unless it is an SQLite file that passes `PRAGMA
// integrity_check` and carries a Mythos schema.
Result<SqliteDatabaseInfo> inspectSqliteDatabase(const QString &path);

// Copies the live database at `databasePath` to `target`, which must not exist yet; the copy
// appears under its name only once it is complete and checked.
Result<SqliteDatabaseInfo> backupSqliteDatabase(const QString &databasePath, const QString &target);

struct RestoreOutcome
{
    SqliteDatabaseInfo restored;
    QString previousKeptAs; // empty when there was no database to replace
};

// Puts `backupFile` in place of the database at `databasePath` (server stopped).
Result<RestoreOutcome> restoreSqliteDatabase(const QString &backupFile, const QString &databasePath);

} // namespace mythos
