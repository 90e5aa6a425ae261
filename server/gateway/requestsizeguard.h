#pragma once
// The listening socket of the HTTP gateway, with a cap on what one HTTP request may send.
// Qt 6.4's QHttpServer buffers a whole request (twice: socket transaction and body) before any
// route sees it, so without a cap anyone could make the server hold gigabytes without even
// authenticating. Each accepted socket gets a watcher that runs before the HTTP parser: it
// refuses a declared Content-Length over the cap at once, and counts what arrives for one
// request (chunked bodies included); over the cap it answers 413 and closes. WebSocket
// connections are not watched once upgraded (the HTTP server detaches its readers then,
// the watcher included), because frames have their own limit.

#include <QTcpServer>

namespace mythos {

class RequestSizeGuard : public QTcpServer
{
    Q_OBJECT
public:
    explicit RequestSizeGuard(qint64 maxRequestBytes, QObject *parent = nullptr);
    quint64 refused() const { return m_refused; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void watch(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, const QString &why);

    qint64 m_maxRequestBytes;
    quint64 m_refused = 0;
};

} // namespace mythos
