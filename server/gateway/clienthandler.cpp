#include "gateway/clienthandler.h"

#include "chat/historyrules.h"
#include "chat/playerregistry.h"
#include "chat/presenceservice.h"
#include "config/config.h"
#include "gateway/moderatorrequests.h"
#include "gateway/session.h"
#include "moderation/muteservice.h"
#include "protocol/commandparser.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcClient, "mythos.server.client")

namespace mythos {

namespace {
const QLatin1String kType = wire::field::type;
const QLatin1String kRef = wire::field::ref;

QString stringField(const QJsonObject &frame, const char *key)
{
    return frame.value(QLatin1String(key)).toString();
}
} // namespace

ClientHandler::ClientHandler(Session *session, const ClientServices &services, QObject *parent)
    : QObject(parent), m_session(session), m_services(services)
{
    connect(session, &Session::requestReceived, this, &ClientHandler::onRequest);
    const QByteArray header = session->authorizationHeader();
    if (!header.isEmpty())
        authenticateWith(m_services.authenticator->fromAuthorizationHeader(header), {});
}

ClientHandler::~ClientHandler()
{
    delete m_moderator; // stops its live feed before the session goes
    m_moderator = nullptr;
    leave();
}

void ClientHandler::leave()
{
    if (m_player) {
        m_player = nullptr;
        m_services.registry->detach(m_playerId, m_session);
    }
}

void ClientHandler::reply(const QString &eventType, QJsonObject data, const QString &ref)
{
    m_session->sendEvent(eventType, events::withRef(std::move(data), ref));
}

void ClientHandler::fail(ErrorCode code, const QString &message, const QString &ref)
{
    m_session->sendError({ code, message }, ref);
}

void ClientHandler::onRequest(const QJsonObject &frame)
{
    const QJsonValue refValue = frame.value(kRef);
    if (!refValue.isUndefined() && (!refValue.isString() || refValue.toString().size() > 64)) {
        fail(ErrorCode::InvalidRequest, QStringLiteral("'ref' must be a string of at most 64 characters"), {});
        m_session->countAbuse();
        return;
    }
    const QString ref = refValue.toString();
    const QString type = frame.value(kType).toString();
    if (type.isEmpty()) {
        fail(ErrorCode::InvalidRequest, QStringLiteral("a frame needs a string 'type'"), ref);
        m_session->countAbuse();
        return;
    }
    if (type == wire::request::ping)
        return reply(wire::event::pong, {}, ref);
    if (type == wire::request::auth)
        return handleAuth(frame, ref);
    if (!m_player) {
        if (ModeratorRequests::isModeratorRequest(type))
            return fail(ErrorCode::Unauthenticated, QStringLiteral("authenticate first"), ref);
        static const QStringList known = wire::toStringList(wire::playerRequests);
        if (!known.contains(type)) {
            m_session->countAbuse();
            return fail(ErrorCode::UnknownType, QStringLiteral("unknown request type '%1'").arg(type), ref);
        }
        return fail(ErrorCode::Unauthenticated, QStringLiteral("authenticate first"), ref);
    }
    if (type == wire::request::send)
        return handleSend(frame, ref);
    if (type == wire::request::command)
        return handleCommand(frame, ref);
    if (type == wire::request::move || type == wire::request::party)
        return handleMove(frame, ref);
    if (type == wire::request::history)
        return handleHistory(frame, ref);
    if (type == wire::request::resume)
        return handleResume(frame, ref);
    if (ModeratorRequests::isModeratorRequest(type)) {
        if (!m_moderator)
            return fail(ErrorCode::Forbidden, QStringLiteral("'%1' is for moderators").arg(type), ref);
        return m_moderator->handle(m_player->identity, type, frame, ref);
    }
    if (type == wire::request::rateLimitStatus)
        return reply(wire::event::rateLimitStatus,
                     { { QLatin1String("channels"),
                         m_services.chat->rateLimitStatus(m_playerId, m_player->identity.role) } },
                     ref);
    if (type == wire::request::mute || type == wire::request::unmute || type == wire::request::mutes)
        return handleMute(frame, ref);
    m_session->countAbuse();
    fail(ErrorCode::UnknownType, QStringLiteral("unknown request type '%1'").arg(type), ref);
}

void ClientHandler::handleAuth(const QJsonObject &frame, const QString &ref)
{
    if (m_player)
        return fail(ErrorCode::InvalidRequest, QStringLiteral("already authenticated"), ref);
    authenticateWith(m_services.authenticator->fromFrame(frame), ref);
}

void ClientHandler::authenticateWith(const AuthOutcome &outcome, const QString &ref)
{
    if (const auto *error = std::get_if<ChatError>(&outcome)) {
        m_session->sendError(*error, ref);
        m_session->close(ws::PolicyViolated, QStringLiteral("authentication failed"));
        return;
    }
    const auto &who = std::get<Authenticated>(outcome);
    m_session->markAuthenticated();
    m_playerId = who.identity.id;
    m_player = m_services.registry->attach(who.identity, who.location, m_session);
    if (hasRole(who.identity.role, Role::Moderator))
        m_moderator =
                new ModeratorRequests(m_session,
                                      { m_services.monitor, m_services.queue, m_services.filter, m_services.escalation,
                                        m_services.notes, m_services.logDir, m_services.stats, m_services.config },
                                      this);
    qCInfo(lcClient) << m_session->peer() << "authenticated as" << m_playerId << roleName(who.identity.role);
    const Location &where = m_player->location;
    if (who.freshGuest) {
        // A new guest of a name someone used before: the earlier guest's personal mutes are
        // not theirs (their whispers are filtered by the session start, chat/historyrules.h).
        m_services.mutes->removePersonalMutesOf(who.identity);
    }
    auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    QJsonObject welcome { { QLatin1String("player_id"), who.identity.id },
                          { QLatin1String("player_name"), who.identity.name },
                          { QLatin1String("role"), roleName(who.identity.role) },
                          { QLatin1String("room_id"), orNull(where.scopes.room) },
                          { QLatin1String("party_id"), orNull(where.party) },
                          { QLatin1String("server_id"), m_services.serverId },
                          { QLatin1String("channels"),
                            QJsonArray::fromStringList(m_services.chat->sendableChannels(who.identity.role)) } };
    if (!who.guestKey.isEmpty())
        welcome.insert(QLatin1String("guest_key"), who.guestKey);
    reply(wire::event::welcome, welcome, ref);
}

void ClientHandler::handleSend(const QJsonObject &frame, const QString &ref)
{
    for (const char *key : { "channel", "content" }) {
        if (!frame.value(QLatin1String(key)).isString())
            return fail(ErrorCode::InvalidRequest, QStringLiteral("'send' needs a string '%1'").arg(QLatin1String(key)),
                        ref);
    }
    const QJsonValue target = frame.value(wire::field::target);
    if (!target.isUndefined() && !target.isNull() && !target.isString())
        return fail(ErrorCode::InvalidRequest, QStringLiteral("'target' must be a string"), ref);
    submit({ stringField(frame, "channel"), stringField(frame, "content"), target.toString() }, ref);
}

void ClientHandler::submit(const SendRequest &request, const QString &ref)
{
    const Sender sender { m_player->identity, m_player->location };
    // The reply may come after a database commit; the client may have left by then.
    m_services.chat->submit(sender, request, [self = QPointer<ClientHandler>(this), ref](const SendOutcome &outcome) {
        if (self)
            self->sendOutcome(outcome, ref);
    });
}

void ClientHandler::sendOutcome(const SendOutcome &outcome, const QString &ref)
{
    if (const auto *error = std::get_if<ChatError>(&outcome)) {
        // Sending on after being told to wait is flooding: it counts toward the abuse limit.
        if (error->code == ErrorCode::RateLimited)
            m_session->countAbuse();
        return m_session->sendError(*error, ref);
    }
    const auto &ok = std::get<SendAccepted>(outcome);
    reply(wire::event::ack,
          { { QLatin1String("message_id"), ok.messageId },
            { QLatin1String("filtered"), ok.filtered },
            { QLatin1String("held"), ok.held } },
          ref);
}

void ClientHandler::handleCommand(const QJsonObject &frame, const QString &ref)
{
    if (!frame.value(wire::field::text).isString())
        return fail(ErrorCode::InvalidRequest, QStringLiteral("'command' needs a string 'text'"), ref);
    QSet<QString> channels;
    for (const ChannelSpec &c : m_services.config->channels)
        channels.insert(c.name);
    const ParsedCommand cmd = parseCommand(stringField(frame, "text"), channels);
    using Kind = ParsedCommand::Kind;
    switch (cmd.kind) {
    case Kind::Chat: return submit({ cmd.channel, cmd.content, cmd.target }, ref);
    case Kind::Reply:
        if (m_player->lastWhisperFrom.isEmpty())
            return fail(ErrorCode::InvalidRequest, QStringLiteral("nobody has whispered to you yet"), ref);
        return submit({ QStringLiteral("whisper"), cmd.content, m_player->lastWhisperFrom }, ref);
    case Kind::Help: return reply(wire::event::commandResponse, { { QLatin1String("result"), commandHelp() } }, ref);
    case Kind::Error: return fail(ErrorCode::InvalidRequest, cmd.error, ref);
    case Kind::Mute:
    case Kind::Unmute:
    case Kind::MuteChannel:
    case Kind::UnmuteChannel:
    case Kind::Mutes: return handleMuteCommand(cmd, ref);
    }
}

void ClientHandler::handleMove(const QJsonObject &frame, const QString &ref)
{
    if (!m_services.config->presence.clientMoves)
        return fail(ErrorCode::Forbidden, QStringLiteral("the game server decides where you are on this server"), ref);
    const bool isMove = frame.value(kType).toString() == wire::request::move;
    const char *key = isMove ? "room_id" : "party_id";
    const QJsonValue value = frame.value(QLatin1String(key));
    if (isMove ? !value.isString() : (!value.isString() && !value.isNull()))
        return fail(ErrorCode::InvalidRequest,
                    QStringLiteral("'%1' needs '%2'").arg(frame.value(kType).toString(), QLatin1String(key)), ref);
    if (auto error = m_services.presence->applyFromClient(m_player, { { QLatin1String(key), value } }, m_session, ref))
        fail(error->code, error->message, ref);
}

} // namespace mythos

