#pragma once
// The moderators' side of the WebSocket protocol (docs/protocol.md "Moderators"): the live
// feed, the moderation queue and its actions, and stats. Players get `forbidden`.

#include "chat/identity.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace mythos {

class MonitorService;
class QueueService;
class Session;

class ModeratorRequests : public QObject
{
    Q_OBJECT
public:
    using StatsSource = std::function<QJsonObject()>;
    ModeratorRequests(Session *session, MonitorService *monitor, QueueService *queue, StatsSource stats,
                      QObject *parent = nullptr);
    ~ModeratorRequests() override;

    static bool isModeratorRequest(const QString &type);
    void handle(const Identity &who, const QString &type, const QJsonObject &frame, const QString &ref);

private:
    Session *m_session;
    MonitorService *m_monitor;
    QueueService *m_queue;
    StatsSource m_stats;
};

} // namespace mythos
