// `mythos-chatd import mythosmud` as an operator runs it, on the fixtures in tests/data/mythosmud:
// the report, what lands in a fresh SQLite database and the moderation trail, that a second run
// and a dry run change nothing, that bad files are rejected whole and named by file:line, and
// that a server started on the imported database serves the imported history and mutes.
#include "mythosmudfixtures.h"
#include "processrun.h"
#include "testclient.h"
#include "testserver.h"

#include "moderation/muteservice.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace mythos;
using namespace mythos::test::mythosmud;
using namespace mythos::test;

namespace {

// Retention long enough for the fixtures' 2026 records and too short for their 2001 ones, on
// whatever day the suite runs.
int retentionDays()
{
    return static_cast<int>(QDate(2020, 1, 1).daysTo(QDate::currentDate()));
}

// Rows of a query, each row's columns joined by '|'.
QStringList rows(const QString &dbFile, const QString &statement)
{
    QStringList out;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbFile);
        if (!db.open())
            return { QStringLiteral("cannot open ") + dbFile };
        QSqlQuery q(db);
        if (!q.exec(statement))
            return { QStringLiteral("query failed: ") + statement };
        while (q.next()) {
            QStringList columns;
            for (int i = 0; i < q.record().count(); ++i)
                columns.append(q.value(i).toString());
            out.append(columns.join(QLatin1Char('|')));
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One deployment's target: configuration file, database and audit folder.
struct Target
{
    QTemporaryDir dir;
    QString config;
    QString db() const { return dir.filePath(QStringLiteral("chatd/chat.db")); }
    QString logs() const { return dir.filePath(QStringLiteral("chatd/logs")); }
    QString moderationFile(const QString &day) const
    {
        return QStringLiteral("%1/moderation/moderation_%2.jsonl").arg(logs(), day);
    }
    Target()
    {
        config = dir.filePath(QStringLiteral("config.yaml"));
        QFile f(config);
        f.open(QIODevice::WriteOnly);
        f.write(QStringLiteral("server:\n  data_dir: %1\ndatabase:\n  url: sqlite:%2\nlogging:\n  dir: %3\n"
                               "  retention_days: %4\nchat:\n  message_history:\n    retention_days: %4\n"
                               "nats:\n  enabled: false\n")
                        .arg(dir.filePath(QStringLiteral("chatd")), db(), logs())
                        .arg(retentionDays())
                        .toUtf8());
    }
    ProcessResult import(const QString &set, const QStringList &extra = {}) const
    {
        return runProcess(qEnvironmentVariable("MYTHOS_CHATD"),
                          QStringList { QStringLiteral("--config"), config, QStringLiteral("import"),
                                        QStringLiteral("mythosmud"), QStringLiteral("--data"),
                                        fixture(set, QStringLiteral("data")), QStringLiteral("--logs"),
                                        fixture(set, QStringLiteral("logs")) }
                                  + extra,
                          60000);
    }
    // Everything an import writes, to compare two runs.
    QStringList snapshot() const
    {
        return rows(db(), QStringLiteral("SELECT * FROM chat_messages ORDER BY id"))
                + rows(db(), QStringLiteral("SELECT * FROM chat_mutes ORDER BY id"))
                + rows(db(), QStringLiteral("SELECT * FROM players ORDER BY id"))
                + QString::fromUtf8(readFile(moderationFile(QStringLiteral("2026-12-01")))).split(QLatin1Char('\n'));
    }
};

QStringList jsonLines(const QByteArray &bytes)
{
    QStringList events;
    for (const QByteArray &line : bytes.split('\n')) {
        if (!line.isEmpty())
            events.append(QJsonDocument::fromJson(line).object().value(QLatin1String("event")).toString());
    }
    return events;
}
} // namespace

class TestImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void dryRunWritesNothing();
    void importsHistoryMutesAndTheModerationLog();
    void secondRunChangesNothing();
    void serverServesWhatWasImported();
    void badFilesAreRejectedWholeWithFileAndLine();
    void badArguments();

private:
    Target m_target; // the deployment's, shared by the suite's steps in order
};

