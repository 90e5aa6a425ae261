#include "app/operatorcommands.h"

#include "audit/logexport.h"
#include "audit/logquery.h"
#include "backup/sqlitebackup.h"
#include "storage/storagefactory.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace mythos {

namespace {

void printErr(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

QString describe(const SqliteDatabaseInfo &info)
{
    return QStringLiteral("schema version %1, %2 messages, %3 mutes, %4 bytes")
            .arg(info.schemaVersion)
            .arg(info.messages)
            .arg(info.mutes)
            .arg(info.bytes);
}

// The SQLite file of the configuration, or a message saying why there is none to work on.
QString sqliteFileOf(const Config &config, const char *command, QString *error)
{
    const QString file = sqlitePath(config.database.url);
    if (file.isEmpty())
        *error = QStringLiteral("%1: the database is %2, not SQLite; for PostgreSQL use pg_dump and pg_restore "
                                "(docs/operations.md)")
                         .arg(QLatin1String(command), config.database.url.section(QLatin1Char(':'), 0, 0));
    return file;
}

} // namespace

void addLogQueryOptions(QCommandLineParser &p)
{
    p.addOption({ QStringLiteral("category"), QStringLiteral("logs: chat, moderation (default) or system."),
                  QStringLiteral("CATEGORY"), QStringLiteral("moderation") });
    p.addOption({ QStringLiteral("from"), QStringLiteral("logs: first UTC day, YYYY-MM-DD (default: --to, or today)."),
                  QStringLiteral("DAY") });
    p.addOption({ QStringLiteral("to"), QStringLiteral("logs: last UTC day, YYYY-MM-DD (default: today)."),
                  QStringLiteral("DAY") });
    p.addOption({ QStringLiteral("player"),
                  QStringLiteral("logs: only lines about this player id (sender, target, player or actor)."),
                  QStringLiteral("ID") });
    p.addOption({ QStringLiteral("event"), QStringLiteral("logs: only this event (message, mute, queue_delete, …)."),
                  QStringLiteral("EVENT") });
    p.addOption({ QStringLiteral("text"), QStringLiteral("logs: only lines containing this text (any case)."),
                  QStringLiteral("TEXT") });
    p.addOption(
            { QStringLiteral("format"),
              QStringLiteral(
                      "logs: json (one line each, as stored; default) or csv. filter-dry-run: text (default) or json."),
              QStringLiteral("FORMAT"), QStringLiteral("json") });
}

int runBackup(const Config &config, const QString &target)
{
    QString error;
    const QString database = sqliteFileOf(config, "backup", &error);
    if (database.isEmpty()) {
        printErr(error);
        return 1;
    }
    const auto info = backupSqliteDatabase(database, target);
    if (!info) {
        printErr(QStringLiteral("backup: ") + info.error());
        return 1;
    }
    std::printf("backup: %s -> %s (%s)\n", qPrintable(database), qPrintable(QFileInfo(target).absoluteFilePath()),
                qPrintable(describe(info.value())));
    return 0;
}

int runRestore(const Config &config, const QString &backupFile)
{
    QString error;
    const QString database = sqliteFileOf(config, "restore", &error);
    if (database.isEmpty()) {
        printErr(error);
        return 1;
    }
    const auto outcome = restoreSqliteDatabase(backupFile, database);
    if (!outcome) {
        printErr(QStringLiteral("restore: ") + outcome.error());
        return 1;
    }
    std::printf("restore: %s -> %s (%s)\n", qPrintable(backupFile), qPrintable(database),
                qPrintable(describe(outcome.value().restored)));
    if (!outcome.value().previousKeptAs.isEmpty())
        std::printf("restore: the database it replaced is kept as %s\n", qPrintable(outcome.value().previousKeptAs));
    return 0;
}

int runLogs(const QCommandLineParser &p, const Config &config)
{
    LogQuery query;
    const QString category = p.value(QStringLiteral("category"));
    const QString format = p.value(QStringLiteral("format"));
    const QString toText = p.value(QStringLiteral("to"));
    const QString fromText = p.value(QStringLiteral("from"));
    query.to = toText.isEmpty() ? QDateTime::currentDateTimeUtc().date() : QDate::fromString(toText, Qt::ISODate);
    query.from = fromText.isEmpty() ? query.to : QDate::fromString(fromText, Qt::ISODate);
    query.player = p.value(QStringLiteral("player"));
    query.event = p.value(QStringLiteral("event"));
    query.text = p.value(QStringLiteral("text"));
    QStringList problems;
    if (!parseAuditCategory(category, &query.category))
        problems << QStringLiteral("--category must be chat, moderation or system, not '%1'").arg(category);
    if (!query.from.isValid() || !query.to.isValid())
        problems << QStringLiteral("--from and --to must be days as YYYY-MM-DD");
    else if (query.from > query.to)
        problems << QStringLiteral("--from %1 is after --to %2")
                            .arg(query.from.toString(Qt::ISODate), query.to.toString(Qt::ISODate));
    if (format != QLatin1String("json") && format != QLatin1String("csv"))
        problems << QStringLiteral("--format must be json or csv, not '%1'").arg(format);
    if (!problems.isEmpty()) {
        printErr(QStringLiteral("logs: ") + problems.join(QStringLiteral("; ")));
        return 1;
    }
    if (!QFileInfo(config.logging.dir).isDir()) {
        printErr(QStringLiteral("logs: no audit trail at %1 (logging.dir)").arg(config.logging.dir));
        return 1;
    }
    // An operator at the server's files reads every line, whispers included.
    AuditCsvTable table;
    const bool csv = format == QLatin1String("csv");
    const LogQueryStats stats = runLogQuery(config.logging.dir, query, [&](const QByteArray &line) {
        if (csv)
            table.add(line);
        else
            std::printf("%s\n", line.constData());
    });
    if (csv) {
        const QByteArray text = table.toCsv();
        std::fwrite(text.constData(), 1, static_cast<size_t>(text.size()), stdout);
    }
    printErr(QStringLiteral("logs: %1 matching %2 lines from %3 to %4 (%5 day files in %6)")
                     .arg(stats.matched)
                     .arg(category, query.from.toString(Qt::ISODate), query.to.toString(Qt::ISODate))
                     .arg(stats.daysRead)
                     .arg(QDir::toNativeSeparators(config.logging.dir)));
    return 0;
}

} // namespace mythos
