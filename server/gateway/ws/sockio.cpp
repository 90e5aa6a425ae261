#include "gateway/ws/sockio.h"

#include <QHostAddress>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace mythos::ws::sockio {

namespace {
bool wouldBlock()
{
#ifdef Q_OS_WIN
    return WSAGetLastError() == WSAEWOULDBLOCK;
#else
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
#endif
}

qsizetype receiveFlags(Fd fd, char *buffer, qsizetype size, int flags)
{
#ifdef Q_OS_WIN
    const int n = ::recv(static_cast<SOCKET>(fd), buffer, static_cast<int>(size), flags);
#else
    const ssize_t n = ::recv(static_cast<int>(fd), buffer, static_cast<size_t>(size), flags);
#endif
    if (n >= 0)
        return n;
    return wouldBlock() ? WouldBlock : Failed;
}
} // namespace

qsizetype receive(Fd fd, char *buffer, qsizetype size)
{
    return receiveFlags(fd, buffer, size, 0);
}

qsizetype peek(Fd fd, char *buffer, qsizetype size)
{
    return receiveFlags(fd, buffer, size, MSG_PEEK);
}

qsizetype send(Fd fd, const char *data, qsizetype size)
{
#ifdef Q_OS_WIN
    const int n = ::send(static_cast<SOCKET>(fd), data, static_cast<int>(size), 0);
#else
    // MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE for the process.
    const ssize_t n = ::send(static_cast<int>(fd), data, static_cast<size_t>(size), MSG_NOSIGNAL);
#endif
    if (n >= 0)
        return n;
    return wouldBlock() ? WouldBlock : Failed;
}

void setNonBlocking(Fd fd)
{
#ifdef Q_OS_WIN
    u_long on = 1;
    ::ioctlsocket(static_cast<SOCKET>(fd), FIONBIO, &on);
#else
    const int flags = ::fcntl(static_cast<int>(fd), F_GETFL, 0);
    ::fcntl(static_cast<int>(fd), F_SETFL, flags | O_NONBLOCK);
#endif
}

void setNoDelay(Fd fd)
{
    int on = 1;
#ifdef Q_OS_WIN
    ::setsockopt(static_cast<SOCKET>(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&on), sizeof on);
#else
    ::setsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
#endif
}

void closeSocket(Fd fd)
{
#ifdef Q_OS_WIN
    ::closesocket(static_cast<SOCKET>(fd));
#else
    ::close(static_cast<int>(fd));
#endif
}

namespace {
bool peerOf(Fd fd, sockaddr_storage &address)
{
#ifdef Q_OS_WIN
    int length = sizeof address;
    return ::getpeername(static_cast<SOCKET>(fd), reinterpret_cast<sockaddr *>(&address), &length) == 0;
#else
    socklen_t length = sizeof address;
    return ::getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr *>(&address), &length) == 0;
#endif
}
} // namespace

QString peerAddress(Fd fd)
{
    sockaddr_storage address {};
    if (!peerOf(fd, address))
        return {};
    QHostAddress host(reinterpret_cast<const sockaddr *>(&address));
    const quint16 port = address.ss_family == AF_INET6
            ? ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port)
            : ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    return host.toString() + QLatin1Char(':') + QString::number(port);
}

QString peerHost(Fd fd)
{
    sockaddr_storage address {};
    if (!peerOf(fd, address))
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address)).toString();
}

} // namespace mythos::ws::sockio
