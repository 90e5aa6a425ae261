#include "chat/historyrules.h"

#include "protocol/subjects.h"
#include "util/ids.h"

namespace mythos {

HistoryPlan planHistory(const Config &config, const Identity &who, const Location &where, const HistoryRequest &request)
{
    auto invalid = [](const QString &message) { return ChatError { ErrorCode::InvalidRequest, message }; };
    if (!config.history.enabled)
        return ChatError { ErrorCode::Unavailable, QStringLiteral("history is disabled on this server") };
    const ChannelSpec *channel = config.channel(request.channel);
    if (!channel)
        return ChatError { ErrorCode::UnknownChannel, QStringLiteral("no channel named '%1'").arg(request.channel) };
    if (!hasRole(who.role, channel->receiveRole()))
        return ChatError { ErrorCode::Forbidden, QStringLiteral("%1 history is for staff").arg(channel->name) };

    HistoryQuery query;
    query.channel = channel->name;
    query.readerId = who.id; // their own shadowed lines stay in their history: the mute is not revealed
    if (!request.limit.isUndefined() && !request.limit.isNull()) {
        const double limit = request.limit.toDouble(-1);
        if (limit != static_cast<int>(limit) || limit < 1 || limit > 200)
            return invalid(QStringLiteral("'limit' must be a whole number from 1 to 200"));
        query.limit = static_cast<int>(limit);
    }
    if (!request.before.isUndefined() && !request.before.isNull()) {
        if (!request.before.isString() || !isValidSubjectId(request.before.toString()))
            return invalid(QStringLiteral("'before' must be a message id"));
        query.before = request.before.toString();
    }
    if (channel->scope == ScopeKind::Player) {
        query.kind = HistoryQuery::Kind::Whisper;
        query.playerId = who.id;
        return query;
    }
    if (scopeNeedsId(channel->scope)) {
        query.scopeKey = where.idFor(channel->scope);
        if (query.scopeKey.isEmpty())
            return std::monostate {}; // not in a room / party: nothing of it to read
    }
    return query;
}

bool isEarlierGuestsWhisper(const Identity &who, const StoredMessage &message)
{
    return who.guestSinceMs > 0 && !message.targetId.isEmpty() && !(message.id > messageIdFloor(who.guestSinceMs));
}

} // namespace mythos
