#include "chat/chatservice.h"

#include "bus/bus.h"
#include "chat/directory.h"
#include "chat/messageformat.h"
#include "chat/playerregistry.h"
#include "chat/router.h"
#include "config/config.h"
#include "moderation/filterservice.h"
#include "moderation/monitorservice.h"
#include "moderation/muteregistry.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcChat, "mythos.server.chat")

namespace mythos {

namespace {
const QLatin1String kOrigin("origin");

QString scopeMissingMessage(ScopeKind kind)
{
    switch (kind) {
    case ScopeKind::Party: return QStringLiteral("you are not in a party");
    case ScopeKind::Room:
    case ScopeKind::Subzone:
    case ScopeKind::Zone:
    case ScopeKind::Plane: return QStringLiteral("you are not in a room yet");
    default: return QStringLiteral("this channel has no audience for you");
    }
}
} // namespace

ChatService::ChatService(const Config &config, QString serverId, PlayerRegistry *registry, Directory *directory,
                         Router *router, Bus *bus, MessageStore *store, const MuteRegistry *mutes,
                         FilterService *filter, QObject *parent)
    : QObject(parent), m_config(config), m_serverId(serverId), m_registry(registry), m_directory(directory),
      m_router(router), m_bus(bus), m_store(store), m_mutes(mutes), m_filter(filter), m_ids(serverId)
{
    // Windows older than a minute are empty by definition: forget them.
    m_rateSweep.setInterval(RateLimiter::kWindowMs);
    connect(&m_rateSweep, &QTimer::timeout, this, [this] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        m_rateLimiter.sweep(now);
        m_violations.sweep(now);
    });
    m_rateSweep.start();
}

QJsonObject ChatService::rateLimitStatus(const QString &playerId, Role role)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonObject channels;
    for (const ChannelSpec &c : m_config.channels) {
        if (!hasRole(role, c.sendRole))
            continue;
        const RateStatus s = m_config.rateLimitingEnabled ? m_rateLimiter.status(playerId, c.name, c.rateLimit, now)
                                                          : RateStatus { c.rateLimit, c.rateLimit, 0 };
        channels.insert(c.name,
                        QJsonObject { { QLatin1String("limit"), s.limit },
                                      { QLatin1String("remaining"), s.remaining },
                                      { QLatin1String("reset_ms"), static_cast<double>(s.resetMs) } });
    }
    return channels;
}

QStringList ChatService::sendableChannels(Role role) const
{
    QStringList names;
    for (const ChannelSpec &c : m_config.channels) {
        if (hasRole(role, c.sendRole))
            names.append(c.name);
    }
    return names;
}

ChatError ChatService::refuse(ErrorCode code, const QString &message)
{
    ++m_stats.refusedByCode[errorCodeName(code)];
    return { code, message };
}

std::optional<ChatError> ChatService::validate(const Sender &sender, const SendRequest &request,
                                               const ChannelSpec *&channel, QString &content, QString &targetId,
                                               QString &targetName) const
{
    auto fail = [](ErrorCode code, QString message) { return ChatError { code, std::move(message) }; };
    channel = m_config.channel(request.channel);
    if (!channel)
        return fail(ErrorCode::UnknownChannel, QStringLiteral("no channel named '%1'").arg(request.channel));
    if (!hasRole(sender.identity.role, channel->sendRole))
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("only %1s may send on %2").arg(roleName(channel->sendRole), channel->name));
    content = request.content.trimmed();
    if (content.isEmpty())
        return fail(ErrorCode::Empty, QStringLiteral("message is empty"));
    const qsizetype length = characterCount(content);
    if (length > channel->maxLength)
        return fail(ErrorCode::TooLong,
                    QStringLiteral("message is %1 characters; %2 allows %3")
                            .arg(length)
                            .arg(channel->name)
                            .arg(channel->maxLength));
    if (channel->scope == ScopeKind::Player) {
        if (request.target.trimmed().isEmpty())
            return fail(ErrorCode::InvalidRequest, QStringLiteral("whisper needs a target"));
        const auto entry = m_directory->resolve(request.target.trimmed());
        if (!entry)
            return fail(ErrorCode::UnknownTarget, QStringLiteral("no player named '%1' is online").arg(request.target));
        if (entry->id == sender.identity.id)
            return fail(ErrorCode::InvalidRequest, QStringLiteral("you cannot whisper to yourself"));
        targetId = entry->id;
        targetName = entry->name;
    } else if (scopeNeedsId(channel->scope) && sender.location.idFor(channel->scope).isEmpty()) {
        return fail(ErrorCode::InvalidRequest, scopeMissingMessage(channel->scope));
    }
    return std::nullopt;
}

