#include "moderation/escalationservice.h"

#include "chat/directory.h"
#include "chat/messageformat.h"
#include "chat/playerregistry.h"
#include "moderation/moderationitem.h"
#include "moderation/muteservice.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcEscalation, "mythos.server.escalation")

namespace mythos {

namespace {

const QString kFilter = QStringLiteral("filter");
const QString kFlood = QStringLiteral("rate_limit_flood");
const QString kWarn = QStringLiteral("warn");

QString actionName(EscalationStep::Action action)
{
    switch (action) {
    case EscalationStep::Action::Warn: return QStringLiteral("warn");
    case EscalationStep::Action::Mute: return QStringLiteral("mute");
    case EscalationStep::Action::Review: return QStringLiteral("review");
    }
    return {};
}

QJsonValue stepJson(const std::optional<EscalationStep> &step)
{
    if (!step)
        return QJsonValue::Null;
    QJsonObject o { { QLatin1String("at"), step->at }, { QLatin1String("action"), actionName(step->action) } };
    if (step->action == EscalationStep::Action::Mute)
        o.insert(QLatin1String("minutes"), step->minutes);
    return o;
}

} // namespace

EscalationService::EscalationService(const Config &config, QString serverId, MessageStore *store, Bus *bus,
                                     QByteArray controlSubject, MuteService *mutes, Directory *directory,
                                     PlayerRegistry *registry, QObject *parent)
    : QObject(parent), m_config(config.moderation.escalation), m_fullConfig(config), m_serverId(std::move(serverId)),
      m_store(store), m_control(bus, "escalation"), m_subject(std::move(controlSubject)), m_mutes(mutes),
      m_directory(directory), m_registry(registry), m_ladder(m_config), m_ids(m_serverId + QStringLiteral("-o"))
{
    m_pruneTimer.setInterval(60 * 1000);
    connect(&m_pruneTimer, &QTimer::timeout, this, &EscalationService::prune);
    m_pruneTimer.start();
}

Result<bool> EscalationService::load()
{
    if (!m_store)
        return true;
    const QDateTime cutOff = m_ladder.decayCutOff(QDateTime::currentDateTimeUtc());
    const auto offences =
            m_store->runBlocking<QList<Offence>>([cutOff](SqlStorage &s) { return s.loadOffences(cutOff); });
    if (!offences)
        return Result<bool>::failure(offences.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Offence &f : offences.value())
        m_ladder.record(f, now); // steps were taken when they happened
    qCInfo(lcEscalation) << "loaded" << offences.value().size() << "live offences";
    return true;
}

void EscalationService::onFiltered(const Identity &sender, const QString &channel, const QList<FilterMatch> &matches,
                                   const QJsonObject &message)
{
    if (!m_config.enabled || hasRole(sender.role, Role::Moderator))
        return;
    const FilterMatch *worst = nullptr;
    for (const FilterMatch &m : matches) {
        if (m.action.isAllow() || m_config.ignoredCategories.contains(m.category))
            continue;
        if (!worst || m.severity > worst->severity)
            worst = &m;
    }
    if (!worst || m_config.filterPoints[static_cast<int>(worst->severity)] == 0)
        return;
    Offence f;
    f.id = message.value(QLatin1String("message_id")).toString();
    f.playerId = sender.id;
    f.kind = kFilter;
    f.points = m_config.filterPoints[static_cast<int>(worst->severity)];
    f.at = QDateTime::currentDateTimeUtc();
    f.actor = QStringLiteral("system");
    f.detail = QStringLiteral("%1 (%2) on %3").arg(worst->category, severityName(worst->severity), channel);
    f.channel = channel;
    record(f, message);
}

void EscalationService::onRateLimitFlood(const QString &playerId, const QString &channel)
{
    if (!m_config.enabled || m_config.rateLimitFloodPoints == 0 || m_directory->isStaff(playerId))
        return;
    Offence f;
    f.at = QDateTime::currentDateTimeUtc();
    f.id = m_ids.next(f.at.toMSecsSinceEpoch());
    f.playerId = playerId;
    f.kind = kFlood;
    f.points = m_config.rateLimitFloodPoints;
    f.actor = QStringLiteral("system");
    f.detail = QStringLiteral("rate-limit flood on %1").arg(channel);
    f.channel = channel;
    record(f, {});
}

void EscalationService::warn(const Identity &moderator, const QString &player, const QString &reason,
                             const Reply &reply)
{
    if (!hasRole(moderator.role, Role::Moderator))
        return reply(ChatError { ErrorCode::Forbidden, QStringLiteral("warnings need a moderator") });
    if (reason.size() > 500)
        return reply(ChatError { ErrorCode::InvalidRequest, QStringLiteral("'reason' is limited to 500 characters") });
    const auto id = m_directory->resolveId(player);
    if (!id)
        return reply(
                ChatError { ErrorCode::UnknownTarget, QStringLiteral("no player named '%1' is known").arg(player) });
    if (m_directory->isStaff(*id))
        return reply(ChatError { ErrorCode::Forbidden, QStringLiteral("moderators and admins are not on the ladder") });
    Offence f;
    f.at = QDateTime::currentDateTimeUtc();
    f.id = m_ids.next(f.at.toMSecsSinceEpoch());
    f.playerId = *id;
    f.kind = kWarn;
    f.points = m_config.warnPoints;
    f.actor = moderator.id;
    f.detail = reason.trimmed();
    record(f, {});
    reply(standingOf(*id));
}

void EscalationService::standing(const Identity &moderator, const QString &player, const Reply &reply) const
{
    if (!hasRole(moderator.role, Role::Moderator))
        return reply(ChatError { ErrorCode::Forbidden, QStringLiteral("a player's standing is for moderators") });
    const auto id = m_directory->resolveId(player);
    if (!id)
        return reply(
                ChatError { ErrorCode::UnknownTarget, QStringLiteral("no player named '%1' is known").arg(player) });
    reply(standingOf(*id));
}

void EscalationService::reset(const Identity &moderator, const QString &player, const Reply &reply)
{
    if (!hasRole(moderator.role, Role::Moderator))
        return reply(ChatError { ErrorCode::Forbidden, QStringLiteral("resetting a standing needs a moderator") });
    const auto id = m_directory->resolveId(player);
    if (!id)
        return reply(
                ChatError { ErrorCode::UnknownTarget, QStringLiteral("no player named '%1' is known").arg(player) });
    const QDateTime at = QDateTime::currentDateTimeUtc();
    m_ladder.reset(*id, at);
    if (m_store) {
        const QString playerId = *id;
        m_store->run<int>("reset a player's offences",
                          [playerId, at](SqlStorage &s) { return s.deleteOffences(playerId, at); });
    }
    publish({ { QLatin1String("op"), QLatin1String("reset") },
              { QLatin1String("player_id"), *id },
              { QLatin1String("at"), isoTimestamp(at) },
              { QLatin1String("actor"), moderator.id } });
    Q_EMIT standingReset(moderator, *id);
    reply(standingOf(*id));
}

QJsonObject EscalationService::standingOf(const QString &playerId) const
{
    const Standing s = m_ladder.standing(playerId, QDateTime::currentDateTimeUtc());
    QJsonArray offences;
    for (const Offence &f : s.offences)
        offences.append(f.toJson());
    return {
        { QLatin1String("player_id"), playerId },         { QLatin1String("points"), s.points },
        { QLatin1String("offences"), offences },          { QLatin1String("last_step"), stepJson(s.lastReached) },
        { QLatin1String("next_step"), stepJson(s.next) }, { QLatin1String("decay_minutes"), m_config.decayMinutes },
        { QLatin1String("enabled"), m_config.enabled }
    };
}

void EscalationService::record(Offence offence, const QJsonObject &message)
{
    offence.origin = m_serverId;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<EscalationStep> reached = m_ladder.record(offence, now);
    if (!m_ladder.knows(offence.id))
        return; // decayed already or from before a reset
    ++m_recorded;
    const int points = m_ladder.points(offence.playerId, now);
    if (m_store)
        m_store->run<bool>("save an offence", [offence](SqlStorage &s) { return s.saveOffence(offence); });
    Q_EMIT offenceRecorded(offence, points);

    QString notice = offence.kind == kWarn
            ? QStringLiteral("A moderator warned you%1")
                      .arg(offence.detail.isEmpty() ? QString() : QStringLiteral(": ") + offence.detail)
            : QString();
    // One offence can reach several steps at once (2 points over two 1-point steps): the
    // highest is the one that applies.
    if (m_config.enabled && !reached.isEmpty()) {
        const EscalationStep &step = reached.constLast();
        takeStep(step, offence, message, points);
        const QString stepNotice = step.action == EscalationStep::Action::Mute
                ? (step.minutes > 0 ? QStringLiteral("You are muted for %1 minutes").arg(step.minutes)
                                    : QStringLiteral("You are muted until a moderator lifts it"))
                : step.action == EscalationStep::Action::Review
                ? QStringLiteral("Your recent messages were sent to a moderator for review")
                : QStringLiteral("Warning: please keep the chat civil");
        notice = (notice.isEmpty() ? QString() : notice + QStringLiteral(". "))
                + QStringLiteral("%1 (%2 %3 on your record; they expire after %4 hours).")
                          .arg(stepNotice)
                          .arg(points)
                          .arg(points == 1 ? QStringLiteral("point") : QStringLiteral("points"))
                          .arg(m_config.decayMinutes / 60.0, 0, 'g', 3);
    } else if (!notice.isEmpty()) {
        notice += QLatin1Char('.');
    }
    if (!notice.isEmpty())
        notify(offence.playerId, notice, points);
    QJsonObject control { { QLatin1String("op"), QLatin1String("offence") },
                          { QLatin1String("offence"), offence.toJson() } };
    if (!notice.isEmpty())
        control.insert(QLatin1String("notice"), notice);
    publish(control);
}

void EscalationService::takeStep(const EscalationStep &step, const Offence &offence, const QJsonObject &message,
                                 int standing)
{
    ++m_steps;
    Q_EMIT stepTaken(offence.playerId, actionName(step.action), step.minutes, standing);
    if (step.action == EscalationStep::Action::Mute) {
        MuteRequest request;
        request.targetType = QStringLiteral("player");
        request.target = offence.playerId;
        request.scope = Mute::Scope::Server;
        if (step.minutes > 0)
            request.minutes = step.minutes;
        request.reason = QStringLiteral("escalation: %1 points (%2)").arg(standing).arg(offence.detail);
        const Identity ladder { QStringLiteral("escalation"), QStringLiteral("Escalation ladder"), Role::Moderator };
        const QString playerId = offence.playerId;
        m_mutes->mute(ladder, request, [playerId](const MuteOutcome &outcome) {
            if (const auto *error = std::get_if<ChatError>(&outcome))
                qCWarning(lcEscalation).noquote()
                        << QStringLiteral("the ladder could not mute %1: %2").arg(playerId, error->message);
        });
    } else if (step.action == EscalationStep::Action::Review) {
        queueForReview(offence, message, standing);
    }
}

void EscalationService::queueForReview(const Offence &offence, const QJsonObject &message, int standing)
{
    ModerationItem item;
    item.messageId = message.isEmpty() ? offence.id : message.value(QLatin1String("message_id")).toString();
    item.id = QStringLiteral("q-review-") + offence.id;
    item.kind = QStringLiteral("review");
    item.senderId = offence.playerId;
    item.channel = offence.channel.isEmpty() ? QStringLiteral("") : offence.channel; // the column is NOT NULL
    item.message = message.isEmpty() ? QJsonObject { { QLatin1String("message_id"), offence.id },
                                                     { QLatin1String("channel"), item.channel },
                                                     { QLatin1String("sender_id"), offence.playerId },
                                                     { QLatin1String("content"), offence.detail } }
                                     : message;
    item.reasons = { QStringLiteral("escalation: %1 points").arg(standing) };
    item.createdAt = QDateTime::currentDateTimeUtc();
    item.origin = m_serverId;
    item.context = { { QLatin1String("standing"), standingOf(offence.playerId) } };
    if (!m_store) {
        Q_EMIT reviewQueued(item);
        return;
    }
    HistoryQuery scope;
    scope.channel = item.channel;
    const ChannelSpec *channel = m_fullConfig.channel(item.channel);
    if (channel && channel->scope != ScopeKind::Player) {
        scope.scopeKey = message.value(QLatin1String("scope_id")).toString();
    } else {
        scope.kind = HistoryQuery::Kind::Whisper;
        scope.playerId = offence.playerId;
    }
    m_store->run<ModerationItem>(
            "queue a player for review", [item, scope](SqlStorage &s) { return s.enqueueModeration(item, scope); },
            [this](const Result<ModerationItem> &queued) {
                if (queued)
                    Q_EMIT reviewQueued(queued.value());
            });
}

void EscalationService::notify(const QString &playerId, const QString &text, int standing)
{
    OnlinePlayer *player = m_registry->find(playerId);
    if (!player)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString name = QStringLiteral("Moderation");
    const QJsonObject data { { QLatin1String("message_id"), m_ids.next(now.toMSecsSinceEpoch()) },
                             { QLatin1String("channel"), QLatin1String("system") },
                             { QLatin1String("sender_id"), QLatin1String("system") },
                             { QLatin1String("sender_name"), name },
                             { QLatin1String("content"), text },
                             { QLatin1String("message"), printableLine(QStringLiteral("system"), name, text) },
                             { QLatin1String("timestamp"), isoTimestamp(now) },
                             { QLatin1String("filtered"), false },
                             { QLatin1String("notice"), QLatin1String("escalation") },
                             { QLatin1String("standing"), standing } };
    const EncodedEvent event = EncodedEvent::encode(wire::event::chatMessage, data, now);
    for (EventSink *sink : std::as_const(player->sinks))
        sink->deliver(event);
}

void EscalationService::publish(QJsonObject message)
{
    message.insert(QLatin1String("origin"), m_serverId);
    m_control.publish(m_subject, QJsonDocument(message).toJson(QJsonDocument::Compact));
}

bool EscalationService::handleControl(const QByteArray &payload)
{
    const QJsonObject msg = QJsonDocument::fromJson(payload).object();
    const QString op = msg.value(QLatin1String("op")).toString();
    if (msg.value(QLatin1String("origin")).toString() == m_serverId)
        return true;
    const bool ownDatabase = m_store && !m_store->isShared();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (op == QLatin1String("offence")) {
        const auto offence = Offence::fromJson(msg.value(QLatin1String("offence")).toObject());
        if (offence) {
            m_ladder.record(*offence, now); // the instance that recorded it took the steps
            if (ownDatabase)
                m_store->run<bool>("save a relayed offence",
                                   [f = *offence](SqlStorage &s) { return s.saveOffence(f); });
            const QString notice = msg.value(QLatin1String("notice")).toString();
            if (!notice.isEmpty())
                notify(offence->playerId, notice, m_ladder.points(offence->playerId, now));
            return true;
        }
    } else if (op == QLatin1String("reset")) {
        const QString playerId = msg.value(QLatin1String("player_id")).toString();
        const QDateTime at =
                QDateTime::fromString(msg.value(QLatin1String("at")).toString(), Qt::ISODateWithMs).toUTC();
        if (!playerId.isEmpty() && at.isValid()) {
            m_ladder.reset(playerId, at);
            if (ownDatabase)
                m_store->run<int>("reset a player's offences",
                                  [playerId, at](SqlStorage &s) { return s.deleteOffences(playerId, at); });
            return true;
        }
    }
    ++m_rejected;
    qCWarning(lcEscalation).noquote() << "ignoring an escalation control message that is not a good offence or reset:"
                                      << QString::fromUtf8(payload.left(200));
    return false;
}

void EscalationService::prune()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_ladder.prune(now);
    if (m_store) {
        const QDateTime cutOff = m_ladder.decayCutOff(now);
        m_store->run<int>("delete decayed offences", [cutOff](SqlStorage &s) { return s.pruneOffences(cutOff); });
    }
}

} // namespace mythos
