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
    std::optional<Mute> serverMute(const QString &playerId, const QString &channel, const QDateTime &now) const;

    QList<Mute> personalMutesOf(const QString &ownerId, const QDateTime &now) const;
    QList<Mute> serverMutes(const QDateTime &now) const;
    int sweep(const QDateTime &now);
    int size() const { return static_cast<int>(m_byId.size()); }

private:
    QHash<QString, Mute> m_byId;
    QHash<QString, QList<QString>> m_idsByOwner; // personal and server, by owner (server: the muted player)
};

} // namespace mythos
