#pragma once
// A moderator's note on a player: what the moderators want each other to know ("warned in
// private about spoilers", "second account of X"). Stored, shared by every instance.

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mythos {

struct ModeratorNote
{
    QString id;
    QString playerId;
    QString authorId;
    QString authorName;
    QString body;
    QDateTime createdAt;
    QString origin;

    QJsonObject toJson() const;
    static std::optional<ModeratorNote> fromJson(const QJsonObject &o);
};

} // namespace mythos
