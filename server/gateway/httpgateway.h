#pragma once
// The single listening port: HTTP routes and the WebSocket endpoint at /ws (Qt 6.4 hands an
// upgrade to the WebSocket side only when a route accepts it without writing a response).

#include "gateway/clienthandler.h"
#include "gateway/session.h"
#include "gateway/ws/arrivalorder.h"
#include "gateway/ws/poller.h"

#include <QHttpServer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace mythos {

class GatewayListener;

// Who may hold a connection. Under a flood the oldest connection that has not proven itself
// (no complete request head yet, or upgraded but not authenticated) is evicted to make room
// for the newest; authenticated players are never evicted for it.
struct AdmissionLimits
{
    int maxConnections = 18000; // WebSocket sessions; beyond it the oldest unauthenticated goes
    int maxPendingHeads = 2048; // connections still sending their request head
    // Per peer address, for pending heads and for unauthenticated sessions each (0: no cap).
    int maxUnauthenticatedPerAddress = 0;
};

class HttpGateway : public QObject
{
    Q_OBJECT
public:
    struct HealthReport
    {
        QJsonObject body;
        bool serving = true;
    };

    HttpGateway(const ClientServices &services, const SessionLimits &limits, const AdmissionLimits &admission,
                std::function<HealthReport()> health, QObject *parent = nullptr);
    ~HttpGateway() override;

    // Returns the bound port, or 0 with `error` set.
    quint16 listen(const QHostAddress &address, quint16 port, QString *error);
    // Stops accepting and closes every session with a "going away" close.
    void closeAll();
    int connectionCount() const { return static_cast<int>(m_sessions.size()); }
    quint64 connectionsRefused() const { return m_refused; }
    // Sessions closed by the slow-client policy: stalled past the grace, or past the hard cap.
    quint64 slowClientsStalled() const { return m_slowStalled; }
    quint64 slowClientsOverHardLimit() const { return m_slowOverHard; }
    // Connections evicted to make room for newer ones (AdmissionLimits).
    quint64 evictedPendingHeads() const;
    quint64 evictedUnauthenticated() const { return m_evictedUnauthenticated; }
    quint64 evictedPerAddress() const;
    // HTTP requests refused for their size before they were buffered.
    quint64 oversizedRequests() const;
    QHttpServer &http() { return m_http; }

private:
    void openWebSocket(ws::sockio::Fd fd, ws::RequestHead &&head);
    // Closes the oldest unauthenticated session (from `address` when given); false if none.
    bool evictUnauthenticated(const std::optional<QString> &address);

    QHttpServer m_http;
    std::unique_ptr<ws::Poller> m_poller = ws::Poller::create();
    QTimer m_keepAlive;
    ClientServices m_services;
    SessionLimits m_limits;
    AdmissionLimits m_admission;
    std::function<HealthReport()> m_health;
    QHash<Session *, ClientHandler *> m_sessions;
    ws::ArrivalOrder<Session *> m_unauthenticated; // open sessions that have not authenticated
    GatewayListener *m_sizeGuard = nullptr; // owned by m_http
    bool m_accepting = true;
    quint64 m_refused = 0;
    quint64 m_slowStalled = 0;
    quint64 m_slowOverHard = 0;
    quint64 m_evictedUnauthenticated = 0;
    quint64 m_evictedPerAddressSessions = 0;
};

} // namespace mythos
