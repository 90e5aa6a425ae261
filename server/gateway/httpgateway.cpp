#include "gateway/httpgateway.h"

#include "gateway/httpresponse.h"
#include "protocol/event.h"

#include "gateway/gatewaylistener.h"
#include "gateway/webpage.h"
#include "gateway/ws/permessagedeflate.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTcpServer>

Q_LOGGING_CATEGORY(lcGateway, "mythos.server.gateway")

namespace mythos {

namespace {
bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    return request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

} // namespace

HttpGateway::HttpGateway(const ClientServices &services, const SessionLimits &limits, const AdmissionLimits &admission,
                         std::function<HealthReport()> health, QObject *parent)
    : QObject(parent), m_services(services), m_limits(limits), m_admission(admission), m_health(std::move(health))
{
    // Valid upgrades never get here (the listener hands them to our transport first); this
    // answers everything else sent to /ws, incomplete handshakes included.
    m_http.route(QStringLiteral("/ws"), [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QString message = isWebSocketUpgrade(request)
                ? QStringLiteral("incomplete WebSocket handshake: it needs Connection: Upgrade and Sec-WebSocket-Key")
                : QStringLiteral("/ws is a WebSocket endpoint");
        writeHttpJson(responder, HttpStatus::BadRequest,
                      events::httpErrorBody(QStringLiteral("invalid_request"), message));
    });
    m_http.route(QStringLiteral("/health"), [this](const QHttpServerRequest &, QHttpServerResponder &&responder) {
        const HealthReport report = m_health();
        writeHttpJson(responder, report.serving && m_accepting ? HttpStatus::Ok : HttpStatus::ServiceUnavailable,
                      report.body);
    });
    WebPage::addRoutes(m_http); // the player page at / and JSON 404s for unknown paths
    m_keepAlive.setInterval(m_limits.keepAliveMs);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        const auto sessions = m_sessions.keys();
        for (Session *session : sessions)
            session->keepAlive();
    });
    m_keepAlive.start();
}

HttpGateway::~HttpGateway()
{
    // Handlers detach players from the registry; do it while everything still exists.
    const auto sessions = m_sessions.keys();
    for (Session *s : sessions) {
        delete m_sessions.take(s);
        delete s;
    }
}

quint16 HttpGateway::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto *guard = new GatewayListener(
            m_limits.maxFrameBytes,
            [this](ws::sockio::Fd fd, ws::RequestHead &&head) { openWebSocket(fd, std::move(head)); }, &m_http);
    // Qt's default backlog (50) drops connection attempts during a login storm (thousands of
    // players after a restart), each then waiting a second to retry.
    guard->setListenBacklogSize(4096);
    if (!guard->listen(address, port)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2 (%3)")
                             .arg(address.toString())
                             .arg(port)
                             .arg(guard->errorString());
        delete guard;
        return 0;
    }
    guard->sorter().setLimits({ m_admission.maxPendingHeads, m_admission.maxUnauthenticatedPerAddress });
    m_sizeGuard = guard;
    m_http.bind(guard);
    return guard->serverPort();
}

quint64 HttpGateway::oversizedRequests() const
{
    return m_sizeGuard ? m_sizeGuard->refused() : 0;
}

quint64 HttpGateway::evictedPendingHeads() const
{
    return m_sizeGuard ? m_sizeGuard->sorter().evictedAtCap() : 0;
}

quint64 HttpGateway::evictedPerAddress() const
{
    return m_evictedPerAddressSessions + (m_sizeGuard ? m_sizeGuard->sorter().evictedPerAddress() : 0);
}

