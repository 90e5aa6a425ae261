#include "moderation/offence.h"

#include "protocol/event.h"

namespace mythos {

QJsonObject Offence::toJson() const
{
    return { { QLatin1String("id"), id },
             { QLatin1String("player_id"), playerId },
             { QLatin1String("kind"), kind },
             { QLatin1String("points"), points },
             { QLatin1String("at"), isoTimestamp(at) },
             { QLatin1String("actor"), actor },
             { QLatin1String("detail"), detail },
             { QLatin1String("origin"), origin },
             { QLatin1String("channel"), channel } };
}

std::optional<Offence> Offence::fromJson(const QJsonObject &o)
{
    Offence f;
    f.id = o.value(QLatin1String("id")).toString();
    f.playerId = o.value(QLatin1String("player_id")).toString();
    f.kind = o.value(QLatin1String("kind")).toString();
    const QJsonValue points = o.value(QLatin1String("points"));
    f.at = QDateTime::fromString(o.value(QLatin1String("at")).toString(), Qt::ISODateWithMs).toUTC();
    f.actor = o.value(QLatin1String("actor")).toString();
    f.detail = o.value(QLatin1String("detail")).toString();
    f.origin = o.value(QLatin1String("origin")).toString();
    f.channel = o.value(QLatin1String("channel")).toString();
    if (f.id.isEmpty() || f.playerId.isEmpty() || f.kind.isEmpty() || !points.isDouble() || !f.at.isValid())
        return std::nullopt;
    f.points = points.toInt();
    return f;
}

} // namespace mythos
