#pragma once
// The moderators' live view: while at least one moderator on this instance monitors, the
// instance listens to every chat subject (`{prefix}.{channel}.>`) and copies each message to the
// monitoring connections (whispers to admins only), plus a periodic `stats` event.

#include "chat/identity.h"
#include "protocol/subjects.h"
#include "util/recentids.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace mythos {

struct Config;
class Bus;
class Subjects;

class MonitorService : public QObject
{
    Q_OBJECT
public:
    // Whispers are private: moderators read them (feed and logs) only where configured,
    // admins always (moderation.whispers_in_feed).
    bool mayReadWhispers(Role role) const;
    MonitorService(const Config &config, Bus *bus, const Subjects &subjects, std::function<QJsonObject()> stats,
                   QObject *parent = nullptr);
    ~MonitorService() override;

    void setMonitoring(EventSink *sink, Role role, bool on);
    void forget(EventSink *sink) { setMonitoring(sink, Role::Player, false); }
    bool isActive() const { return !m_monitors.isEmpty(); }
    int monitorCount() const { return static_cast<int>(m_monitors.size()); }

    // Every message delivered on this instance (accepted here or relayed).
    void observe(const QJsonObject &message);
    // A wildcard feed subscription and a player's own subscription both deliver a relayed
    // message: true only the first time its id is seen while the feed is on.
    bool firstSighting(const QString &messageId);
    void broadcast(const QString &eventType, const QJsonObject &data);

private:
    QList<QByteArray> feedSubjects() const;

    const Config &m_config;
    Bus *m_bus;
    Subjects m_subjects;
    std::function<QJsonObject()> m_stats;
    QHash<EventSink *, Role> m_monitors;
    QTimer m_statsTimer;
    RecentIds m_seen { 20000 }; // far more than can be in flight twice
};

} // namespace mythos
