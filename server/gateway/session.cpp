#include "gateway/session.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSession, "mythos.server.session")

namespace mythos {

Session::Session(std::unique_ptr<QWebSocket> socket, const SessionLimits &limits, QObject *parent)
    : QObject(parent), m_socket(std::move(socket)), m_limits(limits)
{
    // Frames a little over the payload limit get a polite error; far larger ones are cut off
    // by Qt (close code 1009) before they can be buffered.
    m_socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(m_limits.maxFrameBytes) * 4);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &Session::onTextMessage);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, &Session::onBinaryMessage);
    connect(m_socket.get(), &QWebSocket::disconnected, this, &Session::disconnected);

    m_authDeadline.setSingleShot(true);
    connect(&m_authDeadline, &QTimer::timeout, this, [this] {
        sendError({ ErrorCode::Unauthenticated, QStringLiteral("no auth within %1 s").arg(m_limits.authTimeoutMs / 1000) });
        close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("authentication timeout"));
    });
    m_authDeadline.start(m_limits.authTimeoutMs);
    m_abuseWindow.start();
}

Session::~Session()
{
    m_socket->disconnect(this);
}

QByteArray Session::authorizationHeader() const
{
    return m_socket->request().rawHeader("Authorization");
}

QString Session::peer() const
{
    return m_socket->peerAddress().toString() + QLatin1Char(':') + QString::number(m_socket->peerPort());
}

void Session::markAuthenticated()
{
    m_authDeadline.stop();
}

void Session::countAbuse()
{
    if (m_abuseWindow.elapsed() > m_limits.abuseWindowMs) {
        m_abuseWindow.restart();
        m_abuseCount = 0;
    }
    if (++m_abuseCount > m_limits.abuseLimit)
        close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too many invalid frames"));
}

void Session::onTextMessage(const QString &text)
{
    if (m_closing)
        return;
    const QByteArray utf8 = text.toUtf8();
    if (utf8.size() > m_limits.maxFrameBytes) {
        sendError({ ErrorCode::PayloadTooLarge,
                    QStringLiteral("frame is %1 bytes; the limit is %2").arg(utf8.size()).arg(m_limits.maxFrameBytes) });
        countAbuse();
        return;
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &err);
    if (err.error != QJsonParseError::NoError) {
        sendError({ ErrorCode::InvalidJson, QStringLiteral("invalid JSON at offset %1: %2").arg(err.offset).arg(err.errorString()) });
        countAbuse();
        return;
    }
    if (!doc.isObject()) {
        sendError({ ErrorCode::InvalidRequest, QStringLiteral("a frame must be a JSON object") });
        countAbuse();
        return;
    }
    Q_EMIT requestReceived(doc.object());
}

void Session::onBinaryMessage(const QByteArray &)
{
    if (m_closing)
        return;
    sendError({ ErrorCode::InvalidRequest, QStringLiteral("binary frames are not accepted; send JSON text frames") });
    countAbuse();
}

void Session::deliver(const EncodedEvent &event)
{
    write(event.frame(++m_sequence));
}

void Session::sendEvent(const QString &eventType, const QJsonObject &data)
{
    deliver(EncodedEvent::encode(eventType, data));
}

void Session::sendError(const ChatError &error, const QString &ref)
{
    sendEvent(QStringLiteral("error"), events::error(error, ref));
}

void Session::write(const QByteArray &frame)
{
    if (m_closing)
        return;
    if (m_socket->bytesToWrite() > m_limits.maxOutboundBytes) {
        // Only the backlog counts: one large reply (a long history) is not a client that stopped reading.
        // The client stopped reading: let it go rather than buffer without bound.
        qCWarning(lcSession) << peer() << "outbound queue over" << m_limits.maxOutboundBytes << "bytes; closing";
        close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("outbound queue full: client is not reading"));
        return;
    }
    m_socket->sendTextMessage(QString::fromUtf8(frame));
}

void Session::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_authDeadline.stop();
    m_socket->close(code, reason);
    // A client that does not read will not complete the closing handshake either.
    QTimer::singleShot(2000, m_socket.get(), &QWebSocket::abort);
}

} // namespace mythos
