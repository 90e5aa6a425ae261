#pragma once
// One mute. Personal: `ownerId` hides a player or a channel from themselves. Server: a
// moderator stops `ownerId` (= the muted player) from sending, on every channel or on `channel`.
// Shadow: like server, but the player's messages are accepted and reach moderators only.

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mythos {

struct Mute
{
    enum class Scope { Personal, Server, Shadow };
    QString id; // derived from scope, owner, target and channel: muting again replaces
    Scope scope = Scope::Personal;
    QString ownerId;
    QString targetType; // "player" or "channel"
    QString targetId;
    QString targetName;
    QString channel; // server and shadow mutes of one channel only
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
// "personal", "server" or "shadow"; nothing for any other text.
std::optional<Mute::Scope> muteScopeFromName(QStringView name);
// Server and shadow mutes: set by moderators on players, never on staff.
inline bool isModeratorScope(Mute::Scope scope)
{
    return scope != Mute::Scope::Personal;
}

} // namespace mythos