namespace mythos {

void ClientHandler::handleHistory(const QJsonObject &frame, const QString &ref)
{
    if (!frame.value(wire::field::channel).isString())
        return fail(ErrorCode::InvalidRequest, QStringLiteral("'history' needs a string 'channel'"), ref);
    const HistoryRequest request { stringField(frame, "channel"), frame.value(wire::field::limit),
                                   frame.value(wire::field::before) };
    const HistoryPlan plan = planHistory(*m_services.config, m_player->identity, m_player->location, request);
    if (const auto *error = std::get_if<ChatError>(&plan))
        return m_session->sendError(*error, ref);
    auto respond = [self = QPointer<ClientHandler>(this), ref, channel = request.channel,
                    reader = m_player->identity](const QList<StoredMessage> &messages) {
        if (!self)
            return;
        QJsonArray list;
        for (const StoredMessage &m : messages) {
            if (!isEarlierGuestsWhisper(reader, m))
                list.append(m.toChatData());
        }
        self->reply(wire::event::history,
                    { { QLatin1String("channel"), channel }, { QLatin1String("messages"), list } }, ref);
    };
    if (std::holds_alternative<std::monostate>(plan) || !m_services.store)
        return respond({});
    m_services.store->history(
            std::get<HistoryQuery>(plan),
            [self = QPointer<ClientHandler>(this), ref, respond](const Result<QList<StoredMessage>> &result) {
                if (!self)
                    return;
                if (!result)
                    return self->fail(ErrorCode::Internal, QStringLiteral("history is unavailable right now"), ref);
                respond(result.value());
            });
}

} // namespace mythos

