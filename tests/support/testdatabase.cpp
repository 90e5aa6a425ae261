#include "testdatabase.h"

#include "storage/postgresstorage.h"
#include "storage/sqlitestorage.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>
#include <QUuid>

namespace mythos::test {

namespace {
bool runOn(const QString &url, const QStringList &statements, QString *error)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db;
        if (url.startsWith(QLatin1String("sqlite:"))) {
            db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(url.mid(7));
        } else {
            const QUrl u(url);
            db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(u.host());
            db.setPort(u.port(5432));
            db.setUserName(u.userName());
            db.setDatabaseName(u.path().mid(1));
        }
        if (!db.open()) {
            if (error)
                *error = db.lastError().text();
            ok = false;
        }
        for (const QString &s : statements) {
            QSqlQuery q(db);
            if (ok && !q.exec(s)) {
                if (error)
                    *error = q.lastError().text() + QStringLiteral(" [") + s + QLatin1Char(']');
                ok = false;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}
} // namespace

void addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

bool postgresRequired()
{
    return qEnvironmentVariable("CI") == QLatin1String("true") || qEnvironmentVariableIsSet("MYTHOS_REQUIRE_PG");
}

TestDatabase::TestDatabase(const QString &backend) : m_backend(backend)
{
    if (backend == QLatin1String("sqlite")) {
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("chat.db"));
        return;
    }
    m_adminUrl = qEnvironmentVariable("MYTHOS_TEST_PG_URL");
    if (m_adminUrl.isEmpty()) {
        m_skipReason = QStringLiteral("MYTHOS_TEST_PG_URL is not set (run through scripts/with-postgres.sh)");
        return;
    }
    m_databaseName = QStringLiteral("mythos_test_%1").arg(QRandomGenerator::global()->generate());
    QString error;
    if (!runOn(m_adminUrl, { QStringLiteral("CREATE DATABASE ") + m_databaseName }, &error)) {
        m_skipReason = QStringLiteral("cannot create a test database: ") + error;
        return;
    }
    QUrl u(m_adminUrl);
    u.setPath(QLatin1Char('/') + m_databaseName);
    m_url = u.toString();
}

TestDatabase::~TestDatabase()
{
    if (!m_databaseName.isEmpty())
        runOn(m_adminUrl, { QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_databaseName) }, nullptr);
}

std::unique_ptr<SqlStorage> TestDatabase::storage() const
{
    if (m_backend == QLatin1String("sqlite"))
        return std::make_unique<SqliteStorage>(m_url.mid(7));
    return std::make_unique<PostgresStorage>(m_url);
}

bool TestDatabase::execRaw(const QStringList &statements, QString *error) const
{
    return runOn(m_url, statements, error);
}

} // namespace mythos::test
