#include "gateway/moderatorrequests.h"

#include "gateway/session.h"
#include "moderation/filterservice.h"
#include "moderation/monitorservice.h"
#include "moderation/muteservice.h"
#include "moderation/queueservice.h"
#include "protocol/wirenames.h"

#include <QCoreApplication>
#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QThreadPool>

namespace mythos {

namespace {
const QStringList kTypes = wire::toStringList(wire::moderatorRequests);
const QStringList kCategories { QStringLiteral("chat"), QStringLiteral("moderation"), QStringLiteral("system") };
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
    if (type == wire::request::stats)
        return reply(wire::event::stats, m_services.stats());
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

namespace {
// A chat log line of a whisper (the cheap substring test first: most lines are not).
bool isWhisperLine(const QByteArray &line)
{
    return line.contains("\"whisper\"")
            && QJsonDocument::fromJson(line).object().value(QLatin1String("channel")).toString()
            == QLatin1String("whisper");
}
} // namespace

void ModeratorRequests::queryLogs(const QJsonObject &frame, const QString &ref, bool withWhispers)
{
    const QString category = frame.value(wire::field::category).toString(QStringLiteral("moderation"));
    const QString dayText =
            frame.value(wire::field::day).toString(QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate));
    const QDate day = QDate::fromString(dayText, Qt::ISODate);
    const QString contains = frame.value(wire::field::contains).toString();
    const QString event = frame.value(wire::field::event).toString();
    const int limit = frame.value(wire::field::limit).toInt(200);
    if (!kCategories.contains(category) || !day.isValid() || limit < 1 || limit > 1000)
        return m_session->sendError(
                { ErrorCode::InvalidRequest,
                  QStringLiteral("logs needs category chat|moderation|system, day YYYY-MM-DD and limit 1-1000") },
                ref);
    const QString path =
            QStringLiteral("%1/%2/%2_%3.jsonl").arg(m_services.logDir, category, day.toString(Qt::ISODate));
    // A day's file can be large: read it off the event loop and answer when done.
    QPointer<Session> session(m_session);
    // The same privacy rule as the live feed: whisper lines only for those who may read them.
    const bool hideWhispers = category == QLatin1String("chat") && !withWhispers;
    QThreadPool::globalInstance()->start([session, path, contains, event, limit, category, dayText, ref, hideWhispers] {
        QJsonArray lines;
        qint64 matched = 0;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            QList<QByteArray> kept; // the last `limit` matches
            while (!file.atEnd()) {
                const QByteArray line = file.readLine().trimmed();
                if (line.isEmpty()
                    || (!contains.isEmpty() && !QString::fromUtf8(line).contains(contains, Qt::CaseInsensitive)))
                    continue;
                if (!event.isEmpty() && !line.contains("\"event\":\"" + event.toUtf8() + '"'))
                    continue;
                if (hideWhispers && isWhisperLine(line))
                    continue;
                ++matched;
                kept.append(line);
                if (kept.size() > limit)
                    kept.removeFirst();
            }
            for (const QByteArray &line : std::as_const(kept))
                lines.append(QJsonDocument::fromJson(line).object());
        }
        const QJsonObject data { { QLatin1String("category"), category },
                                 { QLatin1String("day"), dayText },
                                 { QLatin1String("matched"), static_cast<double>(matched) },
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
