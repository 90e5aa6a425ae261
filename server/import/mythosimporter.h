#pragma once
// `mythos-chatd import mythosmud`: reads a MythosMUD deployment's mute files and chat logs,
// validates every file before anything is written (a bad file is rejected whole), maps them
// (importplan.h), leaves out what our database or audit trail already holds, and writes the
// rest through the storage layer and the audit log. Running it twice changes nothing.

#include "config/config.h"
#include "import/importplan.h"
#include "import/importreport.h"
#include "util/result.h"

#include <QDateTime>

namespace mythos {

struct ImportOptions
{
    QString dataDir; // holds user_management/mutes_<uuid>.json
    QString logsDir; // holds chat_<type>_<YYYY-MM-DD>.log
    bool dryRun = false;
    QDateTime now; // invalid: the current time
};

// Reads and validates every file of both folders; rejected and left-out files go to `report`.
ImportSources readSources(const QString &dataDir, const QString &logsDir, ImportReport &report);

// A report, or why the import could not run at all (a folder or the database cannot be opened).
Result<ImportReport> importMythosMud(const Config &config, const ImportOptions &options);

} // namespace mythos