namespace mythos {

namespace {
std::optional<Mute::Scope> readScope(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return Mute::Scope::Personal;
    return v.isString() ? muteScopeFromName(v.toString()) : std::nullopt;
}

QString describeMute(const Mute &m)
{
    QString text =
            m.targetType == QLatin1String("channel") ? QStringLiteral("channel %1").arg(m.targetId) : m.targetName;
    text += m.until.isValid() ? QStringLiteral(" until %1").arg(m.until.toString(Qt::ISODate))
                              : QStringLiteral(" permanently");
    if (!m.reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(m.reason);
    return text;
}
} // namespace

void ClientHandler::handleMute(const QJsonObject &frame, const QString &ref)
{
    const QString type = frame.value(kType).toString();
    const auto scope = readScope(frame.value(wire::field::scope));
    if (!scope)
        return fail(ErrorCode::InvalidRequest, QStringLiteral("'scope' must be personal, server or shadow"), ref);
    auto respond = [self = QPointer<ClientHandler>(this), ref](const MuteOutcome &outcome) {
        if (!self)
            return;
        if (const auto *error = std::get_if<ChatError>(&outcome))
            return self->m_session->sendError(*error, ref);
        QJsonArray list;
        for (const Mute &m : std::get<QList<Mute>>(outcome))
            list.append(m.toProtocol());
        self->reply(wire::event::mutes, { { wire::field::mutes, list } }, ref);
    };
    if (type == wire::request::mutes)
        return respond(m_services.mutes->list(m_player->identity, *scope));
    for (const char *key : { "target_type", "target" }) {
        if (!frame.value(QLatin1String(key)).isString())
            return fail(ErrorCode::InvalidRequest,
                        QStringLiteral("'%1' needs a string '%2'").arg(type, QLatin1String(key)), ref);
    }
    if (type == wire::request::unmute)
        return m_services.mutes->unmute(m_player->identity, stringField(frame, "target_type"),
                                        stringField(frame, "target"), *scope, respond);
    MuteRequest request { stringField(frame, "target_type"),
                          stringField(frame, "target"),
                          std::nullopt,
                          stringField(frame, "reason"),
                          *scope,
                          stringField(frame, "channel") };
    const auto minutes = muteMinutesFrom(frame.value(wire::field::minutes));
    if (const auto *e = std::get_if<ChatError>(&minutes))
        return m_session->sendError(*e, ref);
    request.minutes = std::get<std::optional<int>>(minutes);
    m_services.mutes->mute(m_player->identity, request, respond);
}

void ClientHandler::handleMuteCommand(const ParsedCommand &cmd, const QString &ref)
{
    using Kind = ParsedCommand::Kind;
    auto respond = [self = QPointer<ClientHandler>(this), ref, cmd](const MuteOutcome &outcome) {
        if (!self)
            return;
        if (const auto *error = std::get_if<ChatError>(&outcome))
            return self->m_session->sendError(*error, ref);
        const QList<Mute> &mutes = std::get<QList<Mute>>(outcome);
        QString text;
        switch (cmd.kind) {
        case Kind::Mute:
        case Kind::MuteChannel: {
            const QString target = cmd.kind == Kind::MuteChannel ? cmd.channel : cmd.target;
            auto it = std::find_if(mutes.begin(), mutes.end(), [&](const Mute &m) {
                return m.targetId == target || m.targetName.compare(target, Qt::CaseInsensitive) == 0;
            });
            text = QStringLiteral("You muted ") + (it != mutes.end() ? describeMute(*it) : target) + QLatin1Char('.');
            break;
        }
        case Kind::Unmute: text = QStringLiteral("You unmuted %1.").arg(cmd.target); break;
        case Kind::UnmuteChannel: text = QStringLiteral("You unmuted channel %1.").arg(cmd.channel); break;
        default:
            text = mutes.isEmpty() ? QStringLiteral("You have muted nobody.") : QStringLiteral("Your mutes:");
            for (const Mute &m : mutes)
                text += QStringLiteral("\n  ") + describeMute(m);
        }
        self->reply(wire::event::commandResponse, { { QLatin1String("result"), text } }, ref);
    };
    const Identity &me = m_player->identity;
    const std::optional<int> minutes = cmd.minutes == 0 ? std::nullopt : std::optional<int>(cmd.minutes);
    switch (cmd.kind) {
    case Kind::Mute:
        return m_services.mutes->mute(
                me, { QStringLiteral("player"), cmd.target, minutes, cmd.reason, Mute::Scope::Personal, {} }, respond);
    case Kind::MuteChannel:
        return m_services.mutes->mute(
                me, { QStringLiteral("channel"), cmd.channel, minutes, cmd.reason, Mute::Scope::Personal, {} },
                respond);
    case Kind::Unmute:
        return m_services.mutes->unmute(me, QStringLiteral("player"), cmd.target, Mute::Scope::Personal, respond);
    case Kind::UnmuteChannel:
        return m_services.mutes->unmute(me, QStringLiteral("channel"), cmd.channel, Mute::Scope::Personal, respond);
    default: return respond(m_services.mutes->list(me, Mute::Scope::Personal));
    }
}

} // namespace mythos
