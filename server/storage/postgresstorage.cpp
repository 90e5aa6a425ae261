#include "storage/postgresstorage.h"

namespace mythos {

PostgresStorage::PostgresStorage(const QString &url) : SqlStorage(QStringLiteral("postgresql")), m_url(url)
{
}

QString PostgresStorage::describe() const
{
    return m_url.toString(QUrl::RemovePassword);
}

QSqlDatabase PostgresStorage::createConnection(const QString &connectionName)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(m_url.host().isEmpty() ? QStringLiteral("127.0.0.1") : m_url.host());
    db.setPort(m_url.port(5432));
    db.setUserName(m_url.userName());
    db.setPassword(m_url.password());
    db.setDatabaseName(m_url.path().mid(1));
    db.setConnectOptions(QStringLiteral("connect_timeout=5"));
    return db;
}

} // namespace mythos
