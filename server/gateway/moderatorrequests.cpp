#include "gateway/moderatorrequests.h"

#include "audit/logquery.h"
#include "gateway/filterdryrunrequest.h"
#include "gateway/session.h"
#include "moderation/escalationservice.h"
#include "moderation/filterservice.h"
#include "moderation/monitorservice.h"
#include "moderation/muteservice.h"
#include "moderation/notesservice.h"
#include "moderation/queueservice.h"
#include "protocol/wirenames.h"

#include <QCoreApplication>
#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QThreadPool>

namespace mythos {

namespace {
const QStringList kTypes = wire::toStringList(wire::moderatorRequests);
} // namespace

ModeratorRequests::ModeratorRequests(Session *session, Services services, QObject *parent)
    : QObject(parent), m_session(session), m_services(std::move(services))
{
}

ModeratorRequests::~ModeratorRequests()
{
    m_services.monitor->forget(m_session);
}

bool ModeratorRequests::isModeratorRequest(const QString &type)
{
    return kTypes.contains(type);
}

void ModeratorRequests::handle(const Identity &who, const QString &type, const QJsonObject &frame, const QString &ref)
{
    auto reply = [session = QPointer<Session>(m_session), ref](const QString &eventType, QJsonObject data) {
        if (session)
            session->sendEvent(eventType, events::withRef(std::move(data), ref));
    };
    auto fail = [session = QPointer<Session>(m_session), ref](const ChatError &error) {
        if (session)
            session->sendError(error, ref);
    };
    if (!hasRole(who.role, Role::Moderator))
        return fail({ ErrorCode::Forbidden, QStringLiteral("'%1' is for moderators").arg(type) });

    if (type == wire::request::monitor) {
        const bool on = frame.value(wire::field::enabled).toBool(true);
        m_services.monitor->setMonitoring(m_session, who.role, on);
        return reply(wire::event::monitor, { { QLatin1String("enabled"), on } });
    }
    if (type == wire::request::logs)
        return queryLogs(frame, ref, m_services.monitor->mayReadWhispers(who.role));
    if (type == wire::request::reloadFilters) {
        if (!hasRole(who.role, Role::Admin))
            return fail({ ErrorCode::Forbidden, QStringLiteral("reloading the filter lists is for admins") });
        QJsonArray problems;
        for (const FilterListError &e : m_services.filter->reload())
            problems.append(QStringLiteral("%1:%2: %3").arg(e.file).arg(e.line).arg(e.message));
        return reply(wire::event::filtersReloaded, { { QLatin1String("problems"), problems } });
    }
    if (type == wire::request::filterDryRun) {
        if (!hasRole(who.role, Role::Admin))
            return fail({ ErrorCode::Forbidden, QStringLiteral("filter dry runs are for admins") });
        return startFilterDryRun(m_session, who.id, *m_services.config, frame, ref);
    }
    if (type == wire::request::stats)
        return reply(wire::event::stats, m_services.stats());
    if (type == wire::request::warn || type == wire::request::standing || type == wire::request::resetStanding
        || type == wire::request::notes || type == wire::request::addNote) {
        if (!frame.value(wire::field::player).isString())
            return fail({ ErrorCode::InvalidRequest, QStringLiteral("'%1' needs a string 'player'").arg(type) });
        const QString player = frame.value(wire::field::player).toString();
        auto answer = [reply, fail](const std::variant<QJsonObject, ChatError> &r) {
            if (const auto *e = std::get_if<ChatError>(&r))
                return fail(*e);
            reply(wire::event::standing, std::get<QJsonObject>(r));
        };
        if (type == wire::request::notes || type == wire::request::addNote) {
            auto listed = [reply, fail](const std::variant<QJsonObject, ChatError> &r) {
                if (const auto *e = std::get_if<ChatError>(&r))
                    return fail(*e);
                reply(wire::event::notes, std::get<QJsonObject>(r));
            };
            if (type == wire::request::notes)
                return m_services.notes->list(who, player, listed);
            return m_services.notes->add(who, player, frame.value(wire::field::text).toString(), listed);
        }
        if (type == wire::request::warn)
            return m_services.escalation->warn(who, player, frame.value(wire::field::reason).toString(), answer);
        if (type == wire::request::standing)
            return m_services.escalation->standing(who, player, answer);
        return m_services.escalation->reset(who, player, answer);
    }
    if (type == wire::request::queue) {
        const QString status = frame.value(wire::field::status).toString(QStringLiteral("pending"));
        const int limit = frame.value(wire::field::limit).toInt(100);
        if (limit < 1 || limit > 500)
            return fail({ ErrorCode::InvalidRequest, QStringLiteral("'limit' must be from 1 to 500") });
        return m_services.queue->list(status, limit,
                                      [reply, fail](const std::variant<QList<ModerationItem>, ChatError> &r) {
                                          if (const auto *e = std::get_if<ChatError>(&r))
                                              return fail(*e);
                                          QJsonArray items;
                                          for (const ModerationItem &i : std::get<QList<ModerationItem>>(r))
                                              items.append(i.toProtocol());
                                          reply(wire::event::queue, { { QLatin1String("items"), items } });
                                      });
    }
    // queue_action
    if (!frame.value(wire::field::itemId).isString() || !frame.value(wire::field::action).isString())
        return fail(
                { ErrorCode::InvalidRequest, QStringLiteral("'queue_action' needs string 'item_id' and 'action'") });
    QueueAction action { frame.value(wire::field::itemId).toString(), frame.value(wire::field::action).toString(),
                         std::nullopt, frame.value(wire::field::reason).toString() };
    const auto minutes = muteMinutesFrom(frame.value(wire::field::minutes));
    if (const auto *e = std::get_if<ChatError>(&minutes))
        return fail(*e);
    action.minutes = std::get<std::optional<int>>(minutes);
    m_services.queue->act(who, action, [reply, fail](const std::variant<ModerationItem, ChatError> &r) {
        if (const auto *e = std::get_if<ChatError>(&r))
            return fail(*e);
        reply(wire::event::queueItem, std::get<ModerationItem>(r).toProtocol());
    });
}

void ModeratorRequests::queryLogs(const QJsonObject &frame, const QString &ref, bool withWhispers)
{
    const QString categoryName = frame.value(wire::field::category).toString(QStringLiteral("moderation"));
    const QString dayText =
            frame.value(wire::field::day).toString(QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate));
    LogQuery query;
    query.from = query.to = QDate::fromString(dayText, Qt::ISODate);
    query.text = frame.value(wire::field::contains).toString();
    query.event = frame.value(wire::field::event).toString();
    query.player = frame.value(wire::field::player).toString();
    const int limit = frame.value(wire::field::limit).toInt(200);
    if (!parseAuditCategory(categoryName, &query.category) || !query.from.isValid() || limit < 1 || limit > 1000)
        return m_session->sendError(
                { ErrorCode::InvalidRequest,
                  QStringLiteral("logs needs category chat|moderation|system, day YYYY-MM-DD and limit 1-1000") },
                ref);
    // The same privacy rule as the live feed: whisper lines only for those who may read them.
    query.hideWhispers = query.category == AuditCategory::Chat && !withWhispers;
    // A day's file can be large: read it off the event loop and answer when done.
    QPointer<Session> session(m_session);
    QThreadPool::globalInstance()->start([session, dir = m_services.logDir, query, limit, categoryName, dayText, ref] {
        QList<QByteArray> kept; // the last `limit` matches
        const LogQueryStats stats = runLogQuery(dir, query, [&kept, limit](const QByteArray &line) {
            kept.append(line);
            if (kept.size() > limit)
                kept.removeFirst();
        });
        QJsonArray lines;
        for (const QByteArray &line : std::as_const(kept))
            lines.append(QJsonDocument::fromJson(line).object());
        const QJsonObject data { { QLatin1String("category"), categoryName },
                                 { QLatin1String("day"), dayText },
                                 { QLatin1String("matched"), static_cast<double>(stats.matched) },
                                 { QLatin1String("lines"), lines },
                                 { QLatin1String("ref"), ref } };
        // Back to the event loop; the session is only looked at there (it may be gone by then).
        QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [session, data] {
                    if (session)
                        session->sendEvent(wire::event::logs, data);
                },
                Qt::QueuedConnection);
    });
}

} // namespace mythos
