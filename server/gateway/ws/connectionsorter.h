#pragma once
// Decides what a new connection on the gateway port is before anyone reads from it: a
// WebSocket upgrade to /ws goes to our own transport (its request head consumed here), any
// other request goes to QHttpServer untouched. The head is looked at with MSG_PEEK, so HTTP
// clients' bytes stay in the socket for Qt to read.
// Connections still sending their head are bounded: at the cap the oldest one is evicted, so a
// flood of silent connections cannot lock out a player who connects after it.

#include "gateway/ws/arrivalorder.h"
#include "gateway/ws/sockio.h"
#include "gateway/ws/wsframing.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <functional>
#include <memory>

namespace mythos::ws {

class ConnectionSorter : public QObject
{
    Q_OBJECT
public:
    using ToHttp = std::function<void(sockio::Fd fd)>;
    using ToWebSocket = std::function<void(sockio::Fd fd, RequestHead &&head)>;

    struct Limits
    {
        // Connections still sending their request head at once; at the cap the oldest goes.
        qsizetype maxPending = 2048;
        // The same per peer address (0: no per-address cap; behind a proxy all share one).
        qsizetype maxPendingPerAddress = 0;
    };

    ConnectionSorter(ToHttp toHttp, ToWebSocket toWebSocket, QObject *parent = nullptr);
    ~ConnectionSorter() override;

    void setLimits(const Limits &limits) { m_limits = limits; }
    void sort(sockio::Fd fd);
    qsizetype waiting() const { return m_pending.size(); }
    // Connections closed to make room: at the overall cap, and at the per-address cap.
    quint64 evictedAtCap() const { return m_evictedAtCap; }
    quint64 evictedPerAddress() const { return m_evictedPerAddress; }

private:
    struct Pending
    {
        std::unique_ptr<QSocketNotifier> notifier;
        QElapsedTimer since;
    };
    void examine(sockio::Fd fd);
    void drop(sockio::Fd fd);
    // Stops watching `fd` without closing it (it is being handed on).
    void release(sockio::Fd fd);

    void sweep();
    void evict(sockio::Fd fd);

    ToHttp m_toHttp;
    ToWebSocket m_toWebSocket;
    QHash<sockio::Fd, std::shared_ptr<Pending>> m_pending;
    ArrivalOrder<sockio::Fd> m_arrivals;
    Limits m_limits;
    quint64 m_evictedAtCap = 0;
    quint64 m_evictedPerAddress = 0;
    QElapsedTimer m_lastEvictionLog;
    QTimer m_sweep; // drops connections that never finish (or never start) their request head
};

} // namespace mythos::ws
