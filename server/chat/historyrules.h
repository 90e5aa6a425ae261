#pragma once
// Who may read which history (PROTOCOL §3, issue rules): room/subzone/zone/plane channels of
// the caller's current location, their party, whispers they sent or received, everyone-scoped
// channels, and staff channels for moderators only.

#include "chat/identity.h"
#include "config/config.h"
#include "protocol/errorcode.h"
#include "storage/storedmessage.h"

#include <QJsonValue>

#include <variant>

namespace mythos {

struct HistoryRequest
{
    QString channel;
    QJsonValue limit; // absent = 50; 1–200
    QJsonValue before; // absent = newest; else a message id
};

// A query, or nothing to read (std::monostate: e.g. no party), or the reason it is refused.
using HistoryPlan = std::variant<HistoryQuery, std::monostate, ChatError>;

HistoryPlan planHistory(const Config &config, const Identity &who, const Location &where,
                        const HistoryRequest &request);

// A whisper to or from an earlier guest of the same name (before this guest's session began,
// chat/guestkeys.h): left out of their history and resumes.
bool isEarlierGuestsWhisper(const Identity &who, const StoredMessage &message);

} // namespace mythos
