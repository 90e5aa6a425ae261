#pragma once
// Asks the external classifier about messages over NATS request/reply without ever blocking
// the event loop, and hands each message on in the order its sender sent it on that channel:
// requests go out at once, answers may come in any order, a message waits only for the
// messages of the same sender and channel that were submitted before it.

#include "bus/busreply.h"
#include "moderation/classifieranswer.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <array>
#include <deque>
#include <functional>

namespace mythos {

class Bus;

struct ClassifierStats
{
    quint64 requests = 0; // sent (or tried: the bus was down)
    quint64 answered = 0; // a usable answer in time
    quint64 timeouts = 0;
    quint64 noResponders = 0;
    quint64 unavailable = 0; // the bus was down or disabled
    quint64 unreadable = 0; // a reply that could not be read
    quint64 classifierErrors = 0; // the classifier answered {"error": ...}
    QHash<QString, quint64> outcomes; // "allow", "mask", "flag", "hold" (a "mask+flag" counts in both)
    // Round-trip times of answered requests, as a Prometheus histogram (upper bounds in ms).
    static constexpr std::array<double, 8> kBucketsMs { 5, 10, 25, 50, 100, 250, 500, 1000 };
    std::array<quint64, kBucketsMs.size()> latencyBuckets {};
    quint64 latencyCount = 0;
    double latencySumMs = 0;
};

class ClassifierService : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const ClassifierDecision &)>;

    ClassifierService(const ClassifierSection &config, Bus *bus, QByteArray subject, QObject *parent = nullptr);

    // `request` is the JSON sent (docs/protocol.md). With `ask` false nothing is sent (the
    // channel is not classified, or the message is held anyway) and `done` gets an allow, but
    // still only after the earlier messages of `orderKey`. `done` runs exactly once, possibly
    // inside this call when nothing is waiting.
    void classify(const QString &orderKey, const QJsonObject &request, const FilterLevel &level, bool ask, Done done);

    const ClassifierStats &stats() const { return m_stats; }
    int inFlight() const { return m_inFlight; }
    const QByteArray &subject() const { return m_subject; }

private:
    struct Job
    {
        quint64 id = 0;
        Done done;
        std::optional<ClassifierDecision> decision;
    };
    void answered(const QString &orderKey, quint64 jobId, const FilterLevel *level, const BusReply &reply);
    ClassifierDecision decisionFor(const FilterLevel &level, const BusReply &reply);
    void release(const QString &orderKey);
    void count(const ClassifierDecision &decision);

    const ClassifierSection &m_config;
    Bus *m_bus;
    QByteArray m_subject;
    // Per sender and channel, the messages not yet handed on, oldest first.
    QHash<QString, std::deque<Job>> m_queues;
    quint64 m_nextJob = 0;
    int m_inFlight = 0;
    ClassifierStats m_stats;
};

} // namespace mythos
