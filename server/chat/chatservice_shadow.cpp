// The shadow-mute side of the pipeline (docs/protocol.md "Shadow mutes"). A shadow-muted
// player's message passes every check as usual and gets the usual ack, so the player cannot
// tell; it is stored marked `shadow` (the sender's own history keeps it, everybody else's
// leaves it out) and goes only to moderators: the monitoring connections here and, on
// `{prefix}.control.shadow`, those of the other instances. It is never published on a
// players' subject, so an instance that has not applied the mute yet cannot deliver it.
#include "chat/chatservice.h"

#include "bus/bus.h"
#include "chat/playerregistry.h"
#include "config/config.h"
#include "moderation/monitorservice.h"
#include "protocol/subjects.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcChat)

namespace mythos {

namespace {
const QLatin1String kOrigin("origin");

StoredMessage shadowRow(const QJsonObject &message, const QString &origin)
{
    StoredMessage row = StoredMessage::fromChatData(message, origin);
    row.shadow = true;
    return row;
}
} // namespace

QByteArray ChatService::shadowSubject() const
{
    return m_registry->subjects().control("shadow");
}

void ChatService::acceptShadowed(const QJsonObject &message, const QString &original, const SendAccepted &accepted,
                                 const Reply &reply)
{
    // Nothing the filter found is queued: nobody but moderators sees the line, and they see it
    // in the monitor. A held line is acknowledged as held and, as any held line, not stored.
    if (accepted.held || !m_store) {
        ++m_stats.accepted;
        ++m_stats.shadowed;
        reply(accepted);
        QJsonObject seen = message;
        if (accepted.held) // moderators see it would have waited for them
            seen.insert(wire::field::held, true);
        routeShadowed(seen, original);
        return;
    }
    // Stored before acknowledged, like every accepted message: the same timing, the same errors.
    m_store->append(shadowRow(message, m_serverId), [this, reply, accepted, message, original](bool stored) {
        if (!stored) {
            ++m_stats.storeFailures;
            reply(refuse(ErrorCode::Internal, QStringLiteral("the message could not be stored; please try again")));
            return;
        }
        ++m_stats.accepted;
        ++m_stats.shadowed;
        reply(accepted);
        routeShadowed(message, original);
    });
}

void ChatService::routeShadowed(QJsonObject message, const QString &original)
{
    Q_EMIT messageShadowed(message, original);
    message = withOriginal(std::move(message), original);
    message.insert(wire::field::shadow, true);
    if (m_monitor) {
        m_monitor->firstSighting(message.value(wire::field::messageId).toString());
        m_monitor->observe(message);
    }
    message.insert(kOrigin, m_serverId);
    // Lost while the bus is down (the catch-up carries only what players may get): the line is
    // still in this instance's history and audit trail.
    if (!m_bus->publish(shadowSubject(), QJsonDocument(message).toJson(QJsonDocument::Compact)))
        qCDebug(lcChat) << "shadowed message" << message.value(wire::field::messageId) << "kept local";
}

bool ChatService::deliverShadowed(const QByteArray &payload)
{
    QJsonParseError err;
    QJsonObject message = QJsonDocument::fromJson(payload, &err).object();
    const QString origin = message.take(kOrigin).toString();
    if (origin == m_serverId)
        return false; // ours, shown here already
    const QString id = message.value(wire::field::messageId).toString();
    if (err.error != QJsonParseError::NoError || id.isEmpty() || origin.isEmpty()
        || !m_config.channel(message.value(wire::field::channel).toString())) {
        qCWarning(lcChat) << "dropping an unreadable shadowed message:" << payload.left(200);
        ++m_stats.refusedByCode[QStringLiteral("shadow_invalid")];
        return false;
    }
    if (!m_remoteDelivered.insert(id)) {
        ++m_stats.duplicatesDropped;
        return false;
    }
    ++m_stats.shadowedRelayed;
    message.insert(wire::field::shadow, true); // whatever the publisher said: it came this way
    if (m_store && !m_store->isShared()) {
        // Our history holds the line for its sender, as marked as the accepting instance's.
        QJsonObject forStore = message;
        forStore.remove(wire::field::originalContent);
        m_store->append(shadowRow(forStore, origin));
    }
    if (m_monitor) {
        m_monitor->firstSighting(id);
        m_monitor->observe(message);
    }
    return true;
}

} // namespace mythos
