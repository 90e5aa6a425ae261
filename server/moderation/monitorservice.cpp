#include "moderation/monitorservice.h"

#include "bus/bus.h"
#include "config/config.h"
#include "protocol/event.h"
#include "protocol/subjects.h"
#include "protocol/wirenames.h"

namespace mythos {

namespace {
constexpr int kStatsIntervalMs = 5000;
} // namespace

MonitorService::MonitorService(const Config &config, Bus *bus, const Subjects &subjects,
                               std::function<QJsonObject()> stats, QObject *parent)
    : QObject(parent), m_config(config), m_bus(bus), m_subjects(subjects), m_stats(std::move(stats))
{
    m_statsTimer.setInterval(kStatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, [this] { broadcast(wire::event::stats, m_stats()); });
}

MonitorService::~MonitorService() = default;

QList<QByteArray> MonitorService::feedSubjects() const
{
    QList<QByteArray> subjects;
    for (const ChannelSpec &c : m_config.channels) {
        const QByteArray wildcard = m_subjects.wildcardFor(c);
        if (!wildcard.isEmpty()) // empty: a template the configuration check refused
            subjects.append(wildcard);
    }
    return subjects;
}

void MonitorService::setMonitoring(EventSink *sink, Role role, bool on)
{
    const bool wasActive = isActive();
    if (on)
        m_monitors.insert(sink, role);
    else
        m_monitors.remove(sink);
    if (wasActive == isActive())
        return;
    for (const QByteArray &subject : feedSubjects()) {
        if (isActive())
            m_bus->addInterest(subject);
        else
            m_bus->removeInterest(subject);
    }
    if (isActive()) {
        m_statsTimer.start();
    } else {
        m_statsTimer.stop();
        m_seen.clear();
    }
}

bool MonitorService::firstSighting(const QString &messageId)
{
    if (!isActive() || messageId.isEmpty())
        return true;
    return m_seen.insert(messageId);
}

bool MonitorService::mayReadWhispers(Role role) const
{
    return m_config.moderation.whispersInFeed || hasRole(role, Role::Admin);
}

void MonitorService::observe(const QJsonObject &message)
{
    if (!isActive())
        return;
    const bool whisper = message.value(QLatin1String("channel")).toString() == QLatin1String("whisper");
    const EncodedEvent event = EncodedEvent::encode(wire::event::monitorMessage, message);
    for (auto it = m_monitors.cbegin(); it != m_monitors.cend(); ++it) {
        if (!whisper || mayReadWhispers(it.value()))
            it.key()->deliver(event);
    }
}

void MonitorService::broadcast(const QString &eventType, const QJsonObject &data)
{
    if (!isActive())
        return;
    const EncodedEvent event = EncodedEvent::encode(eventType, data);
    for (auto it = m_monitors.cbegin(); it != m_monitors.cend(); ++it)
        it.key()->deliver(event);
}

} // namespace mythos