bool HttpGateway::evictUnauthenticated(const std::optional<QString> &address)
{
    for (;;) {
        const std::optional<Session *> oldest =
                address ? m_unauthenticated.oldestFrom(*address) : m_unauthenticated.oldest();
        if (!oldest)
            return false;
        Session *session = *oldest;
        m_unauthenticated.remove(session);
        if (session->isClosing())
            continue; // already on its way out (failed auth, deadline): frees nothing new
        const QString reason = address ? QStringLiteral("too many unauthenticated connections from this address")
                                       : QStringLiteral("server full: evicted before authenticating");
        qCInfo(lcGateway).noquote() << session->peer() << "evicted:" << reason;
        session->close(ws::TryAgainLater, reason);
        return true;
    }
}

void HttpGateway::openWebSocket(ws::sockio::Fd fd, ws::RequestHead &&head)
{
    if (head.version != "13") {
        const QByteArray refusal = events::httpErrorResponse(426, "Upgrade Required", QStringLiteral("invalid_request"),
                                                             QStringLiteral("only WebSocket version 13 is supported"),
                                                             "Sec-WebSocket-Version: 13\r\n");
        ws::sockio::send(fd, refusal.constData(), refusal.size());
        ws::sockio::closeSocket(fd);
        return;
    }
    // Extensions are settled here; the offer is not kept with the connection (memory per player).
    const std::optional<ws::DeflateAgreement> deflate =
            m_limits.permessageDeflate ? ws::negotiateDeflate(head.extensions) : std::nullopt;
    head.extensions = QByteArray();
    // Frames a little over the payload limit get a polite error; far larger ones are cut off
    // (close 1009) before they are buffered.
    auto connection =
            std::make_unique<ws::WsConnection>(fd, std::move(head), m_poller.get(), m_limits.maxFrameBytes * 4);
    if (deflate) {
        connection->enableDeflate(deflate->compressWindowBits());
        ++ws::deflateCounters().connections;
    }
    connection->sendRaw(
            ws::handshakeResponse(connection->request(), deflate ? ws::deflateResponseHeader(*deflate) : QByteArray()));
    auto *session = new Session(std::move(connection), m_limits, this);
    // Connected before the handler exists (it may refuse a bad Authorization header and
    // close at once) and queued, so a session closing in the middle of a broadcast is only
    // torn down after the loop that closed it.
    m_sessions.insert(session, nullptr);
    connect(session, &Session::authenticated, this, [this, session] { m_unauthenticated.remove(session); });
    connect(
            session, &Session::disconnected, this,
            [this, session] {
                m_unauthenticated.remove(session);
                const auto it = m_sessions.find(session);
                if (it == m_sessions.end())
                    return;
                delete it.value();
                m_sessions.erase(it);
                session->deleteLater();
            },
            Qt::QueuedConnection);
    connect(session, &Session::droppedAsSlow, this,
            [this](bool overHardLimit) { ++(overHardLimit ? m_slowOverHard : m_slowStalled); });
    if (!m_accepting) {
        ++m_refused;
        session->close(ws::TryAgainLater, QStringLiteral("server shutting down"));
        return;
    }
    // Room is made by evicting the oldest connection that has not authenticated: refusing the
    // newest instead would let anyone who opens enough idle upgrades lock every player out.
    const int perAddress = m_admission.maxUnauthenticatedPerAddress;
    const QString address = perAddress > 0 ? ws::sockio::peerHost(fd) : QString();
    if (perAddress > 0 && m_unauthenticated.countFrom(address) >= perAddress && evictUnauthenticated(address))
        ++m_evictedPerAddressSessions;
    if (connectionCount() > m_admission.maxConnections) {
        if (evictUnauthenticated(std::nullopt)) {
            ++m_evictedUnauthenticated;
        } else {
            ++m_refused; // everyone else is a player: they are not pushed out for a newcomer
            session->close(ws::TryAgainLater, QStringLiteral("server full"));
            return;
        }
    }
    m_unauthenticated.add(session, address);
    m_sessions[session] = new ClientHandler(session, m_services, this);
}

void HttpGateway::closeAll()
{
    m_accepting = false;
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it)
        it.key()->close(ws::GoingAway, QStringLiteral("server shutting down"));
}

} // namespace mythos
