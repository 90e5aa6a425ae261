// ClientHandler's `resume` request (PROTOCOL §3 Recovery): one read of the store on its reader
// thread, bounded by chat.recovery, answered with exactly one `resumed` (or an error).

#include "gateway/clienthandler.h"

#include "chat/playerregistry.h"
#include "chat/recoveryrules.h"
#include "config/config.h"
#include "gateway/session.h"
#include "moderation/monitorservice.h"
#include "moderation/muteservice.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace mythos {

void ClientHandler::handleResume(const QJsonObject &frame, const QString &ref)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QJsonValue since = frame.value(wire::field::since);
    const QJsonValue feed = frame.value(wire::field::feed);
    if (!feed.isUndefined() && feed != QJsonValue(wire::value::monitorFeed))
        return m_session->sendError({ ErrorCode::InvalidRequest, QStringLiteral("'feed' can only be \"monitor\"") },
                                    ref);
    const auto planned = feed.isUndefined()
            ? planResume(*m_services.config, m_player->identity, m_player->location, since, now.toMSecsSinceEpoch())
            : planFeedResume(*m_services.config, m_player->identity, since, now.toMSecsSinceEpoch(),
                             m_services.monitor && m_services.monitor->mayReadWhispers(m_player->identity.role));
    if (const auto *error = std::get_if<ChatError>(&planned))
        return m_session->sendError(*error, ref);
    const ResumePlan plan = std::get<ResumePlan>(planned);
    if (!m_services.store)
        return reply(wire::event::resumed, resumedUnavailable(plan), ref);
    m_services.store->recover(
            plan.query, [self = QPointer<ClientHandler>(this), plan, ref](const Result<RecoveryRows> &rows) {
                if (!self)
                    return;
                if (!rows) {
                    // The store logged and counted the failure; the player is told the gap is unknown.
                    return self->reply(wire::event::resumed, resumedUnavailable(plan), ref);
                }
                const QJsonObject data =
                        resumedData(*self->m_services.config, plan, rows.value(), &self->m_services.mutes->registry(),
                                    QDateTime::currentDateTimeUtc());
                qCDebug(lcClient) << self->m_playerId << (plan.feed ? "resumed the feed after" : "resumed after")
                                  << plan.query.since << "with"
                                  << data.value(QLatin1String("messages")).toArray().size() << "messages";
                self->reply(wire::event::resumed, data, ref);
            });
}

} // namespace mythos
