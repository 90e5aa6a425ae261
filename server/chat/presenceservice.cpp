#include "chat/presenceservice.h"

#include "chat/playerregistry.h"
#include "chat/presenceupdate.h"
#include "protocol/subjects.h"
#include "protocol/wirenames.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPresence, "mythos.server.presence")

namespace mythos {

PresenceService::PresenceService(PlayerRegistry *registry, QObject *parent) : QObject(parent), m_registry(registry)
{
}

QJsonObject PresenceService::presenceData(const Location &l)
{
    auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    return { { QLatin1String("room_id"), orNull(l.scopes.room) },
             { QLatin1String("scope_ids"),
               QJsonObject { { QLatin1String("plane"), orNull(l.scopes.plane) },
                             { QLatin1String("zone"), orNull(l.scopes.zone) },
                             { QLatin1String("subzone"), orNull(l.scopes.subzone) },
                             { QLatin1String("room"), orNull(l.scopes.room) } } },
             { QLatin1String("party_id"), orNull(l.party) } };
}

std::optional<ChatError> PresenceService::applyFromClient(OnlinePlayer *player, const QJsonObject &update,
                                                          EventSink *requester, const QString &ref)
{
    auto next = applyPresence(player->location, update);
    if (auto *error = std::get_if<ChatError>(&next))
        return *error;
    m_registry->setLocation(player, std::get<Location>(next));
    broadcast(player, requester, ref);
    return std::nullopt;
}

void PresenceService::applyFromGame(const QByteArray &subject, const QByteArray &payload)
{
    const QString playerId = QString::fromUtf8(subject.mid(Subjects::presencePrefix().size()));
    OnlinePlayer *player = m_registry->find(playerId);
    if (!player)
        return; // left between the game's publish and now
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &err);
    if (!doc.isObject()) {
        qCWarning(lcPresence) << "ignoring unreadable presence update on" << subject << err.errorString();
        return;
    }
    auto next = applyPresence(player->location, doc.object());
    if (auto *error = std::get_if<ChatError>(&next)) {
        qCWarning(lcPresence) << "ignoring presence update on" << subject << ':' << error->message;
        return;
    }
    m_registry->setLocation(player, std::get<Location>(next));
    broadcast(player, nullptr, {});
}

void PresenceService::broadcast(OnlinePlayer *player, EventSink *requester, const QString &ref)
{
    const QJsonObject data = presenceData(player->location);
    const EncodedEvent event = EncodedEvent::encode(wire::event::presence, data);
    for (EventSink *sink : std::as_const(player->sinks)) {
        if (sink == requester)
            sink->deliver(EncodedEvent::encode(wire::event::presence, events::withRef(data, ref)));
        else
            sink->deliver(event);
    }
}

} // namespace mythos
