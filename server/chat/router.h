#pragma once
// Delivers a chat message to this instance's players who receive its subject: server-side
// filtering, so nothing reaches a player outside the scope. The event is encoded once and the
// same bytes go to every recipient.

#include <QJsonObject>
#include <QObject>

namespace mythos {

class MuteRegistry;
class PlayerRegistry;

struct RouterStats
{
    quint64 messagesRouted = 0;
    quint64 deliveries = 0;
    // Local players who were not sent a message because it was outside their scope: what a
    // broadcast-and-filter-in-the-client design would have sent in vain.
    quint64 deliveriesAvoided = 0;
    quint64 hiddenByPersonalMutes = 0;
};

class Router : public QObject
{
    Q_OBJECT
public:
    // `mutes` may be null (no personal mutes apply).
    explicit Router(PlayerRegistry *registry, const MuteRegistry *mutes = nullptr, QObject *parent = nullptr);

    // Returns the number of connections the message was sent to.
    int deliver(const QByteArray &subject, const QJsonObject &message);
    const RouterStats &stats() const { return m_stats; }

private:
    PlayerRegistry *m_registry;
    const MuteRegistry *m_mutes;
    RouterStats m_stats;
};

} // namespace mythos
