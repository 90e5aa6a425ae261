#include "gateway/gatewaylistener.h"

#include "protocol/event.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

Q_LOGGING_CATEGORY(lcRequestSize, "mythos.server.http")

namespace mythos {

namespace {
// Room for the request line and headers on top of the largest body a route accepts.
constexpr qint64 kHeaderAllowance = 64 * 1024;
// An HTTP connection with no traffic for this long is closed. Besides idle keep-alive
// connections this catches one Qt 6.4 leaks: after a request it cannot parse, QHttpServer
// disconnects every signal of the socket (its own clean-up too) and never closes it.
constexpr int kHttpIdleMs = 60000;
// After the process ran out of files, accepting is retried after this pause.
constexpr int kAcceptRetryMs = 500;

} // namespace

qint64 declaredContentLength(const QByteArray &bytes)
{
    const qsizetype headEnd = bytes.indexOf("\r\n\r\n");
    const QByteArray head = (headEnd < 0 ? bytes : bytes.left(headEnd)).toLower();
    const qsizetype at = head.indexOf("\r\ncontent-length:");
    if (at < 0)
        return -1;
    const qsizetype valueStart = at + 17;
    const qsizetype lineEnd = head.indexOf("\r\n", valueStart);
    if (lineEnd < 0 && headEnd < 0)
        return -1; // the line is not complete yet
    bool ok = false;
    const qint64 length = head.mid(valueStart, lineEnd < 0 ? -1 : lineEnd - valueStart).trimmed().toLongLong(&ok);
    return ok ? length : -1;
}

GatewayListener::GatewayListener(qint64 maxRequestBytes, ws::ConnectionSorter::ToWebSocket toWebSocket, QObject *parent)
    : QTcpServer(parent), m_maxRequestBytes(maxRequestBytes + kHeaderAllowance),
      m_sorter([this](ws::sockio::Fd fd) { toHttp(fd); }, std::move(toWebSocket))
{
    // QTcpServer pauses accepting for good on an error such as "too many open files"; the
    // gateway must come back once connections have gone.
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qCWarning(lcRequestSize) << "accepting a connection failed:" << error << "- retrying in" << kAcceptRetryMs
                                 << "ms";
        QTimer::singleShot(kAcceptRetryMs, this, [this] { resumeAccepting(); });
    });
}

void GatewayListener::incomingConnection(qintptr socketDescriptor)
{
    m_sorter.sort(socketDescriptor);
}

void GatewayListener::toHttp(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcRequestSize) << "cannot take an accepted connection:" << socket->errorString();
        delete socket;
        ws::sockio::closeSocket(socketDescriptor);
        return;
    }
    watch(socket); // connected before the HTTP server's reader, so it runs first
    addPendingConnection(socket);
    // Sorted later than incomingConnection(): say so, whichever signal the HTTP server follows.
    Q_EMIT newConnection();
}

void GatewayListener::watch(QTcpSocket *socket)
{
    // The watchdog is the socket's child and the sender of its own signal, so it survives
    // QHttpServer disconnecting the socket's signals.
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    idle->start(kHttpIdleMs);
    connect(idle, &QTimer::timeout, idle, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    // Bytes of the current request. A reply means the request is over (HTTP/1.1 without
    // pipelining, which is what clients of this API do); pipelined requests count together.
    auto received = std::make_shared<qint64>(0);
    connect(socket, &QTcpSocket::bytesWritten, socket, [received, idle] {
        *received = 0;
        idle->start(kHttpIdleMs);
    });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, received, idle] {
        idle->start(kHttpIdleMs);
        // The parser has consumed everything before this signal: what is available is new.
        const qint64 fresh = socket->bytesAvailable();
        const bool requestStart = *received == 0;
        *received += fresh;
        if (*received > m_maxRequestBytes)
            return refuse(socket, QStringLiteral("the request is larger than %1 bytes").arg(m_maxRequestBytes));
        if (requestStart) {
            const qint64 declared = declaredContentLength(socket->peek(std::min<qint64>(fresh, kHeaderAllowance)));
            if (declared > m_maxRequestBytes - kHeaderAllowance)
                refuse(socket,
                       QStringLiteral("the body is %1 bytes; the limit is %2")
                               .arg(declared)
                               .arg(m_maxRequestBytes - kHeaderAllowance));
        }
    });
}

void GatewayListener::refuse(QTcpSocket *socket, const QString &why)
{
    ++m_refused;
    qCInfo(lcRequestSize).noquote() << "HTTP request from" << socket->peerAddress().toString() << "refused:" << why;
    // Nothing more of this connection reaches the HTTP parser; what it buffered is dropped and
    // the rest is read and discarded until the close, so the client sees the 413 and no reset.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->skip(socket->bytesAvailable());
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->write(events::httpErrorResponse(413, "Payload Too Large", errorCodeName(ErrorCode::PayloadTooLarge), why));
    // A lingering close: a full close while the client is still sending would make its kernel
    // discard our reply on the reset. So only our side is shut once the reply is out, the
    // rest is read and dropped until the client closes, and a timer ends it in any case.
    auto shutWrite = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
#ifdef Q_OS_WIN
            ::shutdown(static_cast<SOCKET>(socket->socketDescriptor()), SD_SEND);
#else
            ::shutdown(static_cast<int>(socket->socketDescriptor()), SHUT_WR);
#endif
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, shutWrite);
    socket->flush();
    shutWrite();
    QTimer::singleShot(5000, socket, &QTcpSocket::abort);
}

} // namespace mythos
