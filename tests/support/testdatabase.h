#pragma once
// Databases for storage tests: a fresh SQLite file, or a fresh database in the throwaway
// PostgreSQL that scripts/with-postgres.sh starts (MYTHOS_TEST_PG_URL).

#include "storage/sqlstorage.h"

#include <QTemporaryDir>

#include <memory>

namespace mythos::test {

class TestDatabase
{
public:
    explicit TestDatabase(const QString &backend); // "sqlite" or "postgresql"
    ~TestDatabase();
    bool isAvailable() const { return !m_url.isEmpty(); }
    QString skipReason() const { return m_skipReason; }
    QString url() const { return m_url; } // as database.url
    std::unique_ptr<SqlStorage> storage() const;
    // Runs raw SQL outside the storage class (to build old schemas and odd rows).
    bool execRaw(const QStringList &statements, QString *error = nullptr) const;

private:
    QTemporaryDir m_dir;
    QString m_backend;
    QString m_url;
    QString m_adminUrl;
    QString m_databaseName;
    QString m_skipReason;
};

// In CI the PostgreSQL suites must run, not skip.
bool postgresRequired();
// The `backend` column of a storage test's data: a row per backend.
void addBackendRows();

} // namespace mythos::test

// In a data-driven storage test (a `backend` column): the database, or a skip (a failure when
// PostgreSQL is required).
#define OPEN_DATABASE(db)                                                                                              \
    QFETCH(QString, backend);                                                                                          \
    TestDatabase db(backend);                                                                                          \
    if (!db.isAvailable()) {                                                                                           \
        if (postgresRequired())                                                                                        \
            QFAIL(qPrintable(db.skipReason()));                                                                        \
        QSKIP(qPrintable(db.skipReason()));                                                                            \
    }