void TestImport::initTestCase()
{
    QVERIFY(!qEnvironmentVariable("MYTHOS_CHATD").isEmpty());
    QVERIFY(QFileInfo::exists(fixture(QStringLiteral("deployment"), QStringLiteral("logs"))));
    QVERIFY(m_target.dir.isValid());
}

void TestImport::dryRunWritesNothing()
{
    const ProcessResult r = m_target.import(QStringLiteral("deployment"), { QStringLiteral("--dry-run") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.startsWith(QLatin1String("MythosMUD import - dry run: nothing was written")), r.out.constData());
    QVERIFY2(out.contains(QLatin1String("history: 8 imported, 0 already present, 3 skipped")), r.out.constData());
    QVERIFY2(out.contains(QLatin1String("moderation log: 5 imported, 0 already present, 3 skipped")),
             r.out.constData());
    QVERIFY(!QFileInfo::exists(m_target.db()));
    QVERIFY(!QFileInfo::exists(m_target.logs()));
}

void TestImport::importsHistoryMutesAndTheModerationLog()
{
    const ProcessResult r = m_target.import(QStringLiteral("deployment"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    for (const char *line :
         { "history: 8 imported, 0 already present, 3 skipped",
           "  skipped 1: channel 'pose' is not configured here (chat_chat_2026-12-01.log:7)",
           "personal mutes: 3 imported, 0 already present, 2 skipped",
           "  skipped 1: expired (mutes_11111111-1111-4111-8111-111111111111.json:",
           "server mutes: 2 imported, 0 already present, 3 skipped",
           "moderation log: 5 imported, 0 already present, 3 skipped", "files: 11 read, 0 rejected, 2 left out",
           "  left out mutes_Alice.json: named by a player name, not a uuid", "result: ok" })
        QVERIFY2(out.contains(QLatin1String(line)),
                 qPrintable(QStringLiteral("%1\n--- in ---\n%2").arg(QLatin1String(line), out)));

    // History: once per message_id, in the scope our history reads it by.
    const QString db = m_target.db();
    QCOMPARE(rows(db, QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT id) FROM chat_messages")),
             QStringList { QStringLiteral("8|8") });
    QCOMPARE(rows(db,
                  QStringLiteral("SELECT channel, scope_id, sender_id, content FROM chat_messages WHERE channel "
                                 "IN ('say', 'local', 'party', 'global') ORDER BY id")),
             (QStringList { QStringLiteral("say|%1|%2|Hello, foyer.").arg(kFoyer, kAlice),
                            QStringLiteral("local|earth_arkhamcity_sanitarium|%1|Anyone in the sanitarium?").arg(kBob),
                            QStringLiteral("global||%1|Greetings, Arkham!").arg(kCarol),
                            QStringLiteral("party|party_7|%1|to the library").arg(kAlice) }));
    QCOMPARE(rows(db,
                  QStringLiteral("SELECT sender_id, target_id, target_name, scope_id FROM chat_messages WHERE "
                                 "channel = 'whisper' ORDER BY id")),
             (QStringList { QStringLiteral("%1|%2|Bob|%2").arg(kAlice, kBob),
                            QStringLiteral("%1|%2|Alice|%2").arg(kBob, kAlice) }));
    QCOMPARE(rows(db, QStringLiteral("SELECT timestamp, origin FROM chat_messages WHERE content = 'Hello, foyer.'")),
             QStringList { QStringLiteral("2026-12-01T19:00:00.123Z|mythosmud-import") });
    QVERIFY(rows(db, QStringLiteral("SELECT id FROM chat_messages WHERE content = 'An old line.'")).isEmpty());

    // Mutes: personal ones as their owners set them, global ones as server mutes of the target.
    QCOMPARE(rows(db,
                  QStringLiteral("SELECT scope, player_id, target_type, target_id, muted_until FROM chat_mutes "
                                 "ORDER BY scope, player_id, target_type")),
             (QStringList { QStringLiteral("personal|%1|channel|global|2099-01-01T00:00:00.000Z").arg(kAlice),
                            QStringLiteral("personal|%1|player|%2|").arg(kAlice, kBob),
                            QStringLiteral("personal|%1|player|%2|2099-06-01T00:00:00.000Z").arg(kBob, kAlice),
                            QStringLiteral("server|%1|player|%1|2099-01-01T00:00:00.000Z").arg(kCarol),
                            QStringLiteral("server|%1|player|%1|2099-02-01T00:00:00.000Z").arg(kMallory) }));

    // The moderation trail: the day's file, in MythosMUD's order, stamped with the original times.
    const QByteArray trail = readFile(m_target.moderationFile(QStringLiteral("2026-12-01")));
    QCOMPARE(jsonLines(trail),
             (QStringList { QStringLiteral("mute"), QStringLiteral("mute"), QStringLiteral("mute"),
                            QStringLiteral("unmute"), QStringLiteral("rate_limited") }));
    const QJsonObject first = QJsonDocument::fromJson(trail.split('\n').value(0)).object();
    QCOMPARE(first.value(QLatin1String("ts")).toString(), QStringLiteral("2026-12-01T20:00:00.000Z"));
    QCOMPARE(first.value(QLatin1String("category")).toString(), QStringLiteral("moderation"));
    QCOMPARE(first.value(QLatin1String("actor")).toString(), kAlice);
    QCOMPARE(first.value(QLatin1String("target_id")).toString(), kBob);
    QCOMPARE(first.value(QLatin1String("source")).toString(), QStringLiteral("chat_moderation_2026-12-01.log:1"));
    QVERIFY(!QFileInfo::exists(m_target.moderationFile(QStringLiteral("2001-01-01"))));
}

void TestImport::secondRunChangesNothing()
{
    const QStringList before = m_target.snapshot();
    QVERIFY(before.size() > 15);
    const ProcessResult r = m_target.import(QStringLiteral("deployment"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    for (const char *line : { "history: 0 imported, 8 already present, 3 skipped",
                              "personal mutes: 0 imported, 3 already present, 2 skipped",
                              "server mutes: 0 imported, 2 already present, 3 skipped",
                              "moderation log: 0 imported, 5 already present, 3 skipped" })
        QVERIFY2(r.out.contains(line), r.out.constData());
    QCOMPARE(m_target.snapshot(), before);
    // A dry run against the imported database says the same.
    const ProcessResult dry = m_target.import(QStringLiteral("deployment"), { QStringLiteral("--dry-run") });
    QVERIFY2(dry.out.contains("history: 0 imported, 8 already present"), dry.out.constData());
    QCOMPARE(m_target.snapshot(), before);
}

void TestImport::serverServesWhatWasImported()
{
    Config config = testConfig();
    config.database.url = QStringLiteral("sqlite:") + m_target.db();
    config.logging.dir = m_target.logs();
    config.history.retentionDays = retentionDays();
    TestServer server(config);
    QVERIFY(server.start());

    TestClient alice;
    QVERIFY(alice.open(server.port()));
    QVERIFY(!alice.authToken(tokenFor(kAlice, QStringLiteral("Alice"), QStringLiteral("player"), kFoyer)).isEmpty());
    auto history = [&](const QString &channel) {
        const QJsonObject reply = alice.request(
                { { QStringLiteral("type"), QStringLiteral("history") }, { QStringLiteral("channel"), channel } });
        QStringList lines;
        for (const QJsonValue &m : eventData(reply).value(QLatin1String("messages")).toArray())
            lines.append(m.toObject().value(QLatin1String("message")).toString());
        return lines;
    };
    QCOMPARE(history(QStringLiteral("say")), QStringList { QStringLiteral("Alice says: Hello, foyer.") });
    QCOMPARE(history(QStringLiteral("local")),
             QStringList { QStringLiteral("Bob (local): Anyone in the sanitarium?") });
    QCOMPARE(history(QStringLiteral("whisper")).size(), 2);
    QCOMPARE(history(QStringLiteral("system")), QStringList { QStringLiteral("[SYSTEM] The library closes at dusk.") });

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const MuteRegistry &mutes = server.app().mutes()->registry();
    QVERIFY(mutes.serverMute(kMallory, QStringLiteral("say"), now).has_value());
    QVERIFY(mutes.serverMute(kCarol, QStringLiteral("global"), now).has_value());
    QVERIFY(!mutes.serverMute(kAlice, QStringLiteral("say"), now).has_value());
    QVERIFY(mutes.hides(kAlice, kBob, QStringLiteral("say"), now));
    QVERIFY(mutes.hides(kAlice, kCarol, QStringLiteral("global"), now)); // Alice muted the channel
    QVERIFY(!mutes.hides(kBob, kCarol, QStringLiteral("say"), now));
}

void TestImport::badFilesAreRejectedWholeWithFileAndLine()
{
    Target target;
    const ProcessResult r = target.import(QStringLiteral("broken"));
    QVERIFY2(r.exitCode == 2, r.out.constData());
    const QString out = QString::fromUtf8(r.out);
    for (const char *line :
         { "  rejected chat_chat_2026-12-02.log:3: invalid JSON",
           "  rejected chat_global_2026-12-02.log:2: unknown field 'colour' - nothing of this file was imported",
           "  rejected chat_moderation_2026-12-02.log:2: missing field 'timestamp'",
           "  rejected mutes_33333333-3333-4333-8333-333333333333.json:13: unknown field 'severity'",
           "  rejected mutes_55555555-5555-4555-8555-555555555555.json:9: invalid JSON",
           "files: 7 read, 5 rejected, 0 left out", "result: 5 file(s) rejected" })
        QVERIFY2(out.contains(QLatin1String(line)),
                 qPrintable(QStringLiteral("%1\n--- in ---\n%2").arg(QLatin1String(line), out)));

    // The good files are in; of the bad ones, not even their good lines.
    QCOMPARE(rows(target.db(), QStringLiteral("SELECT content FROM chat_messages ORDER BY id")),
             QStringList { QStringLiteral("a good day") });
    QCOMPARE(rows(target.db(), QStringLiteral("SELECT scope, player_id, target_id FROM chat_mutes")),
             QStringList { QStringLiteral("personal|%1|%2").arg(kAlice, kBob) });
    QVERIFY(!QFileInfo::exists(target.moderationFile(QStringLiteral("2026-12-02"))));
}

void TestImport::badArguments()
{
    Target target;
    const QString chatd = qEnvironmentVariable("MYTHOS_CHATD");
    const ProcessResult noLogs = runProcess(chatd,
                                            { QStringLiteral("--config"), target.config, QStringLiteral("import"),
                                              QStringLiteral("mythosmud"), QStringLiteral("--data"),
                                              fixture(QStringLiteral("deployment"), QStringLiteral("data")) });
    QCOMPARE(noLogs.exitCode, 1);
    QVERIFY2(noLogs.err.contains("--data DIR and --logs DIR are required"), noLogs.err.constData());
    const ProcessResult missing = runProcess(chatd,
                                             { QStringLiteral("--config"), target.config, QStringLiteral("import"),
                                               QStringLiteral("mythosmud"), QStringLiteral("--data"),
                                               target.dir.filePath(QStringLiteral("nowhere")), QStringLiteral("--logs"),
                                               target.dir.filePath(QStringLiteral("nowhere")) });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("is not a folder"), missing.err.constData());
    const ProcessResult other = runProcess(chatd, { QStringLiteral("import"), QStringLiteral("ircd") });
    QCOMPARE(other.exitCode, 1);
    QVERIFY2(other.err.contains("unknown command 'import ircd'"), other.err.constData());
    QVERIFY(!QFileInfo::exists(target.db()));
}

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
