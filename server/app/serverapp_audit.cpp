// ServerApp's audit trail: every service's events as chat, moderation and system log lines
// (docs/logging.md). The escalation ladder's and notes' lines are in serverapp_escalation.cpp.
#include "app/serverapp.h"

#include "audit/auditlog.h"
#include "bus/bus.h"
#include "chat/chatservice.h"
#include "chat/playerregistry.h"
#include "moderation/filterservice.h"
#include "moderation/muteservice.h"
#include "moderation/queueservice.h"
#include "protocol/event.h"
#include "protocol/wirenames.h"
#include "storage/messagestore.h"

#include <QJsonArray>

namespace mythos {

void ServerApp::connectAuditTrail()
{
    AuditLog *audit = m_audit.get();
    auto chatLine = [audit, this](const QJsonObject &m, const QString &original, bool shadow) {
        QJsonObject fields = m;
        fields.insert(QLatin1String("content"), original);
        fields.remove(QLatin1String("message")); // derivable from the rest
        fields.remove(QLatin1String("timestamp")); // the line's ts
        fields.remove(QLatin1String("target_name"));
        if (!shadow || !fields.contains(wire::field::held)) // a shadowed line may have been held
            fields.insert(wire::field::held, false);
        fields.insert(QLatin1String("origin"), m_serverId);
        if (shadow) // accepted, acknowledged, and kept from everyone but moderators
            fields.insert(wire::field::shadow, true);
        audit->write(AuditCategory::Chat, QStringLiteral("message"), fields);
    };
    connect(m_chat.get(), &ChatService::messageAccepted, this,
            [chatLine](const QJsonObject &m, const QString &original) { chatLine(m, original, false); });
    connect(m_chat.get(), &ChatService::messageShadowed, this,
            [chatLine](const QJsonObject &m, const QString &original) { chatLine(m, original, true); });
    connect(m_chat.get(), &ChatService::messageQueued, this,
            [audit](const QString &kind, const QJsonObject &m, const QStringList &reasons) {
                audit->write(AuditCategory::Moderation, kind,
                             { { QLatin1String("actor"), QLatin1String("system") },
                               { QLatin1String("message_id"), m.value(QLatin1String("message_id")) },
                               { QLatin1String("player_id"), m.value(QLatin1String("sender_id")) },
                               { QLatin1String("channel"), m.value(QLatin1String("channel")) },
                               { QLatin1String("content"), m.value(QLatin1String("content")) },
                               { QLatin1String("reasons"), QJsonArray::fromStringList(reasons) } });
            });
    connect(m_queue.get(), &QueueService::actionTaken, this,
            [audit](const Identity &moderator, const QString &action, const ModerationItem &item) {
                audit->write(AuditCategory::Moderation, QStringLiteral("queue_") + action,
                             { { QLatin1String("actor"), moderator.id },
                               { QLatin1String("actor_name"), moderator.name },
                               { QLatin1String("item_id"), item.id },
                               { QLatin1String("message_id"), item.messageId },
                               { QLatin1String("kind"), item.kind },
                               { QLatin1String("player_id"), item.senderId },
                               { QLatin1String("status"), item.status } });
            });
    connect(m_filter.get(), &FilterService::reloaded, this,
            [audit](int words, int patterns, const QList<FilterListError> &problems) {
                QJsonArray list;
                for (const FilterListError &e : problems)
                    list.append(QStringLiteral("%1:%2: %3").arg(e.file).arg(e.line).arg(e.message));
                audit->write(AuditCategory::System, QStringLiteral("filter_lists"),
                             { { QLatin1String("profanity_entries"), words },
                               { QLatin1String("keyword_patterns"), patterns },
                               { QLatin1String("problems"), list } });
            });
    connect(m_chat.get(), &ChatService::rateLimitViolated, this,
            [audit](const QString &player, const QString &channel, int limit, qint64 retryAfterMs) {
                audit->write(AuditCategory::Moderation, QStringLiteral("rate_limited"),
                             { { QLatin1String("actor"), QLatin1String("system") },
                               { QLatin1String("player_id"), player },
                               { QLatin1String("channel"), channel },
                               { QLatin1String("limit"), limit },
                               { QLatin1String("retry_after_ms"), static_cast<double>(retryAfterMs) } });
            });
    connect(m_bus.get(), &Bus::stateChanged, this, [audit, this](Bus::State state) {
        audit->write(
                AuditCategory::System, QStringLiteral("nats_state"),
                { { QLatin1String("state"), Bus::stateName(state) }, { QLatin1String("url"), m_config.nats.url } });
    });
    connect(m_mutes.get(), &MuteService::changed, this,
            [audit](const QString &action, const Mute &m, const Identity &actor) {
                QJsonObject fields { { QLatin1String("actor"), actor.id },
                                     { QLatin1String("actor_name"), actor.name },
                                     { QLatin1String("actor_role"), roleName(actor.role) },
                                     { QLatin1String("scope"), muteScopeName(m.scope) },
                                     { QLatin1String("target_type"), m.targetType },
                                     { QLatin1String("target_id"), m.targetId },
                                     { QLatin1String("target_name"), m.targetName } };
                if (!m.channel.isEmpty())
                    fields.insert(QLatin1String("channel"), m.channel);
                if (action == QLatin1String("mute")) {
                    fields.insert(QLatin1String("reason"), m.reason);
                    fields.insert(QLatin1String("until"),
                                  m.until.isValid() ? QJsonValue(isoTimestamp(m.until)) : QJsonValue());
                }
                audit->write(AuditCategory::Moderation, action, fields);
            });
    if (m_store) {
        // Players are recorded for name look-ups and role checks while they are offline.
        MessageStore *store = m_store.get();
        connect(m_registry.get(), &PlayerRegistry::playerOnline, this, [store](const Identity &who) {
            const SqlStorage::KnownPlayer player { who.id, who.name, who.role };
            store->run<bool>("record a player", [player](SqlStorage &s) { return s.recordPlayer(player); });
        });
        connect(m_store.get(), &MessageStore::databaseError, this,
                [audit](const QString &operation, const QString &error) {
                    audit->write(AuditCategory::System, QStringLiteral("database_error"),
                                 { { QLatin1String("operation"), operation }, { QLatin1String("error"), error } });
                });
    }
}

} // namespace mythos
