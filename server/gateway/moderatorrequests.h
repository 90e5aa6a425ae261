#pragma once
// The moderators' side of the WebSocket protocol (docs/protocol.md "Moderators"): the live
// feed, the moderation queue and its actions, and stats. Players get `forbidden`.

#include "chat/identity.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace mythos {

struct Config;
class EscalationService;
class FilterService;
class NotesService;
class MonitorService;
class QueueService;
class Session;

class ModeratorRequests : public QObject
{
    Q_OBJECT
public:
    using StatsSource = std::function<QJsonObject()>;
    struct Services
    {
        MonitorService *monitor = nullptr;
        QueueService *queue = nullptr;
        FilterService *filter = nullptr;
        EscalationService *escalation = nullptr;
        NotesService *notes = nullptr;
        QString logDir;
        StatsSource stats;
        const Config *config = nullptr; // for filter_dry_run
    };
    ModeratorRequests(Session *session, Services services, QObject *parent = nullptr);
    ~ModeratorRequests() override;

    static bool isModeratorRequest(const QString &type);
    void handle(const Identity &who, const QString &type, const QJsonObject &frame, const QString &ref);

private:
    void queryLogs(const QJsonObject &frame, const QString &ref, bool withWhispers);

    Session *m_session;
    Services m_services;
};

} // namespace mythos
