#include "import/mythosimporter.h"

#include "audit/auditlog.h"
#include "storage/storagefactory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcImport, "mythos.server.import")

namespace mythos {

namespace {

// Mute files live in <data>/user_management; a folder that is already it is taken as it is.
QString muteFolder(const QString &dataDir)
{
    const QDir sub(QDir(dataDir).filePath(QStringLiteral("user_management")));
    return sub.exists() ? sub.path() : dataDir;
}

// Reads and validates one file into `out`; a file that cannot be read or has a bad line is rejected.
template<typename File, typename Reader>
void readOne(const QDir &dir, const QString &name, Reader reader, QList<File> &out, ImportReport &report)
{
    ++report.filesRead;
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::ReadOnly)) {
        report.rejected.append({ name, 0, QStringLiteral("cannot read: ") + f.errorString() });
        return;
    }
    auto read = reader(name, f.readAll());
    if (auto *problem = std::get_if<SourceProblem>(&read))
        report.rejected.append(*problem);
    else
        out.append(std::get<File>(std::move(read)));
}

void readMuteFiles(const QString &dataDir, ImportSources &sources, ImportReport &report)
{
    const QDir dir(muteFolder(dataDir));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        if (!isMuteFileName(name)) {
            report.leftOut.append({ name, 0, QStringLiteral("not a MythosMUD mute file") });
            continue;
        }
        if (muteFilePlayerId(name).isEmpty()) {
            report.leftOut.append({ name, 0,
                                    QStringLiteral("named by a player name, not a uuid: whose mutes these are is not "
                                                   "guessed (rename it to mutes_<player uuid>.json to import it)") });
            continue;
        }
        readOne(dir, name, readMuteFile, sources.muteFiles, report);
    }
}

void readLogFiles(const QString &logsDir, ImportSources &sources, ImportReport &report)
{
    const QDir dir(logsDir);
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        const LogFileName parsed = parseLogFileName(name);
        if (!parsed.matches || parsed.kind == LogKind::Unknown) {
            report.leftOut.append({ name, 0,
                                    parsed.matches ? QStringLiteral("unknown log type '%1'").arg(parsed.type)
                                                   : QStringLiteral("not a MythosMUD chat log") });
            continue;
        }
        readOne(dir, name, readLogFile, sources.logFiles, report);
    }
}

// The import_key of every line an earlier import wrote to the moderation trail on these days.
QSet<QString> importedAuditKeys(const QString &auditDir, const QList<PlannedAuditLine> &lines)
{
    QSet<QDate> days;
    for (const PlannedAuditLine &l : lines)
        days.insert(l.at.date());
    QSet<QString> keys;
    for (const QDate &day : std::as_const(days)) {
        QFile f(auditFilePath(auditDir, AuditCategory::Moderation, day));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd()) {
            const QByteArray line = f.readLine();
            if (!line.contains("\"import_key\""))
                continue;
            keys.insert(QJsonDocument::fromJson(line).object().value(QLatin1String("import_key")).toString());
        }
    }
    return keys;
}

// Opens the database; null (and no error) in a dry run against a database not made yet.
Result<std::unique_ptr<SqlStorage>> openDatabase(const Config &config, bool dryRun)
{
    const QString file = sqlitePath(config.database.url);
    if (dryRun && !file.isEmpty() && !QFileInfo::exists(file))
        return std::unique_ptr<SqlStorage>();
    if (!dryRun && !file.isEmpty())
        QDir().mkpath(QFileInfo(file).path());
    auto storage = createStorage(config.database.url);
    // A dry run reads the schema as it is; a real run brings it up to date first, as the server does.
    if (auto opened = storage->open(!dryRun); !opened)
        return Result<std::unique_ptr<SqlStorage>>::failure(opened.error());
    if (dryRun) {
        // An empty database (a PostgreSQL one created for us, say) holds nothing to compare with.
        const auto version = storage->schemaVersion();
        if (!version)
            return Result<std::unique_ptr<SqlStorage>>::failure(version.error());
        if (version.value() == 0)
            return std::unique_ptr<SqlStorage>();
    }
    return storage;
}

template<typename T>
Result<T> fail(const QString &what, const QString &error)
{
    return Result<T>::failure(QStringLiteral("%1: %2").arg(what, error));
}

// Moves what the database already holds out of `planned` and counts it.
Result<bool> leaveOutStoredMessages(SqlStorage *db, QList<PlannedMessage> &planned, ReportSection &section)
{
    if (!db)
        return true;
    QList<PlannedMessage> fresh;
    for (const PlannedMessage &p : std::as_const(planned)) {
        const auto stored = db->hasMessage(p.message.id);
        if (!stored)
            return Result<bool>::failure(stored.error());
        if (stored.value())
            ++section.present;
        else
            fresh.append(p);
    }
    planned = fresh;
    return true;
}

