#pragma once
// Keeps players' locations current — from the game server on mud.presence.{id} and, where
// allowed, from the players' own `move` / `party` — and tells every connection of the player.

#include "chat/identity.h"
#include "protocol/errorcode.h"

#include <QJsonObject>
#include <QObject>

#include <optional>

namespace mythos {

class PlayerRegistry;
struct OnlinePlayer;

class PresenceService : public QObject
{
    Q_OBJECT
public:
    explicit PresenceService(PlayerRegistry *registry, QObject *parent = nullptr);

    // The requester gets the resulting presence event with `ref`; other connections without.
    std::optional<ChatError> applyFromClient(OnlinePlayer *player, const QJsonObject &update, EventSink *requester,
                                             const QString &ref);
    void applyFromGame(const QByteArray &subject, const QByteArray &payload);

    static QJsonObject presenceData(const Location &location);

private:
    void broadcast(OnlinePlayer *player, EventSink *requester, const QString &ref);

    PlayerRegistry *m_registry;
};

} // namespace mythos
