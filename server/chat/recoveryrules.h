#pragma once
// What a resume may return (PROTOCOL §3 Recovery): the messages a player would have received
// after `since` in the scopes they are in now — every channel they may read, planned by the
// history rules — minus their personal mutes, bounded by chat.recovery.

#include "chat/identity.h"
#include "config/config.h"
#include "protocol/errorcode.h"
#include "storage/storedmessage.h"

#include <QJsonObject>
#include <QJsonValue>

#include <variant>

namespace mythos {

class MuteRegistry;

// Ids from different instances are ordered by their clocks, and a message accepted elsewhere
// just before `since` may reach the player after it: a resume also returns this much before
// `since`, and clients drop ids they already hold.
constexpr qint64 kResumeClockWindowMs = 2000;

struct ResumePlan
{
    RecoveryQuery query; // limit is max_messages + 1: one more tells "too many"
    bool tooOld = false;
    bool feed = false; // the moderators' feed: no personal mutes, answered with "feed":"monitor"
    Identity reader; // whose resume: guests read no whispers from before their session
};

// A plan, or the reason the request is refused (invalid `since`). With history disabled the
// caller answers `history_unavailable` without planning.
std::variant<ResumePlan, ChatError> planResume(const Config &config, const Identity &who, const Location &where,
                                               const QJsonValue &since, qint64 nowMs);

// A moderator's feed resume (`"feed":"monitor"`): what the live monitor feed would have shown
// after `since` — every channel in every scope, whispers only when the feed shows them to this
// role — or the refusal (not staff: forbidden; invalid `since`).
std::variant<ResumePlan, ChatError> planFeedResume(const Config &config, const Identity &who, const QJsonValue &since,
                                                   qint64 nowMs, bool whispersVisible);

// The `resumed` event's data (without ref) from what the store returned.
QJsonObject resumedData(const Config &config, const ResumePlan &plan, const RecoveryRows &rows,
                        const MuteRegistry *mutes, const QDateTime &now);
// `resumed` when nothing can be read: history is off or the database failed.
QJsonObject resumedUnavailable(const ResumePlan &plan);

} // namespace mythos
