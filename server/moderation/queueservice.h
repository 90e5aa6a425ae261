#pragma once
// The moderation queue's actions: claim, approve (a held message is delivered as if sent now),
// reject (the sender is told), dismiss, delete (removed from history, `message_deleted` to
// everyone who got it) and mute the sender. The database decides races (a conditional update),
// and every change is relayed on `{prefix}.control.queue` so all moderators see it live.

#include "bus/controlpublisher.h"
#include "chat/identity.h"
#include "moderation/moderationitem.h"
#include "protocol/errorcode.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>
#include <variant>

namespace mythos {

struct Config;
class Bus;
class ChatService;
class MessageStore;
class MonitorService;
class MuteService;
class PlayerRegistry;
class Subjects;

struct QueueAction
{
    QString itemId;
    QString action; // claim, approve, reject, dismiss, delete, mute_sender
    std::optional<int> minutes; // mute_sender
    QString reason;
};

class QueueService : public QObject
{
    Q_OBJECT
public:
    using ListReply = std::function<void(const std::variant<QList<ModerationItem>, ChatError> &)>;
    using ItemReply = std::function<void(const std::variant<ModerationItem, ChatError> &)>;

    QueueService(QString serverId, MessageStore *store, Bus *bus, const Subjects &subjects, ChatService *chat,
                 MuteService *mutes, PlayerRegistry *registry, MonitorService *monitor, QObject *parent = nullptr);

    void list(const QString &status, int limit, const ListReply &reply);
    void act(const Identity &moderator, const QueueAction &action, const ItemReply &reply);
    // A new item (queued by this instance's pipeline).
    void announce(const ModerationItem &item);
    // False (logged and counted) for a message that is not one of ours.
    bool handleControl(const QByteArray &subject, const QByteArray &payload);
    quint64 rejectedControlMessages() const { return m_rejected; }
    const ControlPublisher &control() const { return m_control; }
    bool handles(const QByteArray &subject) const;
    // Open items in the (possibly shared) database and the oldest one's queue time, as of the
    // last measurement (every 15 s and after each change here): for /metrics and alerts.
    int openItems() const { return m_openItems; }
    QDateTime oldestOpenItem() const { return m_oldestOpen; }

Q_SIGNALS:
    void actionTaken(const mythos::Identity &moderator, const QString &action, const mythos::ModerationItem &item);

private:
    void resolve(const Identity &moderator, const ModerationItem &item, const QueueAction &action,
                 const ItemReply &reply);
    void applyEffects(const ModerationItem &item, const QString &action);
    void deleteLocally(const QString &messageId, const QByteArray &subject);
    void noticeLocally(const QString &playerId, const QString &messageId, const QString &text);
    void publish(const QByteArray &subject, QJsonObject message);

    QString m_serverId;
    MessageStore *m_store;
    ControlPublisher m_control; // survives NATS outages
    ChatService *m_chat;
    MuteService *m_mutes;
    PlayerRegistry *m_registry;
    MonitorService *m_monitor;
    QByteArray m_queueSubject;
    QByteArray m_deletedSubject;
    QByteArray m_noticeSubject;
    quint64 m_rejected = 0;
    QTimer m_backlogTimer;
    int m_openItems = 0;
    QDateTime m_oldestOpen;
    void measureBacklog();
};

} // namespace mythos
