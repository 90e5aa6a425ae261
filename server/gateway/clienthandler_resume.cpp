// ClientHandler's `resume` request (PROTOCOL §3 Recovery): one read of the store on its reader
// thread, bounded by chat.recovery, answered with exactly one `resumed` (or an error).

#include "gateway/clienthandler.h"

#include "chat/playerregistry.h"
#include "chat/recoveryrules.h"
#include "config/config.h"
#include "gateway/session.h"
#include "moderation/muteservice.h"
#include "storage/messagestore.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace mythos {

void ClientHandler::handleResume(const QJsonObject &frame, const QString &ref)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto planned = planResume(*m_services.config, m_player->identity, m_player->location,
                                    frame.value(QLatin1String("since")), now.toMSecsSinceEpoch());
    if (const auto *error = std::get_if<ChatError>(&planned))
        return m_session->sendError(*error, ref);
    if (!m_services.store)
        return reply(QStringLiteral("resumed"), resumedUnavailable(), ref);
    const ResumePlan plan = std::get<ResumePlan>(planned);
    m_services.store->recover(plan.query, [self = QPointer<ClientHandler>(this), plan, ref](const Result<RecoveryRows> &rows) {
        if (!self)
            return;
        if (!rows) {
            // The store logged and counted the failure; the player is told the gap is unknown.
            return self->reply(QStringLiteral("resumed"), resumedUnavailable(), ref);
        }
        const QJsonObject data = resumedData(*self->m_services.config, plan, rows.value(), &self->m_services.mutes->registry(),
                                             QDateTime::currentDateTimeUtc());
        qCDebug(lcClient) << self->m_playerId << "resumed after" << plan.query.since << "with"
                          << data.value(QLatin1String("messages")).toArray().size() << "messages";
        self->reply(QStringLiteral("resumed"), data, ref);
    });
}

} // namespace mythos
