#pragma once
// One mute. Personal: `ownerId` hides a player or a channel from themselves. Server: a
// moderator stops `ownerId` (= the muted player) from sending, on every channel or on `channel`.

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace mythos {

struct Mute
{
    enum class Scope { Personal, Server };
    QString id; // derived from scope, owner, target and channel: muting again replaces
    Scope scope = Scope::Personal;
    QString ownerId;
    QString targetType; // "player" or "channel"
    QString targetId;
    QString targetName;
    QString channel; // server mutes of one channel only
    QDateTime until; // invalid = permanent
    QString mutedBy;
    QString reason;
    QDateTime createdAt;

    static QString makeId(Scope scope, const QString &ownerId, const QString &targetType, const QString &targetId,
                          const QString &channel);
    bool activeAt(const QDateTime &now) const { return !until.isValid() || until > now; }
    // The `mutes` list entry of PROTOCOL §3.
    QJsonObject toProtocol() const;
    // Full form for relaying between instances.
    QJsonObject toJson() const;
    static Mute fromJson(const QJsonObject &o);
};

QString muteScopeName(Mute::Scope scope);

} // namespace mythos
