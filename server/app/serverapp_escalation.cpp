// ServerApp's wiring of the player record: the escalation ladder (the offences the pipeline
// reports, the review items it queues) and moderators' notes, with their moderation log lines.
#include "app/serverapp.h"

#include "audit/auditlog.h"
#include "chat/chatservice.h"
#include "moderation/escalationservice.h"
#include "moderation/notesservice.h"
#include "moderation/queueservice.h"

namespace mythos {

void ServerApp::connectEscalation()
{
    EscalationService *ladder = m_escalation.get();
    connect(m_chat.get(), &ChatService::filterMatched, ladder, &EscalationService::onFiltered);
    connect(m_chat.get(), &ChatService::rateLimitViolated, ladder,
            [ladder](const QString &player, const QString &channel, int, qint64) {
                ladder->onRateLimitFlood(player, channel);
            });
    connect(ladder, &EscalationService::reviewQueued, m_queue.get(), &QueueService::announce);

    AuditLog *audit = m_audit.get();
    connect(ladder, &EscalationService::offenceRecorded, this, [audit](const Offence &f, int standing) {
        audit->write(AuditCategory::Moderation, QStringLiteral("offence"),
                     { { QLatin1String("actor"), f.actor },
                       { QLatin1String("player_id"), f.playerId },
                       { QLatin1String("kind"), f.kind },
                       { QLatin1String("points"), f.points },
                       { QLatin1String("detail"), f.detail },
                       { QLatin1String("offence_id"), f.id },
                       { QLatin1String("standing"), standing } });
    });
    connect(ladder, &EscalationService::stepTaken, this,
            [audit](const QString &player, const QString &action, int minutes, int standing) {
                QJsonObject fields { { QLatin1String("actor"), QLatin1String("escalation") },
                                     { QLatin1String("player_id"), player },
                                     { QLatin1String("action"), action },
                                     { QLatin1String("standing"), standing } };
                if (action == QLatin1String("mute"))
                    fields.insert(QLatin1String("minutes"), minutes);
                audit->write(AuditCategory::Moderation, QStringLiteral("escalation"), fields);
            });
    connect(ladder, &EscalationService::standingReset, this, [audit](const Identity &moderator, const QString &player) {
        audit->write(AuditCategory::Moderation, QStringLiteral("standing_reset"),
                     { { QLatin1String("actor"), moderator.id },
                       { QLatin1String("actor_name"), moderator.name },
                       { QLatin1String("player_id"), player } });
    });
    connect(m_notes.get(), &NotesService::noteAdded, this, [audit](const ModeratorNote &n) {
        audit->write(AuditCategory::Moderation, QStringLiteral("note"),
                     { { QLatin1String("actor"), n.authorId },
                       { QLatin1String("actor_name"), n.authorName },
                       { QLatin1String("player_id"), n.playerId },
                       { QLatin1String("note_id"), n.id },
                       { QLatin1String("text"), n.body } });
    });
}

} // namespace mythos
