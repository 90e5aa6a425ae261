#pragma once
// The handful of socket calls the WebSocket transport makes, for POSIX and Winsock alike.
// Sockets are non-blocking; results say "would block" instead of waiting.

#include <QString>
#include <QtGlobal>

namespace mythos::ws::sockio {

using Fd = qintptr;

enum : qsizetype { WouldBlock = -1, Failed = -2 };

// Bytes read (0: the peer closed), WouldBlock or Failed.
qsizetype receive(Fd fd, char *buffer, qsizetype size);
// The same, leaving the bytes in the socket.
qsizetype peek(Fd fd, char *buffer, qsizetype size);
// Bytes written (possibly fewer than asked), WouldBlock or Failed.
qsizetype send(Fd fd, const char *data, qsizetype size);
void setNonBlocking(Fd fd);
// Frames go out as soon as they are written: we already batch per event-loop pass, and Nagle's
// algorithm with the client's delayed ACKs would hold small frames back by up to 40 ms.
void setNoDelay(Fd fd);
void closeSocket(Fd fd);
QString peerAddress(Fd fd); // "address:port"
QString peerHost(Fd fd); // the address alone (what per-address limits count)

} // namespace mythos::ws::sockio
