#pragma once
// One WebSocket connection: framing-level checks (binary, size, JSON object), the per-connection
// sequence number, the authentication deadline and the bounded outbound queue. What a frame
// means is the ClientHandler's business.

#include "chat/identity.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace mythos {

struct SessionLimits
{
    qint64 maxFrameBytes = 1048576; // larger frames get payload_too_large
    qint64 maxOutboundBytes = 1024 * 1024; // unsent bytes before a non-reading client is dropped
    int authTimeoutMs = 10000;
    int abuseLimit = 20; // bad frames tolerated per abuse window
    int abuseWindowMs = 10000;
};

class Session : public QObject, public EventSink
{
    Q_OBJECT
public:
    Session(std::unique_ptr<QWebSocket> socket, const SessionLimits &limits, QObject *parent = nullptr);
    ~Session() override;

    void deliver(const EncodedEvent &event) override;
    void sendEvent(const QString &eventType, const QJsonObject &data);
    void sendError(const ChatError &error, const QString &ref = {});
    void close(QWebSocketProtocol::CloseCode code, const QString &reason);
    // Call once the client is authenticated: stops the authentication deadline.
    void markAuthenticated();
    // Counts a frame the client should not have sent; too many in a window closes the session.
    void countAbuse();

    QByteArray authorizationHeader() const;
    QString peer() const;
    bool isClosing() const { return m_closing; }
    quint64 eventsSent() const { return m_sequence; }

Q_SIGNALS:
    void requestReceived(const QJsonObject &frame);
    void disconnected();

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void write(const QByteArray &frame);

    std::unique_ptr<QWebSocket> m_socket;
    SessionLimits m_limits;
    quint64 m_sequence = 0;
    QTimer m_authDeadline;
    QElapsedTimer m_abuseWindow;
    int m_abuseCount = 0;
    bool m_closing = false;
};

} // namespace mythos
