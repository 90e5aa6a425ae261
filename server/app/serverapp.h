#pragma once
// Composes one mythos-chatd instance from its parts and owns their lifetimes: bus, registry,
// directory, pipeline, presence and the HTTP/WebSocket gateway. Tests run several in one process.

#include "config/config.h"
#include "util/result.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <memory>

namespace mythos {

class AuditLog;
class Authenticator;
class Bus;
class DatabaseLock;
class CatchUpService;
class ChatService;
class ClassifierService;
class Directory;
class HttpApi;
class HttpGateway;
class EscalationService;
class FilterService;
class NotesService;
class MessageStore;
class MonitorService;
class MuteService;
class NatsSupervisor;
class QueueService;
class PlayerRegistry;
class PresenceService;
class Router;

class ServerApp : public QObject
{
    Q_OBJECT
public:
    // `configPath` is only recorded in the audit log (empty: built-in defaults).
    explicit ServerApp(Config config, QString configPath = {}, QObject *parent = nullptr);
    ~ServerApp() override;

    bool start(QString *error);
    // Stops accepting, closes sessions, drains NATS; emits stopped() when done.
    void stop();

    quint16 port() const { return m_port; }
    const QString &serverId() const { return m_serverId; }
    const Config &config() const { return m_config; }
    QJsonObject health() const;
    Bus *bus() const { return m_bus.get(); }
    ChatService *chat() const { return m_chat.get(); }
    CatchUpService *catchUp() const { return m_catchUp.get(); }
    PlayerRegistry *registry() const { return m_registry.get(); }
    Directory *directory() const { return m_directory.get(); }
    Router *router() const { return m_router.get(); }
    HttpGateway *gateway() const { return m_gateway.get(); }
    HttpApi *httpApi() const { return m_api.get(); }
    MessageStore *store() const { return m_store.get(); } // null when history is disabled
    AuditLog *auditLog() const { return m_audit.get(); }
    MuteService *mutes() const { return m_mutes.get(); }
    FilterService *filter() const { return m_filter.get(); }
    EscalationService *escalation() const { return m_escalation.get(); }
    ClassifierService *classifier() const { return m_classifier.get(); } // null unless configured
    QueueService *queue() const { return m_queue.get(); }
    NatsSupervisor *natsSupervisor() const { return m_natsSupervisor.get(); } // null unless nats.managed
    QJsonObject stats() const;
    qint64 uptimeSeconds() const { return m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0; }

Q_SIGNALS:
    void stopped();

private:
    void onBusMessage(const QByteArray &subject, const QByteArray &payload);
    void connectAuditTrail();
    void connectEscalation(); // serverapp_escalation.cpp
    bool startManagedNats(QString *error);
    Result<bool> loadKnownPlayers();

    Config m_config;
    QString m_configPath;
    QString m_serverId;
    QElapsedTimer m_uptime;
    quint16 m_port = 0;
    bool m_stopping = false;
    // Declared in dependency order; destroyed in reverse, the gateway first.
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<NatsSupervisor> m_natsSupervisor; // outlives the bus: stopped after the drain
    std::unique_ptr<DatabaseLock> m_databaseLock; // SQLite only: held while the server runs
    std::unique_ptr<MessageStore> m_store;
    std::unique_ptr<Bus> m_bus;
    std::unique_ptr<PlayerRegistry> m_registry;
    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<MuteService> m_mutes;
    std::unique_ptr<FilterService> m_filter;
    std::unique_ptr<EscalationService> m_escalation;
    std::unique_ptr<NotesService> m_notes;
    std::unique_ptr<ClassifierService> m_classifier;
    std::unique_ptr<MonitorService> m_monitor;
    std::unique_ptr<QueueService> m_queue;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<ChatService> m_chat;
    std::unique_ptr<CatchUpService> m_catchUp;
    std::unique_ptr<PresenceService> m_presence;
    std::unique_ptr<Authenticator> m_authenticator;
    std::unique_ptr<HttpGateway> m_gateway;
    std::unique_ptr<HttpApi> m_api;
};

QString generateServerId();

} // namespace mythos
