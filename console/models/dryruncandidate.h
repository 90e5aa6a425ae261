#pragma once
// What the dry-run dialog sends: the candidate list files of a folder (a file missing from it
// is unchanged) and an optional levels file, read into a `filter_dry_run` frame; and the
// server's problems (`keywords.txt:2: ...`) put back in terms of the files the admin chose.

#include "protocol/frames.h"

#include <QString>

#include <variant>

namespace mythos::console {

struct DryRunCandidate
{
    QString listsFolder; // empty: lists unchanged
    QString levelsFile; // empty: levels unchanged
    int days = 7;
    int examples = 5;
};

// The server refuses larger candidates (docs/protocol.md, filter_dry_run).
inline constexpr qsizetype kDryRunMaxCandidateBytes = 512 * 1024;

// The frame, or a message saying what is wrong with the choice (nothing chosen, a folder that
// holds none of the lists, an unreadable file, too large).
std::variant<QJsonObject, QString> dryRunFrame(const DryRunCandidate &candidate);

// `keywords.txt:2: ...` → `<folder>/keywords.txt:2: ...`, `levels: ...` → `<file>: ...`.
QString describeDryRunError(const QString &serverMessage, const DryRunCandidate &candidate);

} // namespace mythos::console
