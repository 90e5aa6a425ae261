#pragma once
// Candidate filter levels for a dry run: a YAML file written with the configuration's own keys
// (chat.content_filtering.levels / default_level, chat.channels.<name>.filter_level), applied
// over a running configuration and checked as the configuration loader checks them.

#include "config/config.h"
#include "util/result.h"

#include <QByteArray>

namespace mythos {

// `current` with the file's level keys applied: a level written in the file replaces the level
// of that name (others stay as configured), default_level and each filter_level replace the
// configured value. Any other key, a channel the configuration does not have, or a level name
// that does not exist is an error with the key's path; `sourceName` prefixes every message.
Result<Config> applyFilterLevelOverlay(const QByteArray &yaml, const Config &current, const QString &sourceName);

} // namespace mythos
