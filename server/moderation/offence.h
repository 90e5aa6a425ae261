#pragma once
// One offence on a player's record for the escalation ladder: a counted filter hit, a
// rate-limit flood or a moderator's warning, with the points it adds until it decays.

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mythos {

struct Offence
{
    QString id; // unique everywhere (origin and a counter), so a relayed copy counts once
    QString playerId;
    QString kind; // "filter", "rate_limit_flood" or "warn"
    int points = 0;
    QDateTime at;
    QString actor; // "system" or the warning moderator's id
    QString detail; // what happened, for moderators: "slur (severe) on say", the warning's reason
    QString origin; // the instance that recorded it
    QString channel; // where it happened (empty for a warning); relayed, not stored

    QJsonObject toJson() const;
    // Nothing when a field is missing or of the wrong type (a bad control message).
    static std::optional<Offence> fromJson(const QJsonObject &o);
};

} // namespace mythos
