#pragma once
// The SqlStorage a `database.url` names: `sqlite:<path>` or `postgresql://…`. Shared by the
// server and the offline commands (import), so both open the same database the same way.

#include "storage/sqlstorage.h"

#include <memory>

namespace mythos {

std::unique_ptr<SqlStorage> createStorage(const QString &databaseUrl);
// The file of a `sqlite:` URL; empty for any other backend.
QString sqlitePath(const QString &databaseUrl);

} // namespace mythos
