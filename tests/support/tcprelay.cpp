#include "tcprelay.h"

#include <QHostAddress>

namespace mythos::test {

TcpRelay::TcpRelay(quint16 targetPort, QObject *parent) : QObject(parent), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpRelay::onNewConnection);
}

TcpRelay::~TcpRelay()
{
    cutAll();
}

bool TcpRelay::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpRelay::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        client->setParent(this);
        if (m_refusing) {
            client->abort();
            client->deleteLater();
            continue;
        }
        auto *upstream = new QTcpSocket(this);
        ++m_relayed;
        // Bytes the client sends before the upstream is connected wait in the client socket.
        auto pump = [](QTcpSocket *from, QTcpSocket *to) {
            if (to->state() == QAbstractSocket::ConnectedState)
                to->write(from->readAll());
        };
        connect(upstream, &QTcpSocket::connected, client, [client, upstream, pump] { pump(client, upstream); });
        connect(client, &QTcpSocket::readyRead, upstream, [client, upstream, pump] { pump(client, upstream); });
        connect(upstream, &QTcpSocket::readyRead, client, [client, upstream, pump] { pump(upstream, client); });
        // One side closing closes the other, as a real path would.
        auto closeBoth = [client, upstream] {
            client->disconnectFromHost();
            upstream->disconnectFromHost();
            client->deleteLater();
            upstream->deleteLater();
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::errorOccurred, this, closeBoth);
        m_pairs.append(Pair { client, upstream });
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void TcpRelay::cutAll()
{
    const QList<Pair> pairs = std::exchange(m_pairs, {});
    for (const Pair &p : pairs) {
        // abort() sends RST: neither side gets a goodbye, as when a network path dies.
        for (QTcpSocket *s : { p.client.data(), p.upstream.data() }) {
            if (!s)
                continue;
            s->disconnect(this);
            s->abort();
            s->deleteLater();
        }
    }
}

int TcpRelay::openCount() const
{
    int n = 0;
    for (const Pair &p : m_pairs)
        n += p.client && p.upstream && p.client->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    return n;
}

} // namespace mythos::test
