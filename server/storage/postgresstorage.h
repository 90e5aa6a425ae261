#pragma once
// PostgreSQL, for several instances sharing one history: `postgresql://user:pass@host:port/db`.

#include "storage/sqlstorage.h"

#include <QUrl>

namespace mythos {

class PostgresStorage : public SqlStorage
{
public:
    explicit PostgresStorage(const QString &url);
    bool isShared() const override { return true; }
    QString describe() const override;

protected:
    QSqlDatabase createConnection(const QString &connectionName) override;

private:
    QUrl m_url;
};

} // namespace mythos
