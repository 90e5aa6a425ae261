#include "chat/router.h"

#include "chat/playerregistry.h"
#include "moderation/muteregistry.h"
#include "protocol/event.h"
#include "protocol/wirenames.h"

#include <QDateTime>

namespace mythos {

Router::Router(PlayerRegistry *registry, const MuteRegistry *mutes, QObject *parent)
    : QObject(parent), m_registry(registry), m_mutes(mutes)
{
}

int Router::deliver(const QByteArray &subject, const QJsonObject &message)
{
    const QList<OnlinePlayer *> &receivers = m_registry->receiversOf(subject);
    const QString senderId = message.value(QLatin1String("sender_id")).toString();
    const QString channel = message.value(QLatin1String("channel")).toString();
    const bool isWhisper = channel == QLatin1String("whisper");
    const QDateTime now = m_mutes ? QDateTime::currentDateTimeUtc() : QDateTime();
    ++m_stats.messagesRouted;

    EncodedEvent event;
    int sent = 0;
    int players = 0;
    for (OnlinePlayer *player : receivers) {
        if (player->identity.id == senderId)
            continue; // the sender gets an ack, never their own message
        if (m_mutes && m_mutes->hides(player->identity.id, senderId, channel, now)) {
            ++m_stats.hiddenByPersonalMutes;
            ++players;
            continue;
        }
        if (event.isNull())
            event = EncodedEvent::encode(wire::event::chatMessage, message);
        if (isWhisper)
            player->lastWhisperFrom = senderId;
        for (EventSink *sink : std::as_const(player->sinks)) {
            sink->deliver(event);
            ++sent;
        }
        ++players;
    }
    m_stats.deliveries += sent;
    const int bystanders = m_registry->playerCount() - players - (m_registry->find(senderId) ? 1 : 0);
    m_stats.deliveriesAvoided += std::max(0, bystanders);
    return sent;
}

} // namespace mythos
