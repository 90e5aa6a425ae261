#pragma once
// Every mute in force, in memory, indexed for the two questions the hot path asks: "does this
// recipient hide this sender or channel?" and "may this player send here?". Expired mutes stop
// applying at their expiry instant; sweep() then forgets them.

#include "moderation/mute.h"

#include <QHash>
#include <QList>

#include <optional>

namespace mythos {

class MuteRegistry
{
public:
    void upsert(const Mute &mute);
    void remove(const QString &id);
    std::optional<Mute> find(const QString &id) const;

    // Personal mutes: recipient has muted the sender or the channel.
    bool hides(const QString &recipientId, const QString &senderId, const QString &channel, const QDateTime &now) const;
    // The server mute that stops `playerId` sending on `channel`, the longest-lasting one if several.
    std::optional<Mute> serverMute(const QString &playerId, const QString &channel, const QDateTime &now) const
    {
        return moderatorMute(Mute::Scope::Server, playerId, channel, now);
    }
    // The shadow mute that keeps what `playerId` sends on `channel` from everyone but moderators.
    std::optional<Mute> shadowMute(const QString &playerId, const QString &channel, const QDateTime &now) const
    {
        return moderatorMute(Mute::Scope::Shadow, playerId, channel, now);
    }

    QList<Mute> personalMutesOf(const QString &ownerId, const QDateTime &now) const;
    QList<Mute> serverMutes(const QDateTime &now) const { return mutesOfScope(Mute::Scope::Server, now); }
    QList<Mute> shadowMutes(const QDateTime &now) const { return mutesOfScope(Mute::Scope::Shadow, now); }
    // Every mute of `scope` in force, newest first.
    QList<Mute> mutesOfScope(Mute::Scope scope, const QDateTime &now) const;
    int sweep(const QDateTime &now);
    int size() const { return static_cast<int>(m_byId.size()); }

private:
    // Server or shadow: the longest-lasting one in force for this player and channel.
    std::optional<Mute> moderatorMute(Mute::Scope scope, const QString &playerId, const QString &channel,
                                      const QDateTime &now) const;

    QHash<QString, Mute> m_byId;
    QHash<QString, QList<QString>> m_idsByOwner; // every scope, by owner (server, shadow: the muted player)
};

} // namespace mythos
