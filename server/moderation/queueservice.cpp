#include "moderation/queueservice.h"

#include "bus/bus.h"
#include "chat/chatservice.h"
#include "chat/playerregistry.h"
#include "moderation/monitorservice.h"
#include "moderation/muteservice.h"
#include "protocol/subjects.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcQueue, "mythos.server.queue")

namespace mythos {

namespace {
const QStringList kActions { QStringLiteral("claim"),   QStringLiteral("approve"), QStringLiteral("reject"),
                             QStringLiteral("dismiss"), QStringLiteral("delete"),  QStringLiteral("mute_sender") };

QString statusFor(const QString &action)
{
    if (action == QLatin1String("approve"))
        return QStringLiteral("approved");
    if (action == QLatin1String("reject"))
        return QStringLiteral("rejected");
    if (action == QLatin1String("delete"))
        return QStringLiteral("deleted");
    if (action == QLatin1String("mute_sender"))
        return QStringLiteral("muted");
    return QStringLiteral("dismissed");
}

ChatError error(ErrorCode code, const QString &message)
{
    return { code, message };
}
} // namespace

QueueService::QueueService(QString serverId, MessageStore *store, Bus *bus, const Subjects &subjects, ChatService *chat,
                           MuteService *mutes, PlayerRegistry *registry, MonitorService *monitor, QObject *parent)
    : QObject(parent), m_serverId(std::move(serverId)), m_store(store), m_control(bus, "moderation queue"),
      m_chat(chat), m_mutes(mutes), m_registry(registry), m_monitor(monitor), m_queueSubject(subjects.control("queue")),
      m_deletedSubject(subjects.control("deleted")), m_noticeSubject(subjects.control("notice"))
{
    if (m_store) {
        m_backlogTimer.setInterval(15000);
        connect(&m_backlogTimer, &QTimer::timeout, this, &QueueService::measureBacklog);
        m_backlogTimer.start();
    }
}

void QueueService::measureBacklog()
{
    if (!m_store)
        return;
    // One indexed aggregate off the event loop; the next scrape sees the result.
    m_store->run<SqlStorage::QueueBacklog>(
            "measure the moderation queue", [](SqlStorage &s) { return s.queueBacklog(); },
            [self = QPointer<QueueService>(this)](const Result<SqlStorage::QueueBacklog> &r) {
                if (!self || !r)
                    return; // the store logs and counts its failures
                self->m_openItems = r.value().open;
                self->m_oldestOpen = r.value().oldest;
            });
}

bool QueueService::handles(const QByteArray &subject) const
{
    return subject == m_queueSubject || subject == m_deletedSubject || subject == m_noticeSubject;
}

void QueueService::list(const QString &status, int limit, const ListReply &reply)
{
    if (!m_store)
        return reply(error(ErrorCode::Unavailable, QStringLiteral("the moderation queue needs history (a database)")));
    m_store->run<QList<ModerationItem>>(
            "list the moderation queue", [status, limit](SqlStorage &s) { return s.listQueue(status, limit); },
            [reply](const Result<QList<ModerationItem>> &r) {
                if (!r)
                    return reply(error(ErrorCode::Internal, QStringLiteral("the queue is unavailable right now")));
                reply(r.value());
            });
}

void QueueService::act(const Identity &moderator, const QueueAction &action, const ItemReply &reply)
{
    if (!m_store)
        return reply(error(ErrorCode::Unavailable, QStringLiteral("the moderation queue needs history (a database)")));
    if (!kActions.contains(action.action))
        return reply(error(ErrorCode::InvalidRequest,
                           QStringLiteral("'action' must be one of %1").arg(kActions.join(QStringLiteral(", ")))));
    const QString id = action.itemId;
    m_store->run<ModerationItem>(
            "read a queue item", [id](SqlStorage &s) { return s.queueItem(id); },
            [this, moderator, action, reply](const Result<ModerationItem> &r) {
                if (!r)
                    return reply(error(ErrorCode::Internal, QStringLiteral("the queue is unavailable right now")));
                if (r.value().id.isEmpty())
                    return reply(error(ErrorCode::NotFound, QStringLiteral("no queue item '%1'").arg(action.itemId)));
                resolve(moderator, r.value(), action, reply);
            });
}

void QueueService::resolve(const Identity &moderator, const ModerationItem &item, const QueueAction &action,
                           const ItemReply &reply)
{
    if (item.status != QLatin1String("pending"))
        return reply(error(ErrorCode::InvalidRequest, QStringLiteral("item is already %1").arg(item.status)));
    if (!item.claimedBy.isEmpty() && item.claimedBy != moderator.id)
        return reply(error(ErrorCode::Forbidden, QStringLiteral("%1 has claimed this item").arg(item.claimedBy)));
    auto finish = [this, moderator, action, reply, id = item.id](const Result<bool> &changed) {
        if (!changed)
            return reply(error(ErrorCode::Internal, QStringLiteral("the queue is unavailable right now")));
        if (!changed.value())
            return reply(error(ErrorCode::Forbidden, QStringLiteral("another moderator acted on this item first")));
        m_store->run<ModerationItem>(
                "read a queue item", [id](SqlStorage &s) { return s.queueItem(id); },
                [this, moderator, action, reply](const Result<ModerationItem> &r) {
                    if (!r)
                        return reply(error(ErrorCode::Internal, QStringLiteral("the queue is unavailable right now")));
                    const ModerationItem &updated = r.value();
                    if (action.action != QLatin1String("claim"))
                        applyEffects(updated, action.action);
                    publish(m_queueSubject, { { QLatin1String("item"), updated.toProtocol() } });
                    m_monitor->broadcast(wire::event::queueItem, updated.toProtocol());
                    measureBacklog();
                    Q_EMIT actionTaken(moderator, action.action, updated);
                    reply(updated);
                });
    };
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (action.action == QLatin1String("claim")) {
        const QString id = item.id, who = moderator.id;
        return m_store->run<bool>(
                "claim a queue item", [id, who, now](SqlStorage &s) { return s.claimQueueItem(id, who, now); }, finish);
    }
    auto close = [this, item, moderator, action, now, finish] {
        const QString id = item.id, who = moderator.id, status = statusFor(action.action), how = action.action;
        m_store->run<bool>(
                "resolve a queue item",
                [id, who, status, how, now](SqlStorage &s) { return s.resolveQueueItem(id, status, who, how, now); },
                finish);
    };
    if (action.action != QLatin1String("mute_sender"))
        return close();
    MuteRequest mute {
        QStringLiteral("player"), item.senderId, action.minutes, action.reason, Mute::Scope::Server, {}
    };
    m_mutes->mute(moderator, mute, [close, reply](const MuteOutcome &outcome) {
        if (const auto *e = std::get_if<ChatError>(&outcome))
            return reply(*e);
        close();
    });
}

void QueueService::applyEffects(const ModerationItem &item, const QString &action)
{
    const bool held = item.kind == QLatin1String("held");
    if (action == QLatin1String("approve") && held) {
        QJsonObject message = item.message;
        message.insert(QLatin1String("timestamp"), isoTimestamp(QDateTime::currentDateTimeUtc())); // as if sent now
        m_chat->deliverApproved(message);
    } else if ((action == QLatin1String("reject") || action == QLatin1String("delete")) && held) {
        const QString text = QStringLiteral("A moderator did not allow your message: \"%1\"")
                                     .arg(item.message.value(QLatin1String("content")).toString());
        noticeLocally(item.senderId, item.messageId, text);
        publish(m_noticeSubject,
                { { QLatin1String("player_id"), item.senderId },
                  { QLatin1String("message_id"), item.messageId },
                  { QLatin1String("text"), text } });
    } else if (action == QLatin1String("delete")) {
        const QByteArray subject = m_chat->subjectOf(item.message);
        const QString id = item.messageId;
        m_store->run<bool>("delete a message", [id](SqlStorage &s) { return s.deleteMessage(id); });
        deleteLocally(id, subject);
        publish(m_deletedSubject,
                { { QLatin1String("message_id"), id }, { QLatin1String("subject"), QString::fromUtf8(subject) } });
    }
}

void QueueService::deleteLocally(const QString &messageId, const QByteArray &subject)
{
    const EncodedEvent event =
            EncodedEvent::encode(wire::event::messageDeleted, { { wire::field::messageId, messageId } });
    for (OnlinePlayer *player : m_registry->receiversOf(subject)) {
        for (EventSink *sink : std::as_const(player->sinks))
            sink->deliver(event);
    }
    m_monitor->broadcast(wire::event::messageDeleted, { { wire::field::messageId, messageId } });
}

void QueueService::noticeLocally(const QString &playerId, const QString &messageId, const QString &text)
{
    OnlinePlayer *player = m_registry->find(playerId);
    if (!player)
        return;
    const EncodedEvent event = EncodedEvent::encode(wire::event::error,
                                                    { { QLatin1String("code"), errorCodeName(ErrorCode::Forbidden) },
                                                      { QLatin1String("message"), text },
                                                      { QLatin1String("message_id"), messageId } });
    for (EventSink *sink : std::as_const(player->sinks))
        sink->deliver(event);
}

void QueueService::announce(const ModerationItem &item)
{
    publish(m_queueSubject, { { QLatin1String("item"), item.toProtocol() } });
    m_monitor->broadcast(wire::event::queueItem, item.toProtocol());
    measureBacklog();
}

void QueueService::publish(const QByteArray &subject, QJsonObject message)
{
    message.insert(QLatin1String("origin"), m_serverId);
    m_control.publish(subject, QJsonDocument(message).toJson(QJsonDocument::Compact));
}

bool QueueService::handleControl(const QByteArray &subject, const QByteArray &payload)
{
    QJsonParseError parseError;
    const QJsonObject msg = QJsonDocument::fromJson(payload, &parseError).object();
    const char *required = subject == m_queueSubject ? "item"
            : subject == m_deletedSubject            ? "message_id"
                                                     : "player_id";
    if (parseError.error != QJsonParseError::NoError || !msg.contains(QLatin1String(required))) {
        ++m_rejected;
        qCWarning(lcQueue).noquote() << "ignoring a malformed moderation control message on" << subject << ":"
                                     << QString::fromUtf8(payload.left(200));
        return false;
    }
    if (msg.value(QLatin1String("origin")).toString() == m_serverId)
        return true;
    if (subject == m_queueSubject) {
        const QJsonObject item = msg.value(QLatin1String("item")).toObject();
        // With a database of its own, this instance keeps a copy so its moderators can act on
        // items queued elsewhere; a shared database has the row already.
        if (m_store && !m_store->isShared()) {
            ModerationItem copy = ModerationItem::fromProtocol(item);
            copy.origin = msg.value(QLatin1String("origin")).toString();
            if (!copy.id.isEmpty())
                m_store->run<bool>("copy a queue item", [copy](SqlStorage &s) { return s.saveQueueItem(copy); });
        }
        m_monitor->broadcast(wire::event::queueItem, item);
    } else if (subject == m_deletedSubject) {
        const QString id = msg.value(QLatin1String("message_id")).toString();
        // A database of this instance's own holds its own copy of the message (it stored the
        // relayed one): it goes too. A shared database was handled by the deleting instance.
        if (m_store && !m_store->isShared())
            m_store->run<bool>("delete a relayed message", [id](SqlStorage &s) { return s.deleteMessage(id); });
        deleteLocally(id, msg.value(QLatin1String("subject")).toString().toUtf8());
    } else if (subject == m_noticeSubject)
        noticeLocally(msg.value(QLatin1String("player_id")).toString(),
                      msg.value(QLatin1String("message_id")).toString(), msg.value(QLatin1String("text")).toString());
    return true;
}

} // namespace mythos
