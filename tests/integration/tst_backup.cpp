// `mythos-chatd backup` and `restore` as an operator runs them against the real binary: backups
// taken while players keep chatting hold every message acknowledged before they began and
// nothing that was never acknowledged; a restore brings exactly that back, keeps the database it
// replaces, and is refused while the server runs, for a newer schema and for damaged files; a
// second server is refused on a database one already holds.
#include "natsserver.h"
#include "processrun.h"
#include "testclient.h"
#include "testserver.h"

#include "storage/sqlstorage.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kRoom = QStringLiteral("earth_arkham_library");

// The message ids a database file holds.
QSet<QString> storedIds(const QString &dbFile)
{
    QSet<QString> ids;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbFile);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(QStringLiteral("SELECT id FROM chat_messages"));
            while (q.next())
                ids.insert(q.value(0).toString());
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ids;
}

bool execOn(const QString &dbFile, const QString &statement)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbFile);
        ok = db.open() && QSqlQuery(db).exec(statement);
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QByteArray digest(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                       : QByteArray();
}

// One acknowledged message: its id and when the ack arrived.
struct Acked
{
    QString id;
    qint64 atMs;
};
} // namespace

class TestBackup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void backupsWhileChattingAreConsistent();
    void secondServerIsRefused();
    void restoreIsRefusedWhileTheServerRuns();
    void restoreBringsTheBackupBackAndKeepsThePrevious();
    void restoreRefusesANewerSchema();
    void restoreRefusesDamagedFiles();
    void badArguments();
    void cleanupTestCase();

private:
    ProcessResult chatd(const QStringList &args, const QString &config = {}) const;
    bool startServer();
    bool stopServer();
    QString db() const { return m_dir.filePath(QStringLiteral("data/chat.db")); }

    QTemporaryDir m_dir;
    QString m_config;
    quint16 m_port = 0;
    QProcess m_server;
    QList<Acked> m_acked;
    QStringList m_backups; // taken during traffic, oldest first
    QList<qint64> m_backupStartedMs;
    QElapsedTimer m_clock;
};

ProcessResult TestBackup::chatd(const QStringList &args, const QString &config) const
{
    return runProcess(qEnvironmentVariable("MYTHOS_CHATD"),
                      QStringList { QStringLiteral("--config"), config.isEmpty() ? m_config : config } + args, 60000);
}

void TestBackup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_port = freeLoopbackPort();
    m_config = m_dir.filePath(QStringLiteral("config.yaml"));
    QFile f(m_config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("server:\n  port: %1\n  server_id: backup-test\n  data_dir: \"%2\"\n"
                           "auth:\n  jwt_secret: \"%3\"\nnats:\n  enabled: false\n"
                           "database:\n  url: \"sqlite:%4\"\n"
                           "chat:\n  rate_limiting:\n    enabled: false\n"
                           "  message_history:\n    max_messages_per_channel: 1000000\n")
                    .arg(m_port)
                    .arg(m_dir.filePath(QStringLiteral("data")), QString::fromUtf8(kTestSecret), db())
                    .toUtf8());
    f.close();
    m_clock.start();
    QVERIFY(startServer());
}

bool TestBackup::startServer()
{
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), m_config });
    return m_server.waitForStarted(5000) && waitForPort(m_port, 15000);
}

bool TestBackup::stopServer()
{
    m_server.terminate();
    return m_server.waitForFinished(15000) && m_server.exitCode() == 0;
}

void TestBackup::cleanupTestCase()
{
    if (m_server.state() != QProcess::NotRunning)
        stopServer();
}

