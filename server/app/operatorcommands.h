#pragma once
// The operator's subcommands of mythos-chatd that work on a configuration's data rather than
// run a server (PROTOCOL §7, docs/operations.md): `backup FILE`, `restore FILE` and `logs`.
// Each prints its result and returns the process exit code: 0 done, 1 refused or failed.

#include "config/config.h"

class QCommandLineParser;

namespace mythos {

// Adds the options `logs` takes (--category, --from, --to, --player, --event, --text, --format).
void addLogQueryOptions(QCommandLineParser &parser);

int runBackup(const Config &config, const QString &target);
int runRestore(const Config &config, const QString &backupFile);
int runLogs(const QCommandLineParser &parser, const Config &config);

} // namespace mythos
