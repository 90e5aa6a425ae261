#pragma once
// The embedded default: one SQLite file per instance in WAL mode. Committed batches survive a
// killed process (synchronous=NORMAL); readers do not block the writer.

#include "storage/sqlstorage.h"

namespace mythos {

class SqliteStorage : public SqlStorage
{
public:
    explicit SqliteStorage(QString path);
    bool isShared() const override { return false; }
    QString describe() const override { return QStringLiteral("sqlite:") + m_path; }

protected:
    QSqlDatabase createConnection(const QString &connectionName) override;
    Result<bool> prepareSession() override;

private:
    QString m_path;
};

} // namespace mythos
