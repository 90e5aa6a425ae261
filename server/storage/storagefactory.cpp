#include "storage/storagefactory.h"

#include "storage/postgresstorage.h"
#include "storage/sqlitestorage.h"

namespace mythos {

namespace {
const QLatin1String kSqlitePrefix("sqlite:");
} // namespace

QString sqlitePath(const QString &databaseUrl)
{
    return databaseUrl.startsWith(kSqlitePrefix) ? databaseUrl.mid(kSqlitePrefix.size()) : QString();
}

std::unique_ptr<SqlStorage> createStorage(const QString &databaseUrl)
{
    if (databaseUrl.startsWith(kSqlitePrefix))
        return std::make_unique<SqliteStorage>(sqlitePath(databaseUrl));
    return std::make_unique<PostgresStorage>(databaseUrl);
}

} // namespace mythos
