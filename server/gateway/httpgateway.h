#pragma once
// The single listening port: HTTP routes and the WebSocket endpoint at /ws (Qt 6.4 hands an
// upgrade to the WebSocket side only when a route accepts it without writing a response).

#include "gateway/clienthandler.h"
#include "gateway/session.h"
#include "gateway/ws/poller.h"

#include <QHttpServer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace mythos {

class GatewayListener;

class HttpGateway : public QObject
{
    Q_OBJECT
public:
    struct HealthReport
    {
        QJsonObject body;
        bool serving = true;
    };

    HttpGateway(const ClientServices &services, const SessionLimits &limits, int maxConnections,
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
    // HTTP requests refused for their size before they were buffered.
    quint64 oversizedRequests() const;
    QHttpServer &http() { return m_http; }

private:
    void openWebSocket(ws::sockio::Fd fd, ws::RequestHead &&head);

    QHttpServer m_http;
    std::unique_ptr<ws::Poller> m_poller = ws::Poller::create();
    QTimer m_keepAlive;
    ClientServices m_services;
    SessionLimits m_limits;
    int m_maxConnections;
    std::function<HealthReport()> m_health;
    QHash<Session *, ClientHandler *> m_sessions;
    GatewayListener *m_sizeGuard = nullptr; // owned by m_http
    bool m_accepting = true;
    quint64 m_refused = 0;
    quint64 m_slowStalled = 0;
    quint64 m_slowOverHard = 0;
};

} // namespace mythos
