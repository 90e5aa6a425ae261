#pragma once
// The one pipeline every chat message goes through, whichever door it came in by (WebSocket,
// HTTP, text command): validate → [mute → rate limit → filter → store] → ack → deliver locally
// and publish to the other instances.

#include "chat/identity.h"
#include "model/scope.h"
#include "moderation/contentfilter.h"
#include "moderation/ratelimiter.h"
#include "moderation/violationtracker.h"
#include "protocol/errorcode.h"
#include "util/ids.h"
#include "util/recentids.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>
#include <variant>

namespace mythos {

struct Config;
class Bus;
class Directory;
class PlayerRegistry;
class FilterService;
class MessageStore;
class MonitorService;
struct ModerationItem;
struct FilterVerdict;
class MuteRegistry;
class Router;
struct ChannelSpec;

struct Sender
{
    Identity identity;
    Location location;
};

struct SendRequest
{
    QString channel;
    QString content;
    QString target; // whisper: player id or display name
};

struct SendAccepted
{
    QString messageId;
    bool filtered = false;
    bool held = false;
};

using SendOutcome = std::variant<SendAccepted, ChatError>;

struct ChatStats
{
    quint64 accepted = 0;
    quint64 published = 0;
    quint64 keptLocal = 0; // accepted while the bus was down: served to this instance only
    quint64 storeFailures = 0;
    quint64 masked = 0;
    quint64 flagged = 0;
    quint64 held = 0;
    quint64 relayedReceived = 0;
    quint64 lateDelivered = 0; // caught up after a bus outage (PROTOCOL §3 Recovery)
    quint64 duplicatesDropped = 0; // a relayed or caught-up copy of a message already delivered
    quint64 shadowed = 0; // accepted from a shadow-muted sender here: moderators only
    quint64 shadowedRelayed = 0; // the same, accepted elsewhere
    QHash<QString, quint64> refusedByCode;
};

class ChatService : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const SendOutcome &)>;

    ChatService(const Config &config, QString serverId, PlayerRegistry *registry, Directory *directory, Router *router,
                Bus *bus, MessageStore *store, const MuteRegistry *mutes, FilterService *filter,
                QObject *parent = nullptr);

    // `reply` runs once the message is accepted and stored (before anyone receives it) or
    // refused. With history on, the reply waits for the batch commit.
    void submit(const Sender &sender, const SendRequest &request, const Reply &reply);
    // Channels this identity may send on, in configuration order.
    QStringList sendableChannels(Role role) const;
    // {channel: {limit, remaining, reset_ms}} for the channels `role` may send on.
    QJsonObject rateLimitStatus(const QString &playerId, Role role);
    // A message arriving from another instance (or the game server) on `subject`.
    void deliverRelayed(const QByteArray &subject, const QByteArray &payload);
    // A message another instance (`origin`) accepted while the bus was down, caught up
    // afterwards: delivered with "late": true unless this instance already delivered it.
    // False when it was a repeat or is not a valid chat message.
    bool deliverLate(QJsonObject message, const QString &origin);
    // A shadowed line another instance accepted (`{prefix}.control.shadow`): for this instance's
    // monitoring moderators and, with a database of its own, its history. False when it was not
    // one, or a repeat.
    bool deliverShadowed(const QByteArray &payload);
    QByteArray shadowSubject() const;
    // Whether `subject` is one a message of that channel is published on: its template
    // (`nats.subjects`, default PROTOCOL §5) with a valid scope id.
    bool subjectCarries(const QByteArray &subject, const QString &channelName) const;

    // A held message a moderator approved: stored and delivered as if it was sent now.
    void deliverApproved(const QJsonObject &message);
    // The subject a message was (or would be) published on.
    QByteArray subjectOf(const QJsonObject &message) const;
    void setMonitor(MonitorService *monitor) { m_monitor = monitor; }

    const ChatStats &stats() const { return m_stats; }
    const QString &serverId() const { return m_serverId; }

Q_SIGNALS:
    // Every message accepted here, after it is stored: the audit trail listens. `original` is
    // the content as the sender wrote it (the message carries what recipients see).
    void messageAccepted(const QJsonObject &message, const QString &original);
    // A message from a shadow-muted sender, accepted here: acknowledged as usual, stored
    // for the sender's own history, shown to moderators only. The audit trail listens; the
    // catch-up after an outage does not (nobody else may get it).
    void messageShadowed(const QJsonObject &message, const QString &original);
    // A message the content filter flagged (delivered) or held (not delivered).
    void messageQueued(const QString &kind, const QJsonObject &message, const QStringList &reasons);
    // The queue item is in the database (moderators can act on it now).
    void itemQueued(const mythos::ModerationItem &item);
    // A message refused by the rate limiter (for the moderation log).
    void rateLimitViolated(const QString &playerId, const QString &channel, int limit, qint64 retryAfterMs);
    // An accepted message the filter found something in (the escalation ladder counts it).
    void filterMatched(const mythos::Identity &sender, const QString &channel,
                       const QList<mythos::FilterMatch> &matches, const QJsonObject &message);

private:
    std::optional<ChatError> validate(const Sender &sender, const SendRequest &request, const ChannelSpec *&channel,
                                      QString &content, QString &targetId, QString &targetName) const;
    ChatError refuse(ErrorCode code, const QString &message);
    void route(const QByteArray &subject, QJsonObject message, const QString &original);
    // The shadow-mute branch of submit: the same ack as any accepted message, no delivery.
    void acceptShadowed(const QJsonObject &message, const QString &original, const SendAccepted &accepted,
                        const Reply &reply);
    void routeShadowed(QJsonObject message, const QString &original);
    // The moderators' copy: `original_content` added when the filter changed the content.
    static QJsonObject withOriginal(QJsonObject message, const QString &original);
    void queueForModeration(const QString &kind, const QJsonObject &message, const FilterVerdict &verdict,
                            const Sender &sender, const ChannelSpec &channel);
    QJsonObject buildMessage(const Sender &sender, const ChannelSpec &channel, const QString &content,
                             const QString &targetId, const QString &targetName);

    const Config &m_config;
    QString m_serverId;
    PlayerRegistry *m_registry;
    Directory *m_directory;
    Router *m_router;
    Bus *m_bus;
    MessageStore *m_store; // null when history is disabled
    const MuteRegistry *m_mutes;
    FilterService *m_filter; // null: no content filtering
    MonitorService *m_monitor = nullptr;
    MessageIdGenerator m_ids;
    RateLimiter m_rateLimiter;
    // Rate-limit refusals of the last hour, for the moderation queue's context and the log.
    ViolationTracker m_violations;
    QTimer m_rateSweep;
    // Ids of messages from other instances delivered here lately: a relayed copy and a
    // caught-up copy of one message reach players once.
    RecentIds m_remoteDelivered { 20000 };
    ChatStats m_stats;
};

} // namespace mythos