// A mute that is already in force is kept as it is: it may have been changed since the last import.
void leaveOutExistingMutes(const QSet<QString> &existing, QList<PlannedMute> &planned, ReportSection &section)
{
    QList<PlannedMute> fresh;
    for (const PlannedMute &p : std::as_const(planned)) {
        if (existing.contains(p.mute.id))
            ++section.present;
        else
            fresh.append(p);
    }
    planned = fresh;
}

} // namespace

ImportSources readSources(const QString &dataDir, const QString &logsDir, ImportReport &report)
{
    ImportSources sources;
    readMuteFiles(dataDir, sources, report);
    readLogFiles(logsDir, sources, report);
    return sources;
}

Result<ImportReport> importMythosMud(const Config &config, const ImportOptions &options)
{
    for (const QString &dir : { options.dataDir, options.logsDir }) {
        if (!QFileInfo(dir).isDir())
            return Result<ImportReport>::failure(QStringLiteral("%1 is not a folder").arg(dir));
    }
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    ImportReport report;
    report.dryRun = options.dryRun;
    report.source =
            QStringLiteral("mute files in %1, chat logs in %2").arg(muteFolder(options.dataDir), options.logsDir);

    const ImportSources sources = readSources(options.dataDir, options.logsDir, report);

    auto opened = openDatabase(config, options.dryRun);
    if (!opened)
        return fail<ImportReport>(QStringLiteral("database"), opened.error());
    SqlStorage *db = opened.value().get();
    QString schema = QStringLiteral("empty or not created yet");
    if (db) {
        const auto version = db->schemaVersion();
        schema = version ? QStringLiteral("schema version %1").arg(version.value()) : version.error();
    }
    report.target = QStringLiteral("%1 (%2), moderation trail in %3")
                            .arg(db ? db->describe() : config.database.url, schema, config.logging.dir);

    QSet<QString> staff;
    QSet<QString> existingMutes;
    if (db) {
        const auto players = db->loadPlayers();
        if (!players)
            return fail<ImportReport>(QStringLiteral("database"), players.error());
        for (const SqlStorage::KnownPlayer &p : players.value()) {
            if (hasRole(p.role, Role::Moderator))
                staff.insert(p.id);
        }
        const auto mutes = db->loadActiveMutes(now);
        if (!mutes)
            return fail<ImportReport>(QStringLiteral("database"), mutes.error());
        for (const Mute &m : mutes.value())
            existingMutes.insert(m.id);
    }

    ImportPlan plan = planImport(sources, config, staff, now, report);
    if (auto left = leaveOutStoredMessages(db, plan.messages, report.history); !left)
        return fail<ImportReport>(QStringLiteral("database"), left.error());
    leaveOutExistingMutes(existingMutes, plan.personalMutes, report.personalMutes);
    leaveOutExistingMutes(existingMutes, plan.serverMutes, report.serverMutes);
    const QSet<QString> auditKeys = importedAuditKeys(config.logging.dir, plan.auditLines);
    QList<PlannedAuditLine> freshAudit;
    for (const PlannedAuditLine &a : std::as_const(plan.auditLines)) {
        if (auditKeys.contains(a.key))
            ++report.moderationLog.present;
        else
            freshAudit.append(a);
    }

    report.history.imported = static_cast<int>(plan.messages.size());
    report.personalMutes.imported = static_cast<int>(plan.personalMutes.size());
    report.serverMutes.imported = static_cast<int>(plan.serverMutes.size());
    report.moderationLog.imported = static_cast<int>(freshAudit.size());
    if (options.dryRun)
        return report;

    // One transaction for the history and one for the mutes: a failure leaves nothing of either.
    QList<StoredMessage> messages;
    for (const PlannedMessage &p : std::as_const(plan.messages))
        messages.append(p.message);
    if (auto stored = db->insert(messages); !stored)
        return fail<ImportReport>(QStringLiteral("database: history"), stored.error());
    QList<Mute> mutes;
    for (const QList<PlannedMute> *list : { &plan.personalMutes, &plan.serverMutes }) {
        for (const PlannedMute &p : *list)
            mutes.append(p.mute);
    }
    if (auto saved = db->saveMutes(mutes); !saved)
        return fail<ImportReport>(QStringLiteral("database: mutes"), saved.error());

    if (!freshAudit.isEmpty()) {
        AuditLog audit(config.logging.dir, QLatin1String(kImportOrigin), config.logging.retentionDays,
                       [now] { return now; });
        QString error;
        if (!audit.open(&error))
            return fail<ImportReport>(QStringLiteral("audit log"), error);
        for (const PlannedAuditLine &a : std::as_const(freshAudit))
            audit.write(AuditCategory::Moderation, a.event, a.fields, a.at);
        audit.flush();
        if (audit.errorCount() > 0)
            return fail<ImportReport>(QStringLiteral("audit log"),
                                      QStringLiteral("%1 lines could not be written").arg(audit.errorCount()));
    }
    qCInfo(lcImport) << "imported" << messages.size() << "messages," << mutes.size() << "mutes," << freshAudit.size()
                     << "moderation log lines";
    return report;
}

} // namespace mythos
