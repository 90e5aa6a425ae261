#pragma once
// The player protocol on one session: authentication, then each request type of PROTOCOL §3
// turned into calls on the chat services, with replies that echo the request's `ref`.

#include "chat/authenticator.h"
#include "chat/chatservice.h"
#include "protocol/commandparser.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace mythos {

struct Config;
class Authenticator;
class PlayerRegistry;
class EscalationService;
class FilterService;
class NotesService;
class MessageStore;
class ModeratorRequests;
class MonitorService;
class MuteService;
class QueueService;
class PresenceService;
class Session;
struct OnlinePlayer;

struct ClientServices
{
    const Config *config = nullptr;
    QString serverId;
    Authenticator *authenticator = nullptr;
    PlayerRegistry *registry = nullptr;
    ChatService *chat = nullptr;
    PresenceService *presence = nullptr;
    MessageStore *store = nullptr; // null when history is disabled
    MuteService *mutes = nullptr;
    MonitorService *monitor = nullptr;
    QueueService *queue = nullptr;
    FilterService *filter = nullptr;
    EscalationService *escalation = nullptr;
    NotesService *notes = nullptr;
    QString logDir;
    std::function<QJsonObject()> stats;
};

class ClientHandler : public QObject
{
    Q_OBJECT
public:
    ClientHandler(Session *session, const ClientServices &services, QObject *parent = nullptr);
    ~ClientHandler() override;

    bool isAuthenticated() const { return m_player != nullptr; }

private:
    void onRequest(const QJsonObject &frame);
    void handleAuth(const QJsonObject &frame, const QString &ref);
    void handleSend(const QJsonObject &frame, const QString &ref);
    void handleCommand(const QJsonObject &frame, const QString &ref);
    void handleMove(const QJsonObject &frame, const QString &ref);
    void handleHistory(const QJsonObject &frame, const QString &ref);
    void handleResume(const QJsonObject &frame, const QString &ref);
    void handleMute(const QJsonObject &frame, const QString &ref);
    void handleMuteCommand(const ParsedCommand &command, const QString &ref);
    void submit(const SendRequest &request, const QString &ref);
    void sendOutcome(const SendOutcome &outcome, const QString &ref);
    void reply(const QString &eventType, QJsonObject data, const QString &ref);
    void fail(ErrorCode code, const QString &message, const QString &ref);
    void authenticateWith(const AuthOutcome &outcome, const QString &ref);
    void leave();

    Session *m_session;
    ClientServices m_services;
    OnlinePlayer *m_player = nullptr;
    ModeratorRequests *m_moderator = nullptr; // created for moderators and admins only
    QString m_playerId;
};

} // namespace mythos
