#include "moderation/moderatornote.h"

#include "protocol/event.h"

namespace mythos {

QJsonObject ModeratorNote::toJson() const
{
    return { { QLatin1String("id"), id },
             { QLatin1String("player_id"), playerId },
             { QLatin1String("author_id"), authorId },
             { QLatin1String("author_name"), authorName },
             { QLatin1String("text"), body },
             { QLatin1String("created_at"), isoTimestamp(createdAt) },
             { QLatin1String("origin"), origin } };
}

std::optional<ModeratorNote> ModeratorNote::fromJson(const QJsonObject &o)
{
    ModeratorNote n;
    n.id = o.value(QLatin1String("id")).toString();
    n.playerId = o.value(QLatin1String("player_id")).toString();
    n.authorId = o.value(QLatin1String("author_id")).toString();
    n.authorName = o.value(QLatin1String("author_name")).toString();
    n.body = o.value(QLatin1String("text")).toString();
    n.createdAt = QDateTime::fromString(o.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs).toUTC();
    n.origin = o.value(QLatin1String("origin")).toString();
    if (n.id.isEmpty() || n.playerId.isEmpty() || n.authorId.isEmpty() || n.body.isEmpty() || !n.createdAt.isValid())
        return std::nullopt;
    return n;
}

} // namespace mythos
