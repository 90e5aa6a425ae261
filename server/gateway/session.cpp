#include "gateway/session.h"

#include "protocol/wirenames.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSession, "mythos.server.session")

namespace mythos {

namespace {
// A client that does not answer our close frame is dropped after this long.
constexpr int kCloseGraceMs = 2000;
// Until a client has authenticated it may only send small frames: an anonymous connection
// must not make the server hold megabytes of a half-sent frame.
constexpr qint64 kUnauthenticatedMessageBytes = 16 * 1024;
}

Session::Session(std::unique_ptr<ws::WsConnection> connection, const SessionLimits &limits, QObject *parent)
    : QObject(parent), m_connection(std::move(connection)), m_limits(limits)
{
    m_connection->setHandler(this);
    m_connection->setMaxMessageBytes(std::min(kUnauthenticatedMessageBytes, m_limits.maxFrameBytes * 4));
    m_deadline = std::make_unique<QTimer>();
    m_deadline->setSingleShot(true);
    connect(m_deadline.get(), &QTimer::timeout, this, [this] {
        sendError({ ErrorCode::Unauthenticated,
                    QStringLiteral("no auth within %1 s").arg(m_limits.authTimeoutMs / 1000) });
        close(ws::PolicyViolated, QStringLiteral("authentication timeout"));
    });
    m_deadline->start(m_limits.authTimeoutMs);
}

Session::~Session()
{
    m_connection->setHandler(nullptr);
}

void Session::markAuthenticated()
{
    if (m_closing)
        return;
    m_deadline.reset();
    // Frames a little over the payload limit get a polite error; far larger ones are cut off
    // (close 1009) before they are buffered.
    m_connection->setMaxMessageBytes(m_limits.maxFrameBytes * 4);
    Q_EMIT authenticated();
}

void Session::countAbuse()
{
    if (!m_abuseWindow.isValid() || m_abuseWindow.elapsed() > m_limits.abuseWindowMs) {
        m_abuseWindow.start();
        m_abuseCount = 0;
    }
    if (++m_abuseCount > m_limits.abuseLimit)
        close(ws::PolicyViolated, QStringLiteral("too many invalid frames"));
}

void Session::messageReceived(ws::Opcode opcode, QByteArray &&payload)
{
    if (m_closing)
        return;
    if (opcode == ws::Opcode::Binary) {
        sendError(
                { ErrorCode::InvalidRequest, QStringLiteral("binary frames are not accepted; send JSON text frames") });
        countAbuse();
        return;
    }
    onText(payload);
}

void Session::onText(const QByteArray &utf8)
{
    if (utf8.size() > m_limits.maxFrameBytes) {
        sendError(
                { ErrorCode::PayloadTooLarge,
                  QStringLiteral("frame is %1 bytes; the limit is %2").arg(utf8.size()).arg(m_limits.maxFrameBytes) });
        countAbuse();
        return;
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &err);
    if (err.error != QJsonParseError::NoError) {
        sendError({ ErrorCode::InvalidJson,
                    QStringLiteral("invalid JSON at offset %1: %2").arg(err.offset).arg(err.errorString()) });
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

void Session::keepAlive()
{
    if (m_closing)
        return;
    if (m_connection->takeHeardFrom()) {
        m_pinged = false;
        return;
    }
    if (!m_pinged) {
        m_pinged = true;
        m_connection->sendPing();
        return;
    }
    qCInfo(lcSession).noquote() << peer() << "did not answer a ping; dropping the connection";
    m_connection->abort();
}

void Session::closingStarted()
{
    if (m_closing)
        return;
    m_closing = true;
    armCloseDeadline();
}

void Session::connectionClosed()
{
    m_deadline.reset();
    Q_EMIT disconnected();
}

void Session::deliver(const EncodedEvent &event)
{
    writeEvent(event);
}

void Session::sendEvent(const QString &eventType, const QJsonObject &data)
{
    writeEvent(EncodedEvent::encode(eventType, data));
}

void Session::sendError(const ChatError &error, const QString &ref)
{
    sendEvent(wire::event::error, events::error(error, ref));
}

void Session::writeEvent(const EncodedEvent &event)
{
    if (m_closing)
        return;
    // Only the backlog counts: one large reply (a long history) is not a client that stopped reading.
    const qint64 backlog = m_connection->pendingBytes();
    if (backlog > m_limits.hardOutboundBytes) {
        qCWarning(lcSession).noquote() << peer() << "outbound queue" << backlog << "bytes, over the hard limit of"
                                       << m_limits.hardOutboundBytes << "; closing";
        Q_EMIT droppedAsSlow(true);
        close(ws::PolicyViolated, QStringLiteral("outbound queue full: client is not reading"));
        return;
    }
    if (backlog <= m_limits.maxOutboundBytes) {
        m_backlogSince.invalidate();
    } else if (!m_backlogSince.isValid() || m_connection->bytesWritten() != m_backlogWritten) {
        // Behind, but (still) draining: a burst, not a stalled reader. The grace restarts.
        m_backlogSince.start();
        m_backlogWritten = m_connection->bytesWritten();
    } else if (m_backlogSince.hasExpired(m_limits.slowClientMs)) {
        qCWarning(lcSession).noquote() << peer() << "outbound queue over" << m_limits.maxOutboundBytes
                                       << "bytes and nothing written for" << m_limits.slowClientMs << "ms; closing";
        Q_EMIT droppedAsSlow(false);
        close(ws::PolicyViolated, QStringLiteral("outbound queue full: client is not reading"));
        return;
    }
    m_connection->sendEvent(event, ++m_sequence);
}

void Session::close(quint16 code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_connection->close(code, reason);
    armCloseDeadline();
}

void Session::armCloseDeadline()
{
    // A client that does not read will not complete the closing handshake either.
    m_deadline = std::make_unique<QTimer>();
    m_deadline->setSingleShot(true);
    connect(m_deadline.get(), &QTimer::timeout, this, [this] { m_connection->abort(); });
    m_deadline->start(kCloseGraceMs);
}

} // namespace mythos
