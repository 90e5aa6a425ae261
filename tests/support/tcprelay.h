#pragma once
// A loopback TCP relay for tests: forwards every connection made to port() to a target port,
// and can cut them all at once (what a dropped Wi-Fi or a restarted proxy does to a client)
// and refuse new ones for a while, so a test decides when a client may come back.

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace mythos::test {

class TcpRelay : public QObject
{
    Q_OBJECT
public:
    explicit TcpRelay(quint16 targetPort, QObject *parent = nullptr);
    ~TcpRelay() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    // Aborts every relayed connection, both sides.
    void cutAll();
    // While refusing, new connections are accepted and closed at once.
    void setRefusing(bool refusing) { m_refusing = refusing; }
    int openCount() const;
    // Connections accepted and relayed since the start.
    int relayedCount() const { return m_relayed; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client, upstream;
    };
    void onNewConnection();

    quint16 m_targetPort;
    QTcpServer m_server;
    QList<Pair> m_pairs;
    bool m_refusing = false;
    int m_relayed = 0;
};

} // namespace mythos::test