void ChatService::submit(const Sender &sender, const SendRequest &request, const Reply &reply)
{
    const ChannelSpec *channel = nullptr;
    QString content, targetId, targetName;
    if (auto error = validate(sender, request, channel, content, targetId, targetName)) {
        ++m_stats.refusedByCode[errorCodeName(error->code)];
        reply(*error);
        return;
    }
    const QByteArray subject = m_registry->subjectFor(*channel, sender.location, targetId);
    if (subject.isEmpty()) {
        reply(refuse(ErrorCode::InvalidRequest, QStringLiteral("cannot address this channel from here")));
        return;
    }
    if (const auto mute = m_mutes->serverMute(sender.identity.id, channel->name, QDateTime::currentDateTimeUtc())) {
        const QString until = mute->until.isValid() ? isoTimestamp(mute->until) : QString();
        ChatError error =
                refuse(ErrorCode::Muted,
                       QStringLiteral("you are muted %1%2%3")
                               .arg(mute->channel.isEmpty() ? QString() : QStringLiteral("on %1 ").arg(mute->channel),
                                    until.isEmpty() ? QStringLiteral("until a moderator lifts it")
                                                    : QStringLiteral("until ") + until,
                                    mute->reason.isEmpty() ? QString() : QStringLiteral(": ") + mute->reason));
        error.mutedUntil = until;
        reply(error);
        return;
    }
    if (m_config.rateLimitingEnabled) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 wait = m_rateLimiter.retryAfterMs(sender.identity.id, channel->name, channel->rateLimit, now);
        if (wait > 0) {
            ChatError error = refuse(ErrorCode::RateLimited,
                                     QStringLiteral("%1 allows %2 messages a minute; wait %3 s")
                                             .arg(channel->name)
                                             .arg(channel->rateLimit)
                                             .arg((wait + 999) / 1000));
            error.retryAfterMs = wait;
            if (m_violations.record(sender.identity.id, channel->name, now, wait))
                Q_EMIT rateLimitViolated(sender.identity.id, channel->name, channel->rateLimit, wait);
            reply(error);
            return;
        }
        // Counted on acceptance (a refused message never uses the window up).
        m_rateLimiter.record(sender.identity.id, channel->name, now);
    }

    auto decided = [this, sender, channel, subject, original = content, targetId, targetName,
                    reply](const FilterVerdict &verdict) {
        if (m_classifier)
            return classifyThenAccept(sender, channel, subject, original, verdict, targetId, targetName, reply);
        accept(sender, channel, subject, original, verdict, targetId, targetName, reply);
    };
    if (!m_filter)
        return decided(FilterVerdict { content });
    // Maybe on the filter's thread; the verdicts come back in order, and the rest stays here.
    m_filter->checkInOrder(content, *channel, this, std::move(decided));
}

