#include "chat/presenceupdate.h"

#include "util/ids.h"

namespace mythos {

namespace {

// Absent -> nullopt (unchanged); null or "" -> empty (cleared); else the validated id.
std::variant<std::optional<QString>, ChatError> readId(const QJsonObject &update, const char *key)
{
    const QJsonValue v = update.value(QLatin1String(key));
    if (v.isUndefined())
        return std::optional<QString>();
    if (v.isNull() || (v.isString() && v.toString().isEmpty()))
        return std::optional<QString>(QString());
    if (!v.isString() || !isValidSubjectId(v.toString()))
        return ChatError { ErrorCode::InvalidRequest,
                           QStringLiteral("'%1' must match [A-Za-z0-9_-]{1,128}").arg(QLatin1String(key)) };
    return std::optional<QString>(v.toString());
}

} // namespace

std::variant<Location, ChatError> applyPresence(const Location &current, const QJsonObject &update)
{
    std::optional<QString> ids[5];
    const char *keys[5] = { "room_id", "party_id", "plane_id", "zone_id", "subzone_id" };
    for (int i = 0; i < 5; ++i) {
        auto r = readId(update, keys[i]);
        if (auto *e = std::get_if<ChatError>(&r))
            return *e;
        ids[i] = std::get<std::optional<QString>>(r);
    }
    Location next = current;
    if (ids[0])
        next.scopes = ids[0]->isEmpty() ? ScopeIds {} : ScopeIds::fromRoomId(*ids[0]);
    if (ids[1])
        next.party = *ids[1];
    if (!next.scopes.room.isEmpty())
        next.scopes = next.scopes.withOverrides(ids[2].value_or(QString()), ids[3].value_or(QString()),
                                                ids[4].value_or(QString()));
    return next;
}

} // namespace mythos
