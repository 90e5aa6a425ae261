#include "gateway/httpapi.h"

#include "gateway/httpresponse.h"
#include "protocol/event.h"

#include "chat/historyrules.h"
#include "chat/playerregistry.h"
#include "config/config.h"
#include "moderation/muteservice.h"
#include "storage/messagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace mythos {

namespace {
using Status = QHttpServerResponder::StatusCode;
} // namespace

void writeJson(PendingReply &reply, const QJsonObject &body, int status)
{
    if (QHttpServerResponder *responder = reply.responder())
        writeJson(*responder, body, status);
}

void writeError(PendingReply &reply, const ChatError &error)
{
    if (QHttpServerResponder *responder = reply.responder())
        writeError(*responder, error);
}

void writeJson(QHttpServerResponder &responder, const QJsonObject &body, int status)
{
    writeHttpJson(responder, static_cast<Status>(status), body);
}

void writeError(QHttpServerResponder &responder, const ChatError &error)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (error.code == ErrorCode::RateLimited)
        headers.append({ "Retry-After", QByteArray::number((std::max<qint64>(error.retryAfterMs, 0) + 999) / 1000) });
    writeHttp(responder, static_cast<Status>(httpStatusFor(error.code)), "application/json",
              events::httpErrorBody(errorCodeName(error.code), error.message), headers);
}

HttpApi::HttpApi(QHttpServer &http, const ClientServices &services, std::function<QByteArray()> metrics,
                 std::function<bool()> serving, QObject *parent)
    : QObject(parent), m_services(services), m_metrics(std::move(metrics)), m_serving(std::move(serving))
{
    using Method = QHttpServerRequest::Method;
    http.route(QStringLiteral("/chat/send"), Method::Post,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   send(request, reply(std::move(responder)));
               });
    http.route(QStringLiteral("/chat/history/<arg>"), Method::Get,
               [this](const QString &channel, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   history(channel, request, reply(std::move(responder)));
               });
    http.route(QStringLiteral("/chat/rate-limit/status"), Method::Get,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   rateLimitStatus(request, reply(std::move(responder)));
               });
    for (const QString &type : { QStringLiteral("channel"), QStringLiteral("player") }) {
        http.route(QStringLiteral("/chat/mute/") + type, Method::Post,
                   [this, type](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                       mute(type, request, reply(std::move(responder)));
                   });
        http.route(QStringLiteral("/chat/mute/%1/<arg>").arg(type), Method::Delete,
                   [this, type](const QString &target, const QHttpServerRequest &request,
                                QHttpServerResponder &&responder) {
                       unmute(type, target, request, reply(std::move(responder)));
                   });
    }
    http.route(QStringLiteral("/chat/mutes"), Method::Get,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   listMutes(request, reply(std::move(responder)));
               });
    http.route(QStringLiteral("/metrics"), Method::Get,
               [this](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                   ++m_requests;
                   writeHttp(responder, Status::Ok, "text/plain; version=0.0.4; charset=utf-8", m_metrics());
               });
}

HttpApi::Responder HttpApi::reply(QHttpServerResponder &&responder) const
{
    return std::make_shared<PendingReply>(std::move(responder), m_repliesDropped);
}

std::optional<Authenticated> HttpApi::authenticate(const QHttpServerRequest &request, const Responder &responder)
{
    ++m_requests;
    if (!m_serving()) {
        writeError(*responder, { ErrorCode::Unavailable, QStringLiteral("the server is shutting down") });
        return std::nullopt;
    }
    const QByteArray header = request.value("Authorization");
    const AuthOutcome outcome = header.isEmpty()
            ? AuthOutcome(
                    ChatError { ErrorCode::Unauthenticated, QStringLiteral("send 'Authorization: Bearer <token>'") })
            : m_services.authenticator->fromAuthorizationHeader(header);
    if (const auto *error = std::get_if<ChatError>(&outcome)) {
        writeError(*responder, *error);
        return std::nullopt;
    }
    return std::get<Authenticated>(outcome);
}