void ChatService::accept(const Sender &sender, const ChannelSpec *channel, const QByteArray &subject,
                         const QString &original, const FilterVerdict &verdict, const QString &targetId,
                         const QString &targetName, const Reply &reply)
{
    QJsonObject message = buildMessage(sender, *channel, verdict.content, targetId, targetName);
    message.insert(QLatin1String("filtered"), verdict.masked);
    const SendAccepted accepted { message.value(QLatin1String("message_id")).toString(), verdict.masked, verdict.held };
    m_stats.masked += verdict.masked;
    // Decided here, by the accepting instance: the line never goes out on a players' subject,
    // so no other instance needs to know the mute for its players never to get it. Shadowed
    // lines reach nobody, so they are not offences either (a ladder mute would tell).
    const bool shadowed =
            m_mutes->shadowMute(sender.identity.id, channel->name, QDateTime::currentDateTimeUtc()).has_value();
    if (shadowed)
        return acceptShadowed(message, original, accepted, reply);
    // Counted once the sender has their ack, so a notice it causes comes after it.
    auto countMatches = [this, identity = sender.identity, channelName = channel->name, matches = verdict.matches,
                         message] {
        if (!matches.isEmpty())
            Q_EMIT filterMatched(identity, channelName, matches, message);
    };
    if (verdict.held) {
        // Held: nobody receives it and history does not have it until a moderator approves.
        ++m_stats.held;
        ++m_stats.accepted;
        queueForModeration(QStringLiteral("held"), withOriginal(message, original), verdict, sender, *channel);
        reply(accepted);
        countMatches();
        return;
    }
    if (verdict.flagged) {
        ++m_stats.flagged;
        queueForModeration(QStringLiteral("flagged"), withOriginal(message, original), verdict, sender, *channel);
    }
    if (!m_store) {
        ++m_stats.accepted;
        reply(accepted);
        route(subject, std::move(message), original);
        countMatches();
        return;
    }
    // Stored before acknowledged: the ack and the delivery wait for the batch commit.
    m_store->append(StoredMessage::fromChatData(message, m_serverId),
                    [this, reply, accepted, subject, message, original, countMatches](bool stored) {
                        if (!stored) {
                            ++m_stats.storeFailures;
                            reply(refuse(ErrorCode::Internal,
                                         QStringLiteral("the message could not be stored; please try again")));
                            return;
                        }
                        ++m_stats.accepted;
                        reply(accepted);
                        route(subject, message, original);
                        countMatches();
                    });
}

namespace {
// What moderators read in the queue: each matched rule's category and name; the expression
// is there for whoever asks for it.
QJsonArray matchedRules(const FilterVerdict &verdict)
{
    QJsonArray rules;
    for (const KeywordRule &r : verdict.matchedRules)
        rules.append(QJsonObject { { wire::field::rule, r.name },
                                   { wire::field::category, r.category },
                                   { wire::field::severity, severityName(r.severity) },
                                   { wire::field::pattern, r.pattern } });
    return rules;
}
} // namespace

void ChatService::queueForModeration(const QString &kind, const QJsonObject &message, const FilterVerdict &verdict,
                                     const Sender &sender, const ChannelSpec &channel)
{
    const QStringList &reasons = verdict.matchedPatterns;
    Q_EMIT messageQueued(kind, message, reasons);
    if (!m_store)
        return; // without a database the moderation log line is the record
    ModerationItem item;
    item.messageId = message.value(QLatin1String("message_id")).toString();
    item.id = QStringLiteral("q-") + item.messageId;
    item.kind = kind;
    item.senderId = sender.identity.id;
    item.channel = channel.name;
    item.message = message;
    item.reasons = reasons;
    item.createdAt = QDateTime::currentDateTimeUtc();
    item.origin = m_serverId;
    QJsonArray serverMutes;
    if (const auto mute = m_mutes->serverMute(sender.identity.id, channel.name, item.createdAt))
        serverMutes.append(mute->toProtocol());
    item.context = { { QLatin1String("sender"),
                       QJsonObject { { QLatin1String("id"), sender.identity.id },
                                     { QLatin1String("name"), sender.identity.name },
                                     { QLatin1String("role"), roleName(sender.identity.role) } } },
                     { QLatin1String("room_id"), sender.location.scopes.room },
                     { QLatin1String("scope_ids"),
                       QJsonObject { { QLatin1String("plane"), sender.location.scopes.plane },
                                     { QLatin1String("zone"), sender.location.scopes.zone },
                                     { QLatin1String("subzone"), sender.location.scopes.subzone } } },
                     { QLatin1String("party_id"), sender.location.party },
                     { QLatin1String("server_mutes"), serverMutes },
                     { wire::field::matched, matchedRules(verdict) },
                     { QLatin1String("rate_limited_last_hour"),
                       m_violations.lastHour(sender.identity.id, QDateTime::currentMSecsSinceEpoch()) } };
    HistoryQuery scope;
    scope.channel = channel.name;
    if (channel.scope == ScopeKind::Player) {
        scope.kind = HistoryQuery::Kind::Whisper;
        scope.playerId = sender.identity.id;
    } else {
        scope.scopeKey = sender.location.idFor(channel.scope);
    }
    // Announced once stored, as stored: the context's recent lines are read in the same step,
    // so the first sight moderators get of the item is complete.
    m_store->run<ModerationItem>(
            "queue a message for moderation", [item, scope](SqlStorage &s) { return s.enqueueModeration(item, scope); },
            [this](const Result<ModerationItem> &queued) {
                if (queued)
                    Q_EMIT itemQueued(queued.value());
            });
}