void TestBackup::backupsWhileChattingAreConsistent()
{
    TestClient player;
    QVERIFY(player.open(m_port));
    QVERIFY(!player.authToken(tokenFor(QStringLiteral("talker"), QStringLiteral("Talker"), QStringLiteral("player"),
                                       kRoom))
                     .isEmpty());
    // Some history first, so each copy has rows to carry while new ones keep arriving.
    int sent = 0;
    auto say = [&] {
        const QJsonObject ack = player.request(sendFrame(QStringLiteral("say"), QStringLiteral("line %1").arg(++sent)));
        if (ack.value(QStringLiteral("event_type")).toString() == QStringLiteral("ack"))
            m_acked.append({ eventField(ack, "message_id"), m_clock.elapsed() });
    };
    for (int i = 0; i < 300; ++i)
        say();
    QCOMPARE(m_acked.size(), 300);

    // Three backups, each while the player keeps talking (one line in flight at a time, so
    // an ack's arrival is after its commit: the server stores before it acknowledges).
    for (int b = 0; b < 3; ++b) {
        const QString target = m_dir.filePath(QStringLiteral("backups/chat-%1.db").arg(b));
        QProcess backup;
        m_backupStartedMs.append(m_clock.elapsed());
        backup.start(qEnvironmentVariable("MYTHOS_CHATD"),
                     { QStringLiteral("--config"), m_config, QStringLiteral("backup"), target });
        QVERIFY(backup.waitForStarted(5000));
        const qsizetype before = m_acked.size();
        while (backup.state() != QProcess::NotRunning) {
            say();
            backup.waitForFinished(0);
        }
        backup.waitForFinished(1000);
        QVERIFY2(backup.exitCode() == 0, backup.readAllStandardError().constData());
        QVERIFY2(m_acked.size() > before, "the server kept acknowledging while the backup ran");
        const QByteArray out = backup.readAllStandardOutput();
        QVERIFY2(out.startsWith("backup: ") && out.contains("schema version"), out.constData());
        m_backups.append(target);
        for (int i = 0; i < 20; ++i)
            say();
    }

    QSet<QString> everAcked;
    for (const Acked &a : std::as_const(m_acked))
        everAcked.insert(a.id);
    for (int b = 0; b < m_backups.size(); ++b) {
        const QSet<QString> inBackup = storedIds(m_backups[b]);
        for (const Acked &a : std::as_const(m_acked)) {
            if (a.atMs < m_backupStartedMs[b])
                QVERIFY2(inBackup.contains(a.id), qPrintable(QStringLiteral("backup %1 lacks %2").arg(b).arg(a.id)));
        }
        QVERIFY2(everAcked.contains(inBackup), "a backup holds only acknowledged messages");
        QVERIFY2(inBackup.size() < everAcked.size(), "later lines are not in an earlier backup");
        QVERIFY(!QFile::exists(m_backups[b] + QStringLiteral(".partial")));
    }
    // A backup never overwrites a file.
    const QByteArray first = digest(m_backups.first());
    const ProcessResult again = chatd({ QStringLiteral("backup"), m_backups.first() });
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("exists already"), again.err.constData());
    QCOMPARE(digest(m_backups.first()), first);
}

void TestBackup::secondServerIsRefused()
{
    const ProcessResult second =
            runProcess(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), m_config }, 30000);
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains("the database is in use") && second.err.contains("chat.db.lock"),
             second.err.constData());
    QCOMPARE(m_server.state(), QProcess::Running);
}

void TestBackup::restoreIsRefusedWhileTheServerRuns()
{
    const QSet<QString> before = storedIds(db());
    const ProcessResult r = chatd({ QStringLiteral("restore"), m_backups.first() });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("while the server runs") && r.err.contains("stop it first")
                     && r.err.contains(QByteArray::number(m_server.processId())),
             r.err.constData());
    QCOMPARE(storedIds(db()), before);
}