Location HttpApi::locationOf(const Authenticated &who) const
{
    // A player connected here is where the game last put them; otherwise the token says.
    if (const OnlinePlayer *online = m_services.registry->find(who.identity.id))
        return online->location;
    return who.location;
}

void HttpApi::send(const QHttpServerRequest &request, Responder responder)
{
    const auto who = authenticate(request, responder);
    if (!who)
        return;
    const QByteArray body = request.body();
    if (body.size() > m_services.config->nats.maxPayload)
        return writeError(*responder,
                          { ErrorCode::PayloadTooLarge,
                            QStringLiteral("body is %1 bytes; the limit is %2")
                                    .arg(body.size())
                                    .arg(m_services.config->nats.maxPayload) });
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return writeError(*responder, { ErrorCode::InvalidJson, QStringLiteral("the body must be a JSON object") });
    const QJsonObject o = doc.object();
    const QJsonValue target = o.value(QLatin1String("target"));
    if (!o.value(QLatin1String("channel")).isString() || !o.value(QLatin1String("content")).isString()
        || (!target.isUndefined() && !target.isNull() && !target.isString()))
        return writeError(
                *responder,
                { ErrorCode::InvalidRequest, QStringLiteral("expected {channel, content, target?} as strings") });
    const SendRequest sendRequest { o.value(QLatin1String("channel")).toString(),
                                    o.value(QLatin1String("content")).toString(), target.toString() };
    m_services.chat->submit({ who->identity, locationOf(*who) }, sendRequest, [responder](const SendOutcome &outcome) {
        if (const auto *error = std::get_if<ChatError>(&outcome))
            return writeError(*responder, *error);
        const auto &ok = std::get<SendAccepted>(outcome);
        writeJson(*responder,
                  { { QLatin1String("message_id"), ok.messageId },
                    { QLatin1String("filtered"), ok.filtered },
                    { QLatin1String("held"), ok.held } },
                  200);
    });
}

namespace {
void writeMutes(PendingReply &responder, const MuteOutcome &outcome)
{
    if (const auto *error = std::get_if<ChatError>(&outcome))
        return writeError(responder, *error);
    QJsonArray list;
    for (const Mute &m : std::get<QList<Mute>>(outcome))
        list.append(m.toProtocol());
    writeJson(responder, { { QLatin1String("mutes"), list } }, 200);
}

std::optional<Mute::Scope> scopeFrom(const QString &text)
{
    return text.isEmpty() ? Mute::Scope::Personal : muteScopeFromName(text);
}
} // namespace

void HttpApi::mute(const QString &targetType, const QHttpServerRequest &request, Responder responder)
{
    const auto who = authenticate(request, responder);
    if (!who)
        return;
    if (request.body().size() > m_services.config->nats.maxPayload)
        return writeError(*responder, { ErrorCode::PayloadTooLarge, QStringLiteral("body too large") });
    QJsonParseError err;
    const QJsonObject o = QJsonDocument::fromJson(request.body(), &err).object();
    if (err.error != QJsonParseError::NoError)
        return writeError(*responder, { ErrorCode::InvalidJson, QStringLiteral("the body must be a JSON object") });
    const QString key = targetType == QLatin1String("channel") ? QStringLiteral("channel") : QStringLiteral("player");
    if (!o.value(key).isString())
        return writeError(*responder, { ErrorCode::InvalidRequest, QStringLiteral("expected a string '%1'").arg(key) });
    const auto scope = scopeFrom(o.value(QLatin1String("scope")).toString());
    if (!scope || (targetType == QLatin1String("channel") && *scope != Mute::Scope::Personal))
        return writeError(
                *responder,
                { ErrorCode::InvalidRequest,
                  QStringLiteral("'scope' must be personal, server or shadow (server and shadow only for players)") });
    MuteRequest r {
        targetType,   o.value(key).toString(),
        std::nullopt, o.value(QLatin1String("reason")).toString(),
        *scope,       targetType == QLatin1String("player") ? o.value(QLatin1String("channel")).toString() : QString()
    };
    const auto minutes = muteMinutesFrom(o.value(QLatin1String("minutes")));
    if (const auto *e = std::get_if<ChatError>(&minutes))
        return writeError(*responder, *e);
    r.minutes = std::get<std::optional<int>>(minutes);
    m_services.mutes->mute(who->identity, r,
                           [responder](const MuteOutcome &outcome) { writeMutes(*responder, outcome); });
}

