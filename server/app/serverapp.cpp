#include "app/serverapp.h"

#include "app/metrics.h"
#include "app/natssupervisor.h"
#include "audit/auditlog.h"
#include "backup/databaselock.h"
#include "bus/natsbus.h"
#include "bus/nullbus.h"
#include "chat/authenticator.h"
#include "chat/catchupservice.h"
#include "chat/chatservice.h"
#include "chat/directory.h"
#include "chat/playerregistry.h"
#include "chat/presenceservice.h"
#include "chat/router.h"
#include "gateway/httpapi.h"
#include "gateway/httpgateway.h"
#include "moderation/classifierservice.h"
#include "moderation/escalationservice.h"
#include "moderation/filterservice.h"
#include "moderation/monitorservice.h"
#include "moderation/muteservice.h"
#include "moderation/notesservice.h"
#include "moderation/queueservice.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"
#include "storage/storagefactory.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <algorithm>

Q_LOGGING_CATEGORY(lcApp, "mythos.server")

namespace mythos {

QString generateServerId()
{
    return QStringLiteral("chatd-%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

namespace {
std::unique_ptr<Bus> makeBus(const Config &config, const QString &serverId)
{
    if (!config.nats.enabled)
        return std::make_unique<NullBus>();
    NatsBusOptions options;
    options.url = config.nats.url;
    options.clientName = QStringLiteral("mythos-chatd ") + serverId;
    options.reconnectWaitMs = static_cast<int>(config.nats.reconnectTimeWaitS * 1000);
    options.maxReconnectAttempts = config.nats.maxReconnectAttempts;
    options.pingIntervalMs = static_cast<int>(config.nats.pingIntervalS * 1000);
    options.maxPingsOut = config.nats.maxPingsOut;
    options.noRandomize = config.nats.noRandomize;
    options.user = config.nats.user;
    options.password = config.nats.password;
    options.token = config.nats.token;
    options.credentialsFile = config.nats.credentialsFile;
    options.tls = config.nats.tls.enabled;
    options.tlsCaFile = config.nats.tls.caFile;
    options.tlsCertFile = config.nats.tls.certFile;
    options.tlsKeyFile = config.nats.tls.keyFile;
    options.tlsVerify = config.nats.tls.verify;
    return std::make_unique<NatsBus>(options);
}

std::unique_ptr<MessageStore> makeStore(const Config &config)
{
    if (!config.history.enabled)
        return nullptr;
    const QString url = config.database.url;
    return std::make_unique<MessageStore>([url] { return createStorage(url); });
}
} // namespace

ServerApp::ServerApp(Config config, QString configPath, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_configPath(std::move(configPath)),
      m_serverId(m_config.server.serverId.isEmpty() ? generateServerId() : m_config.server.serverId)
{
    m_audit = std::make_unique<AuditLog>(m_config.logging.dir, m_serverId, m_config.logging.retentionDays);
    m_store = makeStore(m_config);
    m_bus = makeBus(m_config, m_serverId);
    m_registry = std::make_unique<PlayerRegistry>(m_config, m_bus.get());
    m_directory = std::make_unique<Directory>(m_serverId, m_registry.get(), m_bus.get());
    m_mutes = std::make_unique<MuteService>(m_config, m_serverId, m_directory.get(), m_store.get(), m_bus.get(),
                                            m_registry->subjects().control("mutes"));
    m_filter = std::make_unique<FilterService>(m_config.contentFiltering);
    m_filter->startWorkerThread(); // the filter is the largest part of accepting a message
    m_escalation = std::make_unique<EscalationService>(m_config, m_serverId, m_store.get(), m_bus.get(),
                                                       m_registry->subjects().control("escalation"), m_mutes.get(),
                                                       m_directory.get(), m_registry.get());
    m_notes = std::make_unique<NotesService>(m_serverId, m_store.get(), m_bus.get(),
                                             m_registry->subjects().control("notes"), m_directory.get());
    m_router = std::make_unique<Router>(m_registry.get(), &m_mutes->registry());
    m_chat = std::make_unique<ChatService>(m_config, m_serverId, m_registry.get(), m_directory.get(), m_router.get(),
                                           m_bus.get(), m_store.get(), &m_mutes->registry(), m_filter.get());
    m_monitor =
            std::make_unique<MonitorService>(m_config, m_bus.get(), m_registry->subjects(), [this] { return stats(); });
    m_chat->setMonitor(m_monitor.get());
    if (const ClassifierSection &classifier = m_config.contentFiltering.classifier; classifier.enabled) {
        const QByteArray subject =
                classifier.subject.isEmpty() ? m_registry->subjects().classify() : classifier.subject.toUtf8();
        m_classifier = std::make_unique<ClassifierService>(classifier, m_bus.get(), subject);
        m_chat->setClassifier(m_classifier.get());
        qCInfo(lcApp).noquote() << "external classifier on" << subject << "- budget" << classifier.timeoutMs
                                << "ms, on failure" << classifier.onFailure.toString();
    }
    m_catchUp = std::make_unique<CatchUpService>(m_config, m_serverId, m_bus.get(), m_registry->subjects(),
                                                 m_chat.get(), m_registry.get());
    m_queue = std::make_unique<QueueService>(m_serverId, m_store.get(), m_bus.get(), m_registry->subjects(),
                                             m_chat.get(), m_mutes.get(), m_registry.get(), m_monitor.get());
    connect(m_chat.get(), &ChatService::itemQueued, m_queue.get(), &QueueService::announce);
    // Moderators' mute lists follow changes made anywhere (the console refreshes on it).
    connect(m_mutes.get(), &MuteService::serverMutesChanged, m_monitor.get(),
            [this] { m_monitor->broadcast(wire::event::mutesChanged, {}); });
    m_presence = std::make_unique<PresenceService>(m_registry.get());
    m_authenticator = std::make_unique<Authenticator>(m_config, m_directory.get(), &m_directory->known());

    ClientServices services;
    services.config = &m_config;
    services.serverId = m_serverId;
    services.authenticator = m_authenticator.get();
    services.registry = m_registry.get();
    services.chat = m_chat.get();
    services.presence = m_presence.get();
    services.store = m_store.get();
    services.mutes = m_mutes.get();
    services.monitor = m_monitor.get();
    services.queue = m_queue.get();
    services.filter = m_filter.get();
    services.escalation = m_escalation.get();
    services.notes = m_notes.get();
    services.logDir = m_config.logging.dir;
    services.stats = [this] { return stats(); };
    SessionLimits limits;
    limits.maxFrameBytes = m_config.nats.maxPayload;
    limits.maxOutboundBytes = qint64(m_config.server.outboundQueueLimitKiB) * 1024;
    limits.hardOutboundBytes =
            qint64(std::max(m_config.server.outboundQueueHardLimitKiB, m_config.server.outboundQueueLimitKiB)) * 1024;
    limits.slowClientMs = m_config.server.slowClientSeconds * 1000;
    limits.keepAliveMs = m_config.server.keepAliveSeconds * 1000;
    limits.permessageDeflate = m_config.server.permessageDeflate;
    AdmissionLimits admission;
    admission.maxConnections = m_config.server.maxConnections;
    admission.maxUnauthenticatedPerAddress = m_config.server.maxUnauthenticatedPerAddress;
    m_gateway = std::make_unique<HttpGateway>(services, limits, admission, [this] {
        return HttpGateway::HealthReport { health(), !m_stopping };
    });
    m_api = std::make_unique<HttpApi>(
            m_gateway->http(), services, [this] { return prometheusMetrics(*this); }, [this] { return !m_stopping; });

    connect(m_bus.get(), &Bus::messageReceived, this, &ServerApp::onBusMessage);
    connectAuditTrail();
    connectEscalation();
    connect(m_bus.get(), &Bus::stateChanged, this, [this](Bus::State state) {
        if (state == Bus::State::Connected)
            m_directory->announce(); // (re)joined: exchange rosters with the other instances
    });
}

ServerApp::~ServerApp()
{
    // Store replies capture the services and sessions: deliver them while everything exists,
    // then take the store down before the services its late callbacks would reach.
    if (m_store)
        m_store->flush();
    m_api.reset();
    m_gateway.reset();
    m_store.reset();
}

bool ServerApp::start(QString *error)
{
    m_uptime.start();
    if (m_config.auth.jwtSecret.isEmpty())
        qCWarning(lcApp) << "no auth.jwt_secret (or MYTHOS_CHAT_JWT_SECRET): every token will be refused"
                         << (m_config.auth.allowGuests ? "; guests can still join" : "");
    if (!m_audit->open(error)) {
        *error = QStringLiteral("audit log: ") + *error;
        return false;
    }
    if (const QString sqliteFile = sqlitePath(m_config.database.url); m_store && !sqliteFile.isEmpty()) {
        // One server per SQLite file, and none while `restore` replaces it.
        m_databaseLock = std::make_unique<DatabaseLock>(sqliteFile);
        if (!m_databaseLock->acquire(error)) {
            *error = QStringLiteral("database: ") + *error;
            return false;
        }
    }
    if (m_store) {
        if (auto opened = m_store->open(); !opened) {
            m_audit->write(AuditCategory::System, QStringLiteral("database_error"),
                           { { QLatin1String("operation"), QLatin1String("open") },
                             { QLatin1String("error"), opened.error() } });
            *error = QStringLiteral("database: ") + opened.error();
            return false;
        }
        m_store->startRetention(m_config.history.retentionDays, m_config.history.maxMessagesPerChannel);
    }
    m_filter->reload();
    if (auto loaded = loadKnownPlayers(); !loaded) {
        *error = QStringLiteral("database: cannot load the known players: ") + loaded.error();
        return false;
    }
    if (auto loaded = m_mutes->load(); !loaded) {
        *error = QStringLiteral("database: cannot load mutes: ") + loaded.error();
        return false;
    }
    if (auto loaded = m_escalation->load(); !loaded) {
        *error = QStringLiteral("database: cannot load the escalation ladder's offences: ") + loaded.error();
        return false;
    }
    if (!startManagedNats(error))
        return false;
    m_port = m_gateway->listen(QHostAddress(m_config.server.host), m_config.server.port, error);
    if (m_port == 0)
        return false;
    m_bus->addInterest(m_registry->subjects().controlWildcard());
    m_bus->start();
    QJsonObject start { { QLatin1String("version"), QStringLiteral(MYTHOS_VERSION) },
                        { QLatin1String("listen_address"),
                          QStringLiteral("%1:%2").arg(m_config.server.host).arg(m_port) } };
    if (!m_configPath.isEmpty())
        start.insert(QLatin1String("config_path"), m_configPath);
    m_audit->write(AuditCategory::System, QStringLiteral("start"), start);
    qCInfo(lcApp).noquote() << "mythos-chatd" << m_serverId << "listening on"
                            << QStringLiteral("http://%1:%2").arg(m_config.server.host).arg(m_port)
                            << "(WebSocket at /ws), NATS"
                            << (m_config.nats.enabled ? m_config.nats.url : QStringLiteral("disabled"));
    return true;
}

void ServerApp::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcApp) << "shutting down";
    m_gateway->closeAll();
    if (m_store)
        m_store->flush(); // everything acknowledged is already committed; this catches relayed ones
    m_directory->sayGoodbye();
    connect(
            m_bus.get(), &Bus::drained, this,
            [this] {
                if (m_natsSupervisor)
                    m_natsSupervisor->stop(); // only once nothing more is published through it
                m_audit->write(AuditCategory::System, QStringLiteral("stop"), {});
                m_audit->flush();
                Q_EMIT stopped();
            },
            Qt::QueuedConnection);
    m_bus->drain();
}

Result<bool> ServerApp::loadKnownPlayers()
{
    if (!m_store)
        return true;
    const auto players =
            m_store->runBlocking<QList<SqlStorage::KnownPlayer>>([](SqlStorage &s) { return s.loadPlayers(); });
    if (!players)
        return Result<bool>::failure(players.error());
    QList<Identity> known;
    known.reserve(players.value().size());
    for (const SqlStorage::KnownPlayer &p : players.value())
        known.append({ p.id, p.name, p.role });
    m_directory->rememberPlayers(known);
    qCInfo(lcApp) << "known players:" << known.size();
    return true;
}

bool ServerApp::startManagedNats(QString *error)
{
    if (!m_config.nats.enabled || !m_config.nats.managed)
        return true;
    const QString configDir = m_configPath.isEmpty() ? QDir::currentPath() : QFileInfo(m_configPath).absolutePath();
    m_natsSupervisor = std::make_unique<NatsSupervisor>(m_config.nats, configDir, m_config.server.dataDir,
                                                        QDir(m_config.logging.dir).filePath(QStringLiteral("system")));
    AuditLog *audit = m_audit.get();
    NatsSupervisor *supervisor = m_natsSupervisor.get();
    connect(supervisor, &NatsSupervisor::childStarted, this, [audit, supervisor](qint64 pid) {
        audit->write(AuditCategory::System, QStringLiteral("nats_server_started"),
                     { { QLatin1String("pid"), static_cast<double>(pid) },
                       { QLatin1String("binary"), supervisor->binary() },
                       { QLatin1String("config"), supervisor->serverConfig() } });
    });
    connect(supervisor, &NatsSupervisor::childExited, this, [audit](int exitCode, const QString &how, int restartInMs) {
        audit->write(AuditCategory::System, QStringLiteral("nats_server_exited"),
                     { { QLatin1String("exit_code"), exitCode },
                       { QLatin1String("how"), how },
                       { QLatin1String("restart_in_ms"), restartInMs } });
    });
    if (!supervisor->start(error)) {
        *error = QStringLiteral("nats.managed: ") + *error;
        return false;
    }
    return true;
}

QJsonObject ServerApp::health() const
{
    const Bus::State state = m_bus->state();
    const bool disabled = state == Bus::State::Disabled;
    const bool connected = state == Bus::State::Connected;
    const bool databaseOk = !m_store || m_store->isHealthy();
    return { { QLatin1String("status"),
               (connected || disabled) && databaseOk && !m_stopping ? QLatin1String("ok") : QLatin1String("degraded") },
             { QLatin1String("nats"),
               disabled            ? QLatin1String("disabled")
                       : connected ? QLatin1String("connected")
                                   : QLatin1String("disconnected") },
             { QLatin1String("database"),
               !m_store                       ? QLatin1String("disabled")
                       : m_store->isHealthy() ? QLatin1String("ok")
                                              : QLatin1String("error") },
             { QLatin1String("uptime_s"), static_cast<double>(uptimeSeconds()) },
             { QLatin1String("connections"), m_gateway->connectionCount() },
             { QLatin1String("players"), m_registry->playerCount() },
             { QLatin1String("server_id"), m_serverId } };
}

QJsonObject ServerApp::stats() const
{
    const ChatStats &chat = m_chat->stats();
    QJsonObject refused;
    for (auto it = chat.refusedByCode.cbegin(); it != chat.refusedByCode.cend(); ++it)
        refused.insert(it.key(), static_cast<double>(it.value()));
    return { { QLatin1String("server_id"), m_serverId },
             { QLatin1String("nats"), Bus::stateName(m_bus->state()) },
             { QLatin1String("instances_seen"), m_directory->instanceCount() },
             { QLatin1String("connections"), m_gateway->connectionCount() },
             { QLatin1String("players"), m_registry->playerCount() },
             { QLatin1String("messages_accepted"), static_cast<double>(chat.accepted) },
             { QLatin1String("messages_relayed_in"), static_cast<double>(chat.relayedReceived) },
             { QLatin1String("messages_shadowed"), static_cast<double>(chat.shadowed + chat.shadowedRelayed) },
             { QLatin1String("refused"), refused },
             { QLatin1String("rate_limited"),
               static_cast<double>(chat.refusedByCode.value(QStringLiteral("rate_limited"))) },
             { QLatin1String("filter"),
               QJsonObject { { QLatin1String("masked"), static_cast<double>(chat.masked) },
                             { QLatin1String("flagged"), static_cast<double>(chat.flagged) },
                             { QLatin1String("held"), static_cast<double>(chat.held) } } },
             { QLatin1String("deliveries"), static_cast<double>(m_router->stats().deliveries) },
             { QLatin1String("deliveries_avoided"), static_cast<double>(m_router->stats().deliveriesAvoided) },
             { QLatin1String("uptime_s"), static_cast<double>(uptimeSeconds()) } };
}

void ServerApp::onBusMessage(const QByteArray &subject, const QByteArray &payload)
{
    if (subject == m_directory->controlSubject())
        m_directory->handleControl(payload);
    else if (subject == m_mutes->controlSubject())
        m_mutes->handleControl(payload);
    else if (subject == m_escalation->controlSubject())
        m_escalation->handleControl(payload);
    else if (subject == m_notes->controlSubject())
        m_notes->handleControl(payload);
    else if (m_queue->handles(subject))
        m_queue->handleControl(subject, payload);
    else if (subject == m_chat->shadowSubject())
        m_chat->deliverShadowed(payload);
    else if (m_catchUp->handles(subject))
        m_catchUp->handleControl(subject, payload);
    else if (subject.startsWith(m_registry->subjects().control("")))
        qCDebug(lcApp) << "control message for a later feature on" << subject;
    else if (subject.startsWith(Subjects::presencePrefix()))
        m_presence->applyFromGame(subject, payload);
    else
        m_chat->deliverRelayed(subject, payload);
}

} // namespace mythos
