#include "chat/recoveryrules.h"

#include "chat/historyrules.h"
#include "moderation/muteregistry.h"
#include "protocol/wirenames.h"
#include "util/ids.h"

#include <QJsonArray>

namespace mythos {

namespace {
QJsonObject resumed(const ResumePlan &plan, const QJsonArray &messages, const QString &reason)
{
    QJsonObject data { { wire::field::messages, messages }, { wire::field::recovered, reason.isEmpty() } };
    if (!reason.isEmpty())
        data.insert(wire::field::reason, reason);
    if (plan.feed)
        data.insert(wire::field::feed, wire::value::monitorFeed);
    return data;
}

// The bounds every resume shares: where to start reading (the clock window before `since`),
// how many rows, and whether `since` is already too old.
std::variant<ResumePlan, ChatError> boundedPlan(const Config &config, const Identity &who, const QJsonValue &since,
                                                qint64 nowMs)
{
    const std::optional<qint64> sinceMs = since.isString() ? messageIdMillis(since.toString()) : std::nullopt;
    if (!sinceMs || !isValidSubjectId(since.toString()))
        return ChatError { ErrorCode::InvalidRequest,
                           QStringLiteral("'resume' needs 'since': the message_id of the last message you hold") };

    ResumePlan plan;
    plan.reader = who;
    plan.query.readerId = who.id;
    plan.query.since = since.toString();
    plan.query.after = messageIdFloor(std::max<qint64>(0, *sinceMs - kResumeClockWindowMs));
    plan.query.limit = config.recovery.maxMessages + 1;
    plan.tooOld = *sinceMs < nowMs - qint64(config.recovery.maxAgeSeconds) * 1000;
    return plan;
}
} // namespace

std::variant<ResumePlan, ChatError> planResume(const Config &config, const Identity &who, const Location &where,
                                               const QJsonValue &since, qint64 nowMs)
{
    auto bounded = boundedPlan(config, who, since, nowMs);
    auto *plan = std::get_if<ResumePlan>(&bounded);
    if (!plan)
        return bounded;
    for (const ChannelSpec &channel : config.channels) {
        if (!hasRole(who.role, channel.receiveRole()))
            continue;
        const HistoryPlan branch = planHistory(config, who, where, { channel.name, {}, {} });
        if (const auto *query = std::get_if<HistoryQuery>(&branch))
            plan->query.branches.append(*query);
    }
    return bounded;
}

std::variant<ResumePlan, ChatError> planFeedResume(const Config &config, const Identity &who, const QJsonValue &since,
                                                   qint64 nowMs, bool whispersVisible)
{
    if (!hasRole(who.role, Role::Moderator))
        return ChatError { ErrorCode::Forbidden, QStringLiteral("the monitor feed is for moderators") };
    auto bounded = boundedPlan(config, who, since, nowMs);
    auto *plan = std::get_if<ResumePlan>(&bounded);
    if (!plan)
        return bounded;
    plan->feed = true;
    if (!config.history.enabled)
        return bounded;
    for (const ChannelSpec &channel : config.channels) {
        if (channel.scope == ScopeKind::Player && !whispersVisible)
            continue;
        HistoryQuery branch;
        branch.kind = HistoryQuery::Kind::Channel;
        branch.channel = channel.name;
        plan->query.branches.append(branch);
    }
    return bounded;
}

QJsonObject resumedData(const Config &config, const ResumePlan &plan, const RecoveryRows &rows,
                        const MuteRegistry *mutes, const QDateTime &now)
{
    // Rows are oldest first; those after `since` are what the player missed, the ones before
    // it (the clock window) are extras the client may already hold.
    qsizetype missed = 0;
    for (const StoredMessage &m : rows.messages)
        missed += m.id > plan.query.since ? 1 : 0;
    const bool tooMany = missed > config.recovery.maxMessages;
    const qsizetype skip = tooMany ? rows.messages.size() - config.recovery.maxMessages : 0;

    QJsonArray list;
    for (qsizetype i = skip; i < rows.messages.size(); ++i) {
        const StoredMessage &m = rows.messages[i];
        if (!plan.feed && mutes && mutes->hides(plan.query.readerId, m.senderId, m.channel, now))
            continue;
        if (isEarlierGuestsWhisper(plan.reader, m))
            continue;
        QJsonObject data = m.toChatData();
        if (m.shadow && plan.feed) // the feed shows shadowed lines as the live monitor does: marked
            data.insert(wire::field::shadow, true);
        list.append(data);
    }
    QString reason;
    if (!rows.sinceKnown)
        reason = wire::recovery::unknownSince;
    else if (plan.tooOld)
        reason = wire::recovery::tooOld;
    else if (tooMany)
        reason = wire::recovery::tooMany;
    return resumed(plan, list, reason);
}

QJsonObject resumedUnavailable(const ResumePlan &plan)
{
    return resumed(plan, {}, wire::recovery::historyUnavailable);
}

} // namespace mythos
