// The pipeline's classifier step (docs/moderation.md, "External classifier"): after the content
// filter, the message waits for the external classifier's answer (or on_failure) and then goes
// on as if the filter had decided it. Kept apart from chatservice.cpp so the step stays
// readable in one place.
#include "chat/chatservice.h"

#include "config/config.h"
#include "moderation/classifierservice.h"
#include "moderation/contentfilter.h"

#include <QDateTime>

namespace mythos {

namespace {

QJsonObject classifierRequest(const QString &serverId, const Sender &sender, const ChannelSpec &channel,
                              const QString &content, const QString &targetId, const QString &targetName)
{
    QJsonObject request {
        { QLatin1String("version"), 1 },
        { QLatin1String("server_id"), serverId },
        { QLatin1String("channel"), channel.name },
        { QLatin1String("content"), content },
        { QLatin1String("sender"),
          QJsonObject { { QLatin1String("id"), sender.identity.id },
                        { QLatin1String("name"), sender.identity.name },
                        { QLatin1String("role"), roleName(sender.identity.role) } } },
        { QLatin1String("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
    };
    if (const QString scopeId = sender.location.idFor(channel.scope); !scopeId.isEmpty())
        request.insert(QLatin1String("scope_id"), scopeId);
    if (!sender.location.scopes.room.isEmpty())
        request.insert(QLatin1String("room_id"), sender.location.scopes.room);
    if (!targetId.isEmpty())
        request.insert(QLatin1String("target"),
                       QJsonObject { { QLatin1String("id"), targetId }, { QLatin1String("name"), targetName } });
    return request;
}

QString describe(const ClassifierMatch &m)
{
    if (m.score < 0)
        return QStringLiteral("verdict %1").arg(m.action.toString());
    return QStringLiteral("score %1 -> %2").arg(m.score, 0, 'g', 3).arg(m.action.toString());
}

// The decision in the filter's terms: what moderators see in the queue (context.matched and
// the log's reasons) names the classifier, the category and the score behind it.
FilterVerdict merged(FilterVerdict verdict, const ClassifierDecision &decision)
{
    const FilterAction &a = decision.action;
    if (a.isAllow())
        return verdict;
    if (a.mask) {
        verdict.content = maskedWhole(verdict.content);
        verdict.masked = true;
    }
    verdict.flagged = verdict.flagged || a.flag;
    verdict.held = verdict.held || a.hold;
    if (decision.failed) {
        verdict.matchedRules.append(
                { QStringLiteral("classifier"), decision.label, QStringLiteral("on_failure: %1").arg(a.toString()) });
        verdict.matchedPatterns.append(decision.label);
        return verdict;
    }
    for (const ClassifierMatch &m : decision.matches) {
        verdict.matchedRules.append(
                { m.category, decision.label, describe(m), m.severity.value_or(Severity::Moderate) });
        verdict.matchedPatterns.append(QStringLiteral("%1: %2 %3").arg(decision.label, m.category, describe(m)));
    }
    return verdict;
}

} // namespace

void ChatService::classifyThenAccept(const Sender &sender, const ChannelSpec *channel, const QByteArray &subject,
                                     const QString &original, const FilterVerdict &verdict, const QString &targetId,
                                     const QString &targetName, const Reply &reply)
{
    const ClassifierSection &config = m_config.contentFiltering.classifier;
    // A held message waits for a moderator anyway; it still keeps its place in the order.
    const bool ask = config.classifies(channel->name) && !verdict.held;
    const FilterLevel &level = m_config.contentFiltering.levelFor(*channel);
    const QString orderKey = sender.identity.id + QLatin1Char('\n') + channel->name;
    m_classifier->classify(
            orderKey,
            ask ? classifierRequest(m_serverId, sender, *channel, original, targetId, targetName) : QJsonObject(),
            level, ask,
            [this, sender, channel, subject, original, verdict, targetId, targetName,
             reply](const ClassifierDecision &decision) {
                accept(sender, channel, subject, original, merged(verdict, decision), targetId, targetName, reply);
            });
}

} // namespace mythos
