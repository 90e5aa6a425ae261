#pragma once
// The admins' `filter_dry_run` request (docs/protocol.md "Moderators"): checked here, run on
// the thread pool so the event loop keeps serving, answered with exactly one reply.

#include <QJsonObject>
#include <QString>

namespace mythos {

struct Config;
class Session;

// The candidate list texts and levels YAML together may be at most this many bytes (UTF-8).
inline constexpr qsizetype kFilterDryRunMaxCandidateBytes = 512 * 1024;

// Replies `filter_dry_run` with the report, or `error`: invalid_request (bad fields, a bad list
// line or levels file), payload_too_large, unavailable (a dry run is already running).
void startFilterDryRun(Session *session, const QString &adminId, const Config &config, const QJsonObject &frame,
                       const QString &ref);

} // namespace mythos
