#include "gateway/moderatorrequests.h"

#include "gateway/session.h"
#include "moderation/monitorservice.h"
#include "moderation/queueservice.h"

#include <QJsonArray>
#include <QPointer>

namespace mythos {

namespace {
const QStringList kTypes { QStringLiteral("monitor"), QStringLiteral("queue"), QStringLiteral("queue_action"), QStringLiteral("stats") };
} // namespace

ModeratorRequests::ModeratorRequests(Session *session, MonitorService *monitor, QueueService *queue, StatsSource stats,
                                     QObject *parent)
    : QObject(parent), m_session(session), m_monitor(monitor), m_queue(queue), m_stats(std::move(stats))
{
}

ModeratorRequests::~ModeratorRequests()
{
    m_monitor->forget(m_session);
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

    if (type == QLatin1String("monitor")) {
        const bool on = frame.value(QLatin1String("enabled")).toBool(true);
        m_monitor->setMonitoring(m_session, who.role, on);
        return reply(QStringLiteral("monitor"), { { QLatin1String("enabled"), on } });
    }
    if (type == QLatin1String("stats"))
        return reply(QStringLiteral("stats"), m_stats());
    if (type == QLatin1String("queue")) {
        const QString status = frame.value(QLatin1String("status")).toString(QStringLiteral("pending"));
        const int limit = frame.value(QLatin1String("limit")).toInt(100);
        if (limit < 1 || limit > 500)
            return fail({ ErrorCode::InvalidRequest, QStringLiteral("'limit' must be from 1 to 500") });
        return m_queue->list(status, limit, [reply, fail](const std::variant<QList<ModerationItem>, ChatError> &r) {
            if (const auto *e = std::get_if<ChatError>(&r))
                return fail(*e);
            QJsonArray items;
            for (const ModerationItem &i : std::get<QList<ModerationItem>>(r))
                items.append(i.toProtocol());
            reply(QStringLiteral("queue"), { { QLatin1String("items"), items } });
        });
    }
    // queue_action
    if (!frame.value(QLatin1String("item_id")).isString() || !frame.value(QLatin1String("action")).isString())
        return fail({ ErrorCode::InvalidRequest, QStringLiteral("'queue_action' needs string 'item_id' and 'action'") });
    QueueAction action { frame.value(QLatin1String("item_id")).toString(), frame.value(QLatin1String("action")).toString(), std::nullopt,
                         frame.value(QLatin1String("reason")).toString() };
    const QJsonValue minutes = frame.value(QLatin1String("minutes"));
    if (minutes.isDouble())
        action.minutes = minutes.toInt();
    m_queue->act(who, action, [reply, fail](const std::variant<ModerationItem, ChatError> &r) {
        if (const auto *e = std::get_if<ChatError>(&r))
            return fail(*e);
        reply(QStringLiteral("queue_item"), std::get<ModerationItem>(r).toProtocol());
    });
}

} // namespace mythos