QJsonObject ChatService::buildMessage(const Sender &sender, const ChannelSpec &channel, const QString &content,
                                      const QString &targetId, const QString &targetName)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject message {
        { QLatin1String("message_id"), m_ids.next(now.toMSecsSinceEpoch()) },
        { QLatin1String("channel"), channel.name },
        { QLatin1String("sender_id"), sender.identity.id },
        { QLatin1String("sender_name"), sender.identity.name },
        { QLatin1String("content"), content },
        { QLatin1String("message"), printableLine(channel.name, sender.identity.name, content) },
        { QLatin1String("timestamp"), isoTimestamp(now) },
        { QLatin1String("filtered"), false },
    };
    const QString scopeId = sender.location.idFor(channel.scope);
    if (!sender.location.scopes.room.isEmpty() && channel.scope <= ScopeKind::Plane)
        message.insert(QLatin1String("room_id"), sender.location.scopes.room);
    if (!scopeId.isEmpty())
        message.insert(QLatin1String("scope_id"), scopeId);
    if (channel.scope == ScopeKind::Party)
        message.insert(QLatin1String("party_id"), scopeId);
    if (!targetId.isEmpty()) {
        message.insert(QLatin1String("target_id"), targetId);
        message.insert(QLatin1String("target_name"), targetName);
    }
    return message;
}

QByteArray ChatService::subjectOf(const QJsonObject &message) const
{
    const ChannelSpec *channel = m_config.channel(message.value(QLatin1String("channel")).toString());
    if (!channel)
        return {};
    if (channel->scope == ScopeKind::Player)
        return m_registry->subjects().forChannel(*channel, message.value(QLatin1String("target_id")).toString());
    return m_registry->subjects().forChannel(*channel, message.value(QLatin1String("scope_id")).toString());
}

void ChatService::deliverApproved(const QJsonObject &message)
{
    const QByteArray subject = subjectOf(message);
    if (subject.isEmpty()) {
        qCWarning(lcChat) << "cannot deliver an approved message on a channel that no longer exists:"
                          << message.value(QLatin1String("channel"));
        return;
    }
    // The queue's copy carries what the player wrote; players get the message as filtered.
    QJsonObject forPlayers = message;
    const QString original =
            forPlayers.take(wire::field::originalContent).toString(message.value(QLatin1String("content")).toString());
    if (!m_store)
        return route(subject, forPlayers, original);
    m_store->append(StoredMessage::fromChatData(forPlayers, m_serverId),
                    [this, subject, forPlayers, original](bool stored) {
                        if (!stored)
                            ++m_stats.storeFailures;
                        route(subject, forPlayers, original); // approved: deliver even if history failed
                    });
}

QJsonObject ChatService::withOriginal(QJsonObject message, const QString &original)
{
    if (original != message.value(QLatin1String("content")).toString())
        message.insert(wire::field::originalContent, original);
    return message;
}

void ChatService::route(const QByteArray &subject, QJsonObject message, const QString &original)
{
    Q_EMIT messageAccepted(message, original);
    m_router->deliver(subject, message);
    // Moderators, here and on the other instances (whose feeds read the bus), see what was
    // written; the instances strip it before their players get the message (deliverRelayed).
    message = withOriginal(std::move(message), original);
    if (m_monitor) {
        m_monitor->firstSighting(message.value(QLatin1String("message_id")).toString());
        m_monitor->observe(message);
    }
    message.insert(kOrigin, m_serverId);
    if (m_bus->publish(subject, QJsonDocument(message).toJson(QJsonDocument::Compact)))
        ++m_stats.published;
    else
        ++m_stats.keptLocal;
}

} // namespace mythos
