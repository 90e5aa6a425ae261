#pragma once
// Starts a real nats-server on a free loopback port for a test and stops it afterwards. It can
// be stopped and started again on the same port to simulate an outage.

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace mythos::test {

class NatsServer
{
public:
    NatsServer();
    ~NatsServer();

    bool start(); // waits until the port accepts connections
    void stop();
    // Further nats-server options for the next start (e.g. --user/--pass, --auth, --tls…).
    void setExtraArguments(const QStringList &arguments) { m_extra = arguments; }
    quint16 port() const { return m_port; }
    QString url() const;
    QString errorString() const { return m_error; }

private:
    QProcess m_process;
    quint16 m_port = 0;
    QStringList m_extra;
    QString m_error;
};

// A cluster of nats-server processes on loopback, every node routed to every other (one routes
// list for all), each with its own client, route and monitoring port. Lame duck is kept short
// (30 s, the least 2.9.10 accepts; 1 s grace) so a lame node notifies its clients at once.
class NatsCluster
{
public:
    explicit NatsCluster(int size = 3);
    ~NatsCluster();

    bool start(); // waits until every node has a route to every other one
    void stop(); // also resumes a node left stopped (SIGSTOP) so that it can exit
    int size() const { return static_cast<int>(m_nodes.size()); }
    QString url(int node) const;
    // Every node's URL, `first` leading and the others in order: an instance's preferred list.
    QStringList urls(int first) const;
    quint16 clientPort(int node) const { return m_nodes[node].client; }
    quint16 monitorPort(int node) const { return m_nodes[node].monitor; }
    qint64 pid(int node) const { return m_nodes[node].process->processId(); }
    QProcess &process(int node) { return *m_nodes[node].process; }
    // GET /<endpoint> on the node's monitoring port; empty when it does not answer in time.
    QJsonObject monitor(int node, const QString &endpoint, int timeoutMs = 1000) const;
    QString errorString() const { return m_error; }

private:
    struct Node
    {
        std::unique_ptr<QProcess> process;
        quint16 client = 0, route = 0, monitor = 0;
    };
    std::vector<Node> m_nodes;
    QTemporaryDir m_dir;
    QString m_error;
};

quint16 freeLoopbackPort();
bool waitForPort(quint16 port, int timeoutMs);
// A blocking HTTP GET on 127.0.0.1 whose body is a JSON object (monitoring, /health).
// Empty on any failure, including no answer within timeoutMs.
QJsonObject httpGetJson(quint16 port, const QString &path, int timeoutMs = 1000);

} // namespace mythos::test
