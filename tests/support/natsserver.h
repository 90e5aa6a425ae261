#pragma once
// Starts a real nats-server on a free loopback port for a test and stops it afterwards. It can
// be stopped and started again on the same port to simulate an outage.

#include <QProcess>
#include <QString>

namespace mythos::test {

class NatsServer
{
public:
    NatsServer();
    ~NatsServer();

    bool start(); // waits until the port accepts connections
    void stop();
    quint16 port() const { return m_port; }
    QString url() const;
    QString errorString() const { return m_error; }

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

quint16 freeLoopbackPort();
bool waitForPort(quint16 port, int timeoutMs);

} // namespace mythos::test
