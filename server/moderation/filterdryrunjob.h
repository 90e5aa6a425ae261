#pragma once
// One dry run from start to end, shared by `mythos-chatd filter-dry-run` and the admins'
// `filter_dry_run` request: load the configured lists and the candidate, replay the chat audit
// log of the last N days through both, and return the report. Blocking; safe on any thread.

#include "config/config.h"
#include "util/result.h"

#include <QDate>
#include <QJsonObject>

#include <array>
#include <optional>

namespace mythos {

// A candidate list: its text and where it came from (a file path, or "request").
struct CandidateList
{
    QString text;
    QString origin;
};

inline constexpr int filterListCount = 3;
// profanity.txt, allow.txt, keywords.txt: the file names a candidate folder holds, and the
// order of FilterDryRunInput::lists.
QString filterListFileName(int list);

struct FilterDryRunInput
{
    Config config; // the running configuration: lists, levels, channels, logging.dir
    std::array<std::optional<CandidateList>, filterListCount> lists; // absent: unchanged
    std::optional<QByteArray> levelsYaml; // absent: the configured levels
    QString levelsOrigin;
    int days = 7; // today (UTC) and the days before it
    int examples = 5; // per outcome and direction
    QDate today; // invalid: the current UTC day
};

// The candidate lists a folder holds; a list file missing from it is unchanged. Fails when the
// folder does not exist, holds none of the three, or a file cannot be read.
Result<std::array<std::optional<CandidateList>, filterListCount>> readCandidateFolder(const QString &dir);

// Fails (with every problem, `file:line: message` for list lines) when a candidate list or the
// levels file is bad, a configured list cannot be read, or logging.dir does not exist.
Result<QJsonObject> runFilterDryRun(const FilterDryRunInput &input);

// The report for a terminal.
QString filterDryRunText(const QJsonObject &report);

} // namespace mythos
