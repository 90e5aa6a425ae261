#include "chat/router.h"

#include "chat/playerregistry.h"
#include "protocol/event.h"

namespace mythos {

Router::Router(PlayerRegistry *registry, QObject *parent) : QObject(parent), m_registry(registry) { }

int Router::deliver(const QByteArray &subject, const QJsonObject &message)
{
    const QList<OnlinePlayer *> &receivers = m_registry->receiversOf(subject);
    const QString senderId = message.value(QLatin1String("sender_id")).toString();
    const bool isWhisper = message.value(QLatin1String("channel")).toString() == QLatin1String("whisper");
    ++m_stats.messagesRouted;

    EncodedEvent event;
    int sent = 0;
    int players = 0;
    for (OnlinePlayer *player : receivers) {
        if (player->identity.id == senderId)
            continue; // the sender gets an ack, never their own message
        if (event.isNull())
            event = EncodedEvent::encode(QStringLiteral("chat_message"), message);
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