void TestBackup::restoreBringsTheBackupBackAndKeepsThePrevious()
{
    QVERIFY(stopServer());
    const QSet<QString> live = storedIds(db());
    QCOMPARE(live.size(), m_acked.size()); // every acknowledged line, nothing else

    const QString chosen = m_backups[1];
    const QSet<QString> inBackup = storedIds(chosen);
    const ProcessResult r = chatd({ QStringLiteral("restore"), chosen });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains(QStringLiteral("%1 messages").arg(inBackup.size()).toUtf8()), r.out.constData());
    QCOMPARE(storedIds(db()), inBackup);

    // Nothing is lost: the replaced database is kept beside it, whole.
    const int keptAt = r.out.indexOf("kept as ");
    QVERIFY2(keptAt > 0, r.out.constData());
    const QString kept = QString::fromUtf8(r.out.mid(keptAt + 8).trimmed());
    QCOMPARE(storedIds(kept), live);

    // A server starts on the restored database and serves its history.
    QVERIFY(startServer());
    TestClient reader;
    QVERIFY(reader.open(m_port));
    QVERIFY(!reader.authToken(tokenFor(QStringLiteral("reader"), QStringLiteral("Reader"), QStringLiteral("player"),
                                       kRoom))
                     .isEmpty());
    const QJsonObject history = reader.request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                 { QStringLiteral("channel"), QStringLiteral("say") },
                                                 { QStringLiteral("limit"), 200 } });
    const QJsonArray messages = eventData(history).value(QStringLiteral("messages")).toArray();
    QVERIFY(!messages.isEmpty());
    for (const QJsonValue &m : messages)
        QVERIFY(inBackup.contains(m.toObject().value(QStringLiteral("message_id")).toString()));
    QVERIFY(stopServer());
}

void TestBackup::restoreRefusesANewerSchema()
{
    const QString newer = m_dir.filePath(QStringLiteral("newer.db"));
    QVERIFY(QFile::copy(m_backups.first(), newer));
    const int future = SqlStorage::latestSchemaVersion() + 1;
    QVERIFY(execOn(newer, QStringLiteral("INSERT INTO mythos_schema (version) VALUES (%1)").arg(future)));
    const QByteArray current = digest(db());
    const ProcessResult r = chatd({ QStringLiteral("restore"), newer });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("schema version %1, newer than this server knows (%2)")
                                    .arg(future)
                                    .arg(SqlStorage::latestSchemaVersion())
                                    .toUtf8()),
             r.err.constData());
    QCOMPARE(digest(db()), current);
}

void TestBackup::restoreRefusesDamagedFiles()
{
    const QByteArray current = digest(db());
    QFile original(m_backups.first());
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray whole = original.readAll();
    QVERIFY(whole.size() > 16384);

    struct Case
    {
        const char *name;
        QByteArray bytes;
        const char *expected;
    };
    QByteArray flipped = whole; // a page in the middle overwritten
    for (int i = 0; i < 4096; ++i)
        flipped[whole.size() / 2 + i] = static_cast<char>(0xA5);
    const QList<Case> cases {
        { "truncated.db", whole.left(whole.size() / 2), "restore: refusing to restore" },
        { "garbage.db", QByteArray(8192, 'x'), "restore: refusing to restore" },
        { "overwritten.db", flipped, "restore: refusing to restore" },
        { "empty.db", QByteArray(), "not a Mythos Chat database" },
    };
    for (const Case &c : cases) {
        const QString path = m_dir.filePath(QString::fromLatin1(c.name));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(c.bytes);
        f.close();
        const ProcessResult r = chatd({ QStringLiteral("restore"), path });
        QVERIFY2(r.exitCode == 1, c.name);
        QVERIFY2(r.err.contains(c.expected),
                 qPrintable(QString::fromLatin1(c.name) + QStringLiteral(": ") + QString::fromUtf8(r.err)));
        QCOMPARE(digest(db()), current);
    }
    const ProcessResult missing = chatd({ QStringLiteral("restore"), m_dir.filePath(QStringLiteral("nope.db")) });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no such file"), missing.err.constData());
}

void TestBackup::badArguments()
{
    const ProcessResult noFile = chatd({ QStringLiteral("backup") });
    QCOMPARE(noFile.exitCode, 1);
    QVERIFY2(noFile.err.contains("backup needs a FILE"), noFile.err.constData());

    // PostgreSQL has its own tools; the message says which.
    const QString pgConfig = m_dir.filePath(QStringLiteral("pg.yaml"));
    QFile f(pgConfig);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("database:\n  url: \"postgresql://chat@127.0.0.1:1/chat\"\nnats:\n  enabled: false\n");
    f.close();
    for (const QString &command : { QStringLiteral("backup"), QStringLiteral("restore") }) {
        const ProcessResult r = chatd({ command, m_dir.filePath(QStringLiteral("x.db")) }, pgConfig);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not SQLite") && r.err.contains("pg_dump"), r.err.constData());
    }
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.db"))));
}

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
