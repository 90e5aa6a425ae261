#include "natsserver.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

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
    m_process.start(binary, { QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                              QString::number(m_port) });
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString());
        return false;
    }
    if (!waitForPort(m_port, 10000)) {
        m_error = QStringLiteral("nats-server did not listen on %1: %2").arg(m_port).arg(QString::fromUtf8(m_process.readAll()));
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

} // namespace mythos::test
