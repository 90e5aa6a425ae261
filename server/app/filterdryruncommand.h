#pragma once
// `mythos-chatd filter-dry-run`: what a candidate set of filter lists and levels would change,
// replayed over the chat audit log (docs/moderation.md "Dry-run"). Exit 0: a report was printed
// (even one over no messages); 1: it could not run (bad arguments, a bad list line or levels
// file, no audit trail).

#include "config/config.h"

class QCommandLineParser;

namespace mythos {

// --lists, --levels, --days, --examples (--format is shared with `logs`).
void addFilterDryRunOptions(QCommandLineParser &parser);
int runFilterDryRunCommand(const QCommandLineParser &parser, const Config &config);

} // namespace mythos