void HttpApi::unmute(const QString &targetType, const QString &target, const QHttpServerRequest &request,
                     Responder responder)
{
    const auto who = authenticate(request, responder);
    if (!who)
        return;
    const auto scope = scopeFrom(request.query().queryItemValue(QStringLiteral("scope")));
    if (!scope)
        return writeError(*responder,
                          { ErrorCode::InvalidRequest, QStringLiteral("'scope' must be personal, server or shadow") });
    m_services.mutes->unmute(who->identity, targetType, target, *scope,
                             [responder](const MuteOutcome &outcome) { writeMutes(*responder, outcome); });
}

void HttpApi::listMutes(const QHttpServerRequest &request, Responder responder)
{
    const auto who = authenticate(request, responder);
    if (!who)
        return;
    const auto scope = scopeFrom(request.query().queryItemValue(QStringLiteral("scope")));
    if (!scope)
        return writeError(*responder,
                          { ErrorCode::InvalidRequest, QStringLiteral("'scope' must be personal, server or shadow") });
    writeMutes(*responder, m_services.mutes->list(who->identity, *scope));
}

void HttpApi::rateLimitStatus(const QHttpServerRequest &request, Responder responder)
{
    const auto who = authenticate(request, responder);
    if (!who)
        return;
    const QString asked = request.query().queryItemValue(QStringLiteral("player_id"));
    const QString playerId = asked.isEmpty() ? who->identity.id : asked;
    if (playerId != who->identity.id && !hasRole(who->identity.role, Role::Moderator))
        return writeError(*responder,
                          { ErrorCode::Forbidden, QStringLiteral("another player's status needs moderator") });
    // Whose channels: the player's own role when they are online here, else a player's.
    const OnlinePlayer *online = m_services.registry->find(playerId);
    const Role role = playerId == who->identity.id ? who->identity.role : online ? online->identity.role : Role::Player;
    writeJson(*responder,
              { { QLatin1String("player_id"), playerId },
                { QLatin1String("channels"), m_services.chat->rateLimitStatus(playerId, role) } },
              200);
}

void HttpApi::history(const QString &channel, const QHttpServerRequest &request, Responder responder)
{
    const auto who = authenticate(request, responder);
    if (!who)
        return;
    const QUrlQuery query = request.query();
    HistoryRequest historyRequest { channel, {}, {} };
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        historyRequest.limit = ok ? QJsonValue(limit) : QJsonValue(-1);
    }
    if (query.hasQueryItem(QStringLiteral("before")))
        historyRequest.before = query.queryItemValue(QStringLiteral("before"));
    const HistoryPlan plan = planHistory(*m_services.config, who->identity, locationOf(*who), historyRequest);
    if (const auto *error = std::get_if<ChatError>(&plan))
        return writeError(*responder, *error);
    if (std::holds_alternative<std::monostate>(plan) || !m_services.store)
        return writeJson(*responder, { { QLatin1String("messages"), QJsonArray() } }, 200);
    m_services.store->history(std::get<HistoryQuery>(plan), [responder](const Result<QList<StoredMessage>> &result) {
        if (!result)
            return writeError(*responder,
                              { ErrorCode::Unavailable, QStringLiteral("history is unavailable right now") });
        QJsonArray list;
        for (const StoredMessage &m : result.value())
            list.append(m.toChatData());
        writeJson(*responder, { { QLatin1String("messages"), list } }, 200);
    });
}

} // namespace mythos
