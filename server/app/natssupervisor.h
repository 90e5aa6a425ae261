#pragma once
// `nats.managed: true`: the server starts its own local nats-server as a child process, waits
// until it accepts connections, restarts it with back-off if it dies, and stops it on shutdown
// — the plan's start/stop scripts, inside the server. When something already listens on the
// configured URL, that server is used and none is started.

#include "config/config.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTimer>

namespace mythos {

class NatsSupervisor : public QObject
{
    Q_OBJECT
public:
    // `configDir` resolves relative paths in the nats section; `dataDir` receives the bundled
    // nats-server.conf; `logDir` the child's output (nats-server.log).
    NatsSupervisor(NatsSection nats, QString configDir, QString dataDir, QString logDir, QObject *parent = nullptr);
    ~NatsSupervisor() override;

    // Blocks (start-up only) until the URL accepts connections: an external server, or the
    // child started here. False with `error` set when the child cannot be started or does not
    // come up within `timeoutMs`.
    bool start(QString *error, int timeoutMs = 15000);
    // Stops the child (SIGTERM, then kill after `graceMs`); no restarts afterwards.
    void stop(int graceMs = 5000);

    bool ownsServer() const { return m_ownsServer; }
    qint64 childPid() const { return m_process.processId(); }
    quint64 restarts() const { return m_restarts; }
    // The binary and configuration actually used (after resolving relative paths).
    QString binary() const { return m_binary; }
    QString serverConfig() const { return m_serverConfig; }

Q_SIGNALS:
    // The child exited while it should be running; it is restarted after `restartInMs`.
    void childExited(int exitCode, const QString &status, int restartInMs);
    void childStarted(qint64 pid);

private:
    bool resolvePaths(QString *error);
    void launch(); // starts the child; started or errorOccurred tells how it went
    bool waitUntilAccepting(int timeoutMs) const;
    void onFinished(int exitCode, QProcess::ExitStatus status);

    NatsSection m_nats;
    QString m_configDir;
    QString m_dataDir;
    QString m_logDir;
    QString m_host;
    quint16 m_port = 4222;
    QString m_binary;
    QString m_serverConfig;
    QProcess m_process;
    QTimer m_restartTimer;
    QElapsedTimer m_runningFor;
    int m_backoffMs = 0;
    quint64 m_restarts = 0;
    bool m_ownsServer = false;
    bool m_stopping = false;
    bool m_starting = false; // the first start reports failure to its caller, not by restarting
};

} // namespace mythos
