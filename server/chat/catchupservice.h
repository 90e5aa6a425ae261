#pragma once
// Catch-up after a NATS outage (PROTOCOL §3 Recovery; docs/protocol.md "Catch-up"). While the
// bus is down every instance serves its own players; what it accepts meanwhile reaches nobody
// else. When the bus returns, the instance asks the others, on `{prefix}.control.catchup`, for
// what they accepted since shortly before it lost the bus, and hands them what it accepted
// itself in the same request. Each answers on the requester's reply subject with its own
// messages. Both sides deliver what they receive to their players with "late": true (no
// duplicates: ChatService drops ids it already delivered), and say a `gap` when an answer could
// not be complete. Works the same with one SQLite per instance and with a shared PostgreSQL:
// the messages come from each instance's memory (RecentOwnMessages), not from a database.

#include "bus/bus.h"
#include "chat/recentownmessages.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace mythos {

struct Config;
class ChatService;
class PlayerRegistry;
class Subjects;

struct CatchUpStats
{
    quint64 requestsSent = 0;
    quint64 requestsAnswered = 0;
    quint64 gapsSent = 0; // gap events, one per player told
    quint64 rejected = 0; // unreadable or incomplete control messages
};

class CatchUpService : public QObject
{
    Q_OBJECT
public:
    CatchUpService(const Config &config, QString serverId, Bus *bus, const Subjects &subjects, ChatService *chat,
                   PlayerRegistry *registry, QObject *parent = nullptr);

    bool handles(const QByteArray &subject) const;
    void handleControl(const QByteArray &subject, const QByteArray &payload);
    const CatchUpStats &stats() const { return m_stats; }

private:
    void onBusState(Bus::State state);
    void requestCatchUp(qint64 downSinceMs, qint64 nowMs);
    void answer(const QJsonObject &request);
    void collectReply(const QJsonObject &reply);
    void deliverCollected();
    // Delivers one instance's messages (oldest first, as it sent them).
    void deliver(const QJsonArray &messages, const QString &origin);
    void tellGap(const QJsonObject &outage, const QString &reason);
    qint64 lookBackMs() const; // how far before the noticed outage a catch-up reaches
    QJsonObject slicePayload(const QString &sinceId, qint64 nowMs);

    const Config &m_config;
    QString m_serverId;
    Bus *m_bus;
    ChatService *m_chat;
    PlayerRegistry *m_registry;
    QByteArray m_requestSubject;
    QByteArray m_replySubject;
    RecentOwnMessages m_recent;
    qint64 m_downSinceMs = 0; // 0 while connected
    // The last outage, for answers given shortly after it: another instance may have come
    // back after our request went out and never heard it.
    qint64 m_lastDownSinceMs = 0;
    qint64 m_lastBackAtMs = 0;
    // Answers to our latest request, merged into one ordered delivery when the wait ends.
    QString m_pendingSince;
    QJsonObject m_pendingOutage;
    QList<QJsonObject> m_collected;
    QTimer m_collectTimer;
    CatchUpStats m_stats;
};

} // namespace mythos
