#include "natsserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <algorithm>
#include <csignal>

namespace mythos::test {

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool waitForPort(quint16 port, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (socket.waitForConnected(200))
            return true;
        QThread::msleep(50);
    }
    return false;
}

QJsonObject httpGetJson(quint16 port, const QString &path, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(static_cast<int>(deadline.remainingTime())))
        return {};
    socket.write(QStringLiteral("GET %1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").arg(path).toUtf8());
    // Done at Content-Length (a server may keep the connection open regardless) or at close.
    QByteArray reply;
    qsizetype bodyAt = -1;
    qint64 length = -1;
    for (;;) {
        reply += socket.readAll();
        if (bodyAt < 0 && (bodyAt = reply.indexOf("\r\n\r\n")) >= 0) {
            bodyAt += 4;
            for (const QByteArray &line : reply.left(bodyAt).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
        }
        if (bodyAt >= 0 && length >= 0 && reply.size() - bodyAt >= length)
            break;
        if (socket.state() != QAbstractSocket::ConnectedState)
            break;
        if (deadline.hasExpired()
            || !socket.waitForReadyRead(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())))) {
            if (socket.state() == QAbstractSocket::ConnectedState)
                return {}; // no answer in time
        }
    }
    reply += socket.readAll();
    if (bodyAt < 0)
        return {};
    return QJsonDocument::fromJson(reply.mid(bodyAt, length >= 0 ? length : -1)).object();
}

NatsServer::NatsServer()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

NatsServer::~NatsServer()
{
    stop();
}

QString NatsServer::url() const
{
    return QStringLiteral("nats://127.0.0.1:%1").arg(m_port);
}

bool NatsServer::start()
{
    if (m_port == 0)
        m_port = freeLoopbackPort();
    const QString binary = qEnvironmentVariable("MYTHOS_NATS_SERVER", QStringLiteral("nats-server"));
    m_process.start(binary,
                    QStringList { QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                  QString::number(m_port) }
                            + m_extra);
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString());
        return false;
    }
    if (!waitForPort(m_port, 10000)) {
        m_error = QStringLiteral("nats-server did not listen on %1: %2")
                          .arg(m_port)
                          .arg(QString::fromUtf8(m_process.readAll()));
        return false;
    }
    return true;
}

void NatsServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

NatsCluster::NatsCluster(int size) : m_nodes(static_cast<size_t>(size))
{
}

NatsCluster::~NatsCluster()
{
    stop();
}

QString NatsCluster::url(int node) const
{
    return QStringLiteral("nats://127.0.0.1:%1").arg(m_nodes[node].client);
}

QStringList NatsCluster::urls(int first) const
{
    QStringList list { url(first) };
    for (int i = 0; i < size(); ++i) {
        if (i != first)
            list.append(url(i));
    }
    return list;
}

QJsonObject NatsCluster::monitor(int node, const QString &endpoint, int timeoutMs) const
{
    return httpGetJson(m_nodes[node].monitor, QLatin1Char('/') + endpoint, timeoutMs);
}

bool NatsCluster::start()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory for the node configurations");
        return false;
    }
    // Three distinct ports per node: freeLoopbackPort() may hand out a port twice in a row.
    QSet<quint16> taken;
    auto port = [&taken] {
        quint16 p = 0;
        while (p == 0 || taken.contains(p))
            p = freeLoopbackPort();
        taken.insert(p);
        return p;
    };
    for (Node &n : m_nodes) {
        n.client = port();
        n.route = port();
        n.monitor = port();
    }
    QStringList routes;
    for (const Node &n : m_nodes)
        routes.append(QStringLiteral("nats://127.0.0.1:%1").arg(n.route));
    const QString binary = qEnvironmentVariable("MYTHOS_NATS_SERVER", QStringLiteral("nats-server"));
    for (int i = 0; i < size(); ++i) {
        Node &n = m_nodes[i];
        // A node finds itself in the shared routes list and skips it.
        const QString config = m_dir.filePath(QStringLiteral("node%1.conf").arg(i + 1));
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly)) {
            m_error = QStringLiteral("cannot write %1").arg(config);
            return false;
        }
        f.write(QStringLiteral("server_name: node%1\nlisten: 127.0.0.1:%2\nhttp: 127.0.0.1:%3\n"
                               "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\n"
                               "cluster {\n  name: mythos-test\n  listen: 127.0.0.1:%4\n  routes: [%5]\n}\n")
                        .arg(i + 1)
                        .arg(n.client)
                        .arg(n.monitor)
                        .arg(n.route)
                        .arg(routes.join(QStringLiteral(", ")))
                        .toUtf8());
        f.close();
        n.process = std::make_unique<QProcess>();
        n.process->setProcessChannelMode(QProcess::MergedChannels);
        n.process->start(binary, { QStringLiteral("-c"), config });
        if (!n.process->waitForStarted(5000)) {
            m_error = QStringLiteral("cannot start %1: %2").arg(binary, n.process->errorString());
            return false;
        }
    }
    for (int i = 0; i < size(); ++i) {
        if (!waitForPort(m_nodes[i].client, 10000)) {
            m_error = QStringLiteral("node%1 did not listen on %2: %3")
                              .arg(i + 1)
                              .arg(m_nodes[i].client)
                              .arg(QString::fromUtf8(m_nodes[i].process->readAll()));
            return false;
        }
    }
    // A full mesh: every node routed to the size() - 1 others.
    QDeadlineTimer deadline(15000);
    for (int i = 0; i < size(); ++i) {
        while (monitor(i, QStringLiteral("routez")).value(QLatin1String("num_routes")).toInt() < size() - 1) {
            if (deadline.hasExpired()) {
                m_error = QStringLiteral("node%1 has not routed to every other node: %2")
                                  .arg(i + 1)
                                  .arg(QString::fromUtf8(m_nodes[i].process->readAll()));
                return false;
            }
            QThread::msleep(50);
        }
    }
    return true;
}

void NatsCluster::stop()
{
    for (Node &n : m_nodes) {
        if (!n.process || n.process->state() == QProcess::NotRunning)
            continue;
        ::kill(static_cast<pid_t>(n.process->processId()), SIGCONT);
        n.process->terminate();
        if (!n.process->waitForFinished(5000)) {
            n.process->kill();
            n.process->waitForFinished(2000);
        }
    }
}

} // namespace mythos::test
