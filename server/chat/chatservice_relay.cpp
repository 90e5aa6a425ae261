// The relay side of the pipeline: messages other instances (or the game server) accepted,
// arriving live over NATS or caught up after an outage. They were validated where they were
// accepted; here they are checked for shape and subject, de-duplicated, stored where the
// database is not shared, and routed to this instance's players. A foreign publisher's chat
// message (MythosMUD sharing the bus) is read strictly and rewritten as ours first.
#include "chat/chatservice.h"

#include "chat/directory.h"
#include "chat/foreignmessage.h"
#include "chat/messageformat.h"
#include "chat/playerregistry.h"
#include "chat/router.h"
#include "config/config.h"
#include "moderation/monitorservice.h"
#include "protocol/event.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcChat)

namespace mythos {

namespace {
const QLatin1String kOrigin("origin");
} // namespace

bool ChatService::subjectCarries(const QByteArray &subject, const QString &channelName) const
{
    const ChannelSpec *spec = m_config.channel(channelName);
    return spec && m_registry->subjects().scopeIdOf(*spec, subject).has_value();
}

void ChatService::deliverRelayed(const QByteArray &subject, const QByteArray &payload)
{
    QJsonParseError err;
    QJsonObject message = QJsonDocument::fromJson(payload, &err).object();
    if (err.error != QJsonParseError::NoError) {
        qCWarning(lcChat) << "dropping unreadable message on" << subject << ':' << err.errorString();
        ++m_stats.refusedByCode[QStringLiteral("relay_invalid")];
        return;
    }
    if (message.value(kOrigin).toString() == m_serverId)
        return; // our own, already delivered here (no-echo makes this rare)

    const QString channelName = message.value(QLatin1String("channel")).toString();
    const bool fromGame = !message.contains(QLatin1String("message_id"));
    bool foreign = false;
    if (fromGame) {
        // The game server announces with {"content": …} on the system subject.
        const ChannelSpec *system = m_config.channel(u"system");
        if (!system || subject != m_registry->subjectFor(*system, {}, {})) {
            qCWarning(lcChat) << "dropping message without message_id on" << subject;
            ++m_stats.refusedByCode[QStringLiteral("relay_invalid")];
            return;
        }
        const QString content = message.value(QLatin1String("content")).toString().trimmed();
        if (content.isEmpty())
            return;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        message = QJsonObject { { QLatin1String("message_id"), m_ids.next(now.toMSecsSinceEpoch()) },
                                { QLatin1String("channel"), system->name },
                                { QLatin1String("sender_id"), QStringLiteral("system") },
                                { QLatin1String("sender_name"), QStringLiteral("System") },
                                { QLatin1String("content"), content },
                                { QLatin1String("message"), printableLine(system->name, QString(), content) },
                                { QLatin1String("timestamp"), isoTimestamp(now) },
                                { QLatin1String("filtered"), false } };
    } else if (channelName.isEmpty()) {
        ++m_stats.refusedByCode[QStringLiteral("relay_invalid")];
        return;
    } else if (!subjectCarries(subject, channelName)) {
        // Whoever can publish on the bus must not post a staff line on a public subject.
        qCWarning(lcChat) << "dropping a" << channelName << "message that arrived on" << subject;
        ++m_stats.refusedByCode[QStringLiteral("relay_wrong_subject")];
        return;
    } else if (isForeignMessage(message)) {
        const ChannelSpec *spec = m_config.channel(channelName);
        auto read = readForeignMessage(message, *spec, *m_registry->subjects().scopeIdOf(*spec, subject));
        if (const QString *error = std::get_if<QString>(&read)) {
            qCWarning(lcChat).noquote() << "dropping a foreign" << channelName << "message on" << subject << ':'
                                        << *error;
            ++m_stats.refusedByCode[QStringLiteral("relay_foreign_invalid")];
            return;
        }
        message = std::get<QJsonObject>(std::move(read));
        if (spec->scope == ScopeKind::Player && !message.contains(QLatin1String("target_name"))) {
            if (const auto target = m_directory->resolve(message.value(QLatin1String("target_id")).toString()))
                message.insert(QLatin1String("target_name"), target->name);
        }
        foreign = true;
    }
    const QString origin = message.take(kOrigin).toString();
    // For moderators only: neither our players nor our history get what the filter masked.
    const QJsonValue original = message.take(wire::field::originalContent);
    // While moderators monitor, a feed subscription delivers what a player's subscription
    // delivers too, and a catch-up may have delivered it already: the first copy counts.
    if (m_monitor && !m_monitor->firstSighting(message.value(QLatin1String("message_id")).toString()))
        return;
    if (!m_remoteDelivered.insert(message.value(QLatin1String("message_id")).toString())) {
        ++m_stats.duplicatesDropped;
        return;
    }
    ++m_stats.relayedReceived;
    // A database of our own must hold what our players saw (idempotent by message_id); a shared
    // one already has it from the accepting instance. Game announcements get a local id on each
    // instance, so a shared database does not store them; a foreign message has no accepting
    // instance but the same id on each, so every instance stores it (docs/protocol.md).
    if (m_store && (!m_store->isShared() || foreign))
        m_store->append(StoredMessage::fromChatData(message,
                                                    fromGame          ? QStringLiteral("game")
                                                            : foreign ? QString::fromLatin1(kForeignOrigin)
                                                                      : origin));
    m_router->deliver(subject, message);
    if (m_monitor) {
        if (original.isString())
            message.insert(wire::field::originalContent, original);
        m_monitor->observe(message);
    }
}

bool ChatService::deliverLate(QJsonObject message, const QString &origin)
{
    const QString id = message.value(QLatin1String("message_id")).toString();
    const QByteArray subject = subjectOf(message);
    if (id.isEmpty() || subject.isEmpty() || origin.isEmpty() || origin == m_serverId) {
        qCWarning(lcChat) << "dropping a caught-up message that is not a chat message from another instance:" << id
                          << origin;
        ++m_stats.refusedByCode[QStringLiteral("late_invalid")];
        return false;
    }
    if (!m_remoteDelivered.insert(id)) {
        ++m_stats.duplicatesDropped;
        return false;
    }
    message.remove(kOrigin);
    ++m_stats.lateDelivered;
    if (m_store && !m_store->isShared())
        m_store->append(StoredMessage::fromChatData(message, origin));
    message.insert(QLatin1String("late"), true);
    m_router->deliver(subject, message);
    if (m_monitor) {
        m_monitor->firstSighting(id);
        m_monitor->observe(message);
    }
    return true;
}

} // namespace mythos
