#pragma once
// One player connection: framing-level checks (binary, size, JSON object), the per-connection
// sequence number, the authentication deadline and the bounded outbound queue. What a frame
// means is the ClientHandler's business; bytes and WebSocket frames are the WsConnection's.

#include "chat/identity.h"
#include "gateway/ws/wsconnection.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <memory>

namespace mythos {

struct SessionLimits
{
    qint64 maxFrameBytes = 1048576; // larger frames get payload_too_large
    // Slow-client policy: a backlog above the soft limit is tolerated while the client keeps
    // draining; it is dropped when the backlog stays above it for slowClientMs with no byte
    // written, or at once past the hard limit (which is what bounds memory).
    qint64 maxOutboundBytes = 1024 * 1024;
    qint64 hardOutboundBytes = 4 * 1024 * 1024;
    int slowClientMs = 5000;
    int authTimeoutMs = 10000;
    int abuseLimit = 20; // bad frames tolerated per abuse window
    int abuseWindowMs = 10000;
    // A connection silent for one interval is pinged; silent for another, it is dropped
    // (half-open connections of players whose network went away).
    int keepAliveMs = 30000;
    // Answer a client's permessage-deflate offer (RFC 7692); off: never negotiated.
    bool permessageDeflate = true;
};

class Session : public QObject, public EventSink, private ws::WsConnection::Handler
{
    Q_OBJECT
public:
    Session(std::unique_ptr<ws::WsConnection> connection, const SessionLimits &limits, QObject *parent = nullptr);
    ~Session() override;

    void deliver(const EncodedEvent &event) override;
    void sendEvent(const QString &eventType, const QJsonObject &data);
    void sendError(const ChatError &error, const QString &ref = {});
    void close(quint16 code, const QString &reason);
    // Call once the client is authenticated: stops the authentication deadline.
    void markAuthenticated();
    // Counts a frame the client should not have sent; too many in a window closes the session.
    void countAbuse();

    QByteArray authorizationHeader() const { return m_connection->request().authorization; }
    QString peer() const { return m_connection->peer(); }
    bool isClosing() const { return m_closing; }
    // Called every keep-alive interval: pings a quiet client, drops one that stayed quiet.
    void keepAlive();
    quint64 eventsSent() const { return m_sequence; }

Q_SIGNALS:
    void requestReceived(const QJsonObject &frame);
    void disconnected();
    void authenticated();
    // The session is being closed because it did not keep up; `overHardLimit` tells which rule.
    void droppedAsSlow(bool overHardLimit);

private:
    void messageReceived(ws::Opcode opcode, QByteArray &&payload) override;
    void closingStarted() override;
    void connectionClosed() override;
    void armCloseDeadline();
    void onText(const QByteArray &utf8);
    void writeEvent(const EncodedEvent &event);

    std::unique_ptr<ws::WsConnection> m_connection;
    SessionLimits m_limits;
    quint64 m_sequence = 0;
    // Only armed until authentication (and while closing): most connections carry no timer.
    std::unique_ptr<QTimer> m_deadline;
    QElapsedTimer m_abuseWindow;
    int m_abuseCount = 0;
    bool m_closing = false;
    bool m_pinged = false;
    // Since when the backlog has been above the soft limit, and how much was written then.
    QElapsedTimer m_backlogSince;
    quint64 m_backlogWritten = 0;
};

} // namespace mythos
