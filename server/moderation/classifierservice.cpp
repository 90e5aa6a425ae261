#include "moderation/classifierservice.h"

#include "bus/bus.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcClassifier, "mythos.server.classifier")

namespace mythos {

ClassifierService::ClassifierService(const ClassifierSection &config, Bus *bus, QByteArray subject, QObject *parent)
    : QObject(parent), m_config(config), m_bus(bus), m_subject(std::move(subject))
{
}

void ClassifierService::classify(const QString &orderKey, const QJsonObject &request, const FilterLevel &level,
                                 bool ask, Done done)
{
    auto queue = m_queues.find(orderKey);
    if (!ask && queue == m_queues.end()) {
        done({}); // nothing before it: no reason to wait
        return;
    }
    if (queue == m_queues.end())
        queue = m_queues.insert(orderKey, {});
    const quint64 id = ++m_nextJob;
    queue->push_back({ id, std::move(done), std::nullopt });
    if (!ask) {
        queue->back().decision = ClassifierDecision {};
        return; // handed on when the ones before it are
    }
    ++m_stats.requests;
    ++m_inFlight;
    // The bus outlives this service in the server, but a test may tear them down in any order.
    QJsonObject sent = request;
    sent.insert(QLatin1String("request_id"),
                QStringLiteral("%1-%2").arg(request.value(QLatin1String("server_id")).toString()).arg(id));
    m_bus->request(m_subject, QJsonDocument(sent).toJson(QJsonDocument::Compact), m_config.timeoutMs,
                   [self = QPointer<ClassifierService>(this), orderKey, id, level = &level](const BusReply &reply) {
                       if (self)
                           self->answered(orderKey, id, level, reply);
                   });
}

void ClassifierService::answered(const QString &orderKey, quint64 jobId, const FilterLevel *level,
                                 const BusReply &reply)
{
    --m_inFlight;
    const ClassifierDecision decision = decisionFor(*level, reply);
    count(decision);
    auto queue = m_queues.find(orderKey);
    if (queue == m_queues.end())
        return;
    for (Job &job : *queue) {
        if (job.id == jobId)
            job.decision = decision;
    }
    release(orderKey);
}

ClassifierDecision ClassifierService::decisionFor(const FilterLevel &level, const BusReply &reply)
{
    switch (reply.status) {
    case BusReply::Status::Timeout:
        ++m_stats.timeouts;
        return failureDecision(m_config, QStringLiteral("no answer within %1 ms").arg(m_config.timeoutMs));
    case BusReply::Status::NoResponders:
        ++m_stats.noResponders;
        return failureDecision(m_config,
                               QStringLiteral("no classifier listens on %1").arg(QString::fromUtf8(m_subject)));
    case BusReply::Status::Unavailable:
        ++m_stats.unavailable;
        return failureDecision(m_config, QStringLiteral("NATS is not connected"));
    case BusReply::Status::Ok: break;
    }
    const ParsedClassifierReply parsed = parseClassifierReply(reply.payload);
    if (parsed.kind == ParsedClassifierReply::Kind::Unreadable) {
        ++m_stats.unreadable;
        qCWarning(lcClassifier) << "unreadable classifier reply on" << m_subject << ':' << parsed.problem << '-'
                                << reply.payload.left(200);
        return failureDecision(m_config, QStringLiteral("unreadable reply (%1)").arg(parsed.problem));
    }
    if (parsed.kind == ParsedClassifierReply::Kind::ClassifierError) {
        ++m_stats.classifierErrors;
        qCWarning(lcClassifier) << "the classifier reported an error:" << parsed.problem;
        return failureDecision(m_config, QStringLiteral("the classifier failed (%1)").arg(parsed.problem));
    }
    ++m_stats.answered;
    ++m_stats.latencyCount;
    m_stats.latencySumMs += reply.elapsedMs;
    for (size_t i = 0; i < ClassifierStats::kBucketsMs.size(); ++i) {
        if (reply.elapsedMs <= ClassifierStats::kBucketsMs[i])
            ++m_stats.latencyBuckets[i];
    }
    return decide(parsed.answer, m_config, level);
}

void ClassifierService::release(const QString &orderKey)
{
    auto queue = m_queues.find(orderKey);
    // Hand on every message at the front that has its decision; done() may submit again, so
    // the queue is looked up afresh each turn.
    while (queue != m_queues.end() && !queue->empty() && queue->front().decision) {
        Job job = std::move(queue->front());
        queue->pop_front();
        if (queue->empty())
            m_queues.erase(queue);
        job.done(*job.decision);
        queue = m_queues.find(orderKey);
    }
}

void ClassifierService::count(const ClassifierDecision &decision)
{
    const FilterAction &a = decision.action;
    if (a.isAllow())
        ++m_stats.outcomes[QStringLiteral("allow")];
    if (a.mask)
        ++m_stats.outcomes[QStringLiteral("mask")];
    if (a.flag)
        ++m_stats.outcomes[QStringLiteral("flag")];
    if (a.hold)
        ++m_stats.outcomes[QStringLiteral("hold")];
}

} // namespace mythos
