#pragma once
// The gateway's listening socket. Each accepted connection is sorted first (ConnectionSorter):
// WebSocket upgrades to /ws go to the gateway's own transport, everything else to QHttpServer,
// with a cap on what one HTTP request may send.
// Qt 6.4's QHttpServer buffers a whole request (twice: socket transaction and body) before any
// route sees it, so without a cap anyone could make the server hold gigabytes without even
// authenticating. Each accepted socket gets a watcher that runs before the HTTP parser: it
// refuses a declared Content-Length over the cap at once, and counts what arrives for one
// request (chunked bodies included); over the cap it answers 413 and closes.

#include "gateway/ws/connectionsorter.h"

#include <QTcpServer>

namespace mythos {

// The Content-Length of a request head at the start of `bytes`, or -1 when it has none yet.
// (Public so it can be tested and fuzzed on its own: it reads bytes no one has checked yet.)
qint64 declaredContentLength(const QByteArray &bytes);

class GatewayListener : public QTcpServer
{
    Q_OBJECT
public:
    GatewayListener(qint64 maxRequestBytes, ws::ConnectionSorter::ToWebSocket toWebSocket, QObject *parent = nullptr);
    quint64 refused() const { return m_refused; }
    // Connections that have not finished their request head yet (bounds, evictions).
    ws::ConnectionSorter &sorter() { return m_sorter; }
    const ws::ConnectionSorter &sorter() const { return m_sorter; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void toHttp(qintptr socketDescriptor);
    void watch(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, const QString &why);

    qint64 m_maxRequestBytes;
    ws::ConnectionSorter m_sorter;
    quint64 m_refused = 0;
};

} // namespace mythos
