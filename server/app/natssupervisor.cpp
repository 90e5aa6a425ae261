#include "app/natssupervisor.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>

Q_LOGGING_CATEGORY(lcNatsSupervisor, "mythos.server.nats-server")

namespace mythos {

namespace {
constexpr int kFirstBackoffMs = 500;
constexpr int kMaxBackoffMs = 30000;
// A child that ran this long was healthy: the next failure starts the back-off over.
constexpr qint64 kHealthyRunMs = 60000;

bool accepts(const QString &host, quint16 port, int timeoutMs)
{
    QTcpSocket probe;
    probe.connectToHost(host, port);
    const bool ok = probe.waitForConnected(timeoutMs);
    probe.abort();
    return ok;
}
} // namespace

NatsSupervisor::NatsSupervisor(NatsSection nats, QString configDir, QString dataDir, QString logDir, QObject *parent)
    : QObject(parent), m_nats(std::move(nats)), m_configDir(std::move(configDir)), m_dataDir(std::move(dataDir)),
      m_logDir(std::move(logDir))
{
    // With a server list the managed child is the first one (this host's own node).
    const QStringList servers = m_nats.servers();
    const QUrl url(servers.isEmpty() ? QString() : servers.first());
    m_host = url.host().isEmpty() ? QStringLiteral("127.0.0.1") : url.host();
    m_port = static_cast<quint16>(url.port(4222));
    m_restartTimer.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, &NatsSupervisor::launch);
    connect(&m_process, &QProcess::finished, this, &NatsSupervisor::onFinished);
    // Restarts happen while the server runs: they are followed through signals, never waited for.
    connect(&m_process, &QProcess::started, this, [this] {
        m_ownsServer = true;
        m_runningFor.start();
        Q_EMIT childStarted(m_process.processId());
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        qCWarning(lcNatsSupervisor).noquote() << "cannot start" << m_binary << ":" << m_process.errorString();
        if (!m_starting)
            onFinished(-1, QProcess::CrashExit); // counts as another failure: back off further
    });
}

NatsSupervisor::~NatsSupervisor()
{
    stop(2000);
}

bool NatsSupervisor::resolvePaths(QString *error)
{
    // A bare name: next to mythos-chatd first (the Windows bundle), then on PATH. A relative
    // path: relative to the configuration file, like every other path an operator writes there.
    const QString name = m_nats.serverBinary;
    if (!name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\'))) {
        m_binary = QStandardPaths::findExecutable(name, { QCoreApplication::applicationDirPath() });
        if (m_binary.isEmpty())
            m_binary = QStandardPaths::findExecutable(name);
    } else {
        const QString path = QDir(m_configDir).absoluteFilePath(name);
        m_binary = QFileInfo(path).isExecutable() ? path : QString();
    }
    if (m_binary.isEmpty()) {
        *error = QStringLiteral("nats.server_binary '%1' was not found (looked next to mythos-chatd and on PATH)")
                         .arg(name);
        return false;
    }
    if (!m_nats.serverConfig.isEmpty()) {
        m_serverConfig = QDir(m_configDir).absoluteFilePath(m_nats.serverConfig);
        if (!QFileInfo::exists(m_serverConfig)) {
            *error = QStringLiteral("nats.server_config '%1' does not exist").arg(m_serverConfig);
            return false;
        }
        return true;
    }
    // The bundled configuration, written where the server keeps its state (ours to overwrite).
    m_serverConfig = QDir(m_dataDir).filePath(QStringLiteral("nats-server.conf"));
    QFile::remove(m_serverConfig);
    if (!QDir().mkpath(m_dataDir) || !QFile::copy(QStringLiteral(":/mythos/nats-server.conf"), m_serverConfig)) {
        *error = QStringLiteral("cannot write the bundled nats-server.conf to %1").arg(m_serverConfig);
        return false;
    }
    QFile::setPermissions(m_serverConfig, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup);
    return true;
}

bool NatsSupervisor::start(QString *error, int timeoutMs)
{
    if (accepts(m_host, m_port, 500)) {
        qCInfo(lcNatsSupervisor).noquote()
                << "a NATS server already listens on" << m_nats.url << "- using it, not starting one";
        return true;
    }
    if (!resolvePaths(error))
        return false;
    m_starting = true;
    launch();
    const bool started = m_process.waitForStarted(5000);
    m_starting = false;
    if (!started) {
        *error = QStringLiteral("cannot start %1: %2").arg(m_binary, m_process.errorString());
        return false;
    }
    if (!waitUntilAccepting(timeoutMs)) {
        *error = QStringLiteral("nats-server (%1) did not accept connections on %2:%3 within %4 s; see %5")
                         .arg(m_binary, m_host)
                         .arg(m_port)
                         .arg(timeoutMs / 1000)
                         .arg(QDir(m_logDir).filePath(QStringLiteral("nats-server.log")));
        stop(1000);
        return false;
    }
    qCInfo(lcNatsSupervisor).noquote() << "started" << m_binary << "pid" << m_process.processId() << "on" << m_nats.url;
    return true;
}

void NatsSupervisor::launch()
{
    QDir().mkpath(m_logDir);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(QDir(m_logDir).filePath(QStringLiteral("nats-server.log")), QIODevice::Append);
    // Address and port come from nats.url so the two can never disagree; the rest (monitoring
    // port, payload limit) from the configuration file.
    m_process.start(m_binary,
                    { QStringLiteral("-c"), m_serverConfig, QStringLiteral("-a"), m_host, QStringLiteral("-p"),
                      QString::number(m_port) });
}

bool NatsSupervisor::waitUntilAccepting(int timeoutMs) const
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        if (m_process.state() != QProcess::Running)
            return false;
        if (accepts(m_host, m_port, 200))
            return true;
        QThread::msleep(50);
    }
    return false;
}

void NatsSupervisor::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_stopping)
        return;
    if (m_runningFor.isValid() && m_runningFor.elapsed() > kHealthyRunMs)
        m_backoffMs = 0;
    m_runningFor.invalidate(); // a launch that fails next must not count as a long healthy run
    m_backoffMs = m_backoffMs == 0 ? kFirstBackoffMs : std::min(m_backoffMs * 2, kMaxBackoffMs);
    ++m_restarts;
    const QString how = status == QProcess::CrashExit ? QStringLiteral("crashed") : QStringLiteral("exited");
    qCWarning(lcNatsSupervisor).noquote()
            << "nats-server" << how << "with code" << exitCode << "- restarting in" << m_backoffMs << "ms";
    Q_EMIT childExited(exitCode, how, m_backoffMs);
    m_restartTimer.start(m_backoffMs);
}

void NatsSupervisor::stop(int graceMs)
{
    m_stopping = true;
    m_restartTimer.stop();
    if (m_process.state() == QProcess::NotRunning)
        return;
        // nats-server shuts down cleanly on SIGTERM; Windows has no such signal for a console
        // child, and there it is simply ended.
#ifdef Q_OS_WIN
    m_process.kill();
#else
    m_process.terminate();
    if (!m_process.waitForFinished(graceMs))
        m_process.kill();
#endif
    m_process.waitForFinished(graceMs);
}

} // namespace mythos
