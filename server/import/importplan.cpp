#include "import/importplan.h"

#include "model/scope.h"
#include "util/ids.h"

#include <QCryptographicHash>
#include <QHash>

#include <algorithm>

namespace mythos {

namespace {
const QLatin1String kPlayer("player");
const QLatin1String kChannel("channel");

// One message_id's lines: the general file's if there is one, and the per-channel copies.
struct MessageLines
{
    const ChatLine *general = nullptr;
    QList<const ChatLine *> copies;
    const ChatLine *canonical() const { return general ? general : copies.value(0); }
};

QString notConfigured(const QString &channel)
{
    return QStringLiteral("channel '%1' is not configured here").arg(channel);
}

// The scope id our history files a message under (PROTOCOL §2), or why there is none.
QString scopeKeyFor(const ChannelSpec &spec, const ChatLine &line, const QString &targetId, QString *missing)
{
    const Location where { ScopeIds::fromRoomId(line.roomId), line.partyId };
    QString key;
    switch (spec.scope) {
    case ScopeKind::Everyone:
    case ScopeKind::Staff: return {};
    case ScopeKind::Player: key = targetId; break;
    case ScopeKind::Party: key = line.partyId; break;
    default: key = line.roomId.isEmpty() ? QString() : where.idFor(spec.scope); break;
    }
    if (key.isEmpty())
        *missing = spec.scope == ScopeKind::Player ? QStringLiteral("a whisper without a target")
                : spec.scope == ScopeKind::Party
                ? QStringLiteral("a party message without party_id")
                : QStringLiteral("no room_id for a %1-scoped channel").arg(scopeKindName(spec.scope));
    else if (!isValidSubjectId(key))
        *missing = QStringLiteral("scope id '%1' is not a valid id").arg(key);
    return key;
}

void planMessages(const ImportSources &sources, const Config &config, const QDateTime &now, ImportReport &report,
                  ImportPlan &plan)
{
    ReportSection &section = report.history;
    QHash<QString, MessageLines> byId;
    QStringList order;
    QHash<QString, QString> names; // player id -> a name the logs gave it
    int lines = 0;
    for (const LogFile &file : sources.logFiles) {
        for (const ChatLine &line : file.chat) {
            ++lines;
            auto it = byId.find(line.messageId);
            if (it == byId.end()) {
                it = byId.insert(line.messageId, {});
                order.append(line.messageId);
            }
            if (file.fileName.kind == LogKind::Chat && !it->general)
                it->general = &line;
            else
                it->copies.append(&line);
            if (!line.senderId.isEmpty() && !line.senderName.isEmpty())
                names.insert(line.senderId, line.senderName);
            if (!line.targetId.isEmpty() && !line.targetName.isEmpty())
                names.insert(line.targetId, line.targetName);
        }
        for (const OtherLine &other : file.other) {
            if (file.fileName.kind == LogKind::Moderation)
                continue; // the moderation log's own section
            section.skip(file.fileName.kind == LogKind::System
                                 ? QStringLiteral("system event '%1' (not chat history)").arg(other.eventType)
                                 : QStringLiteral("unknown event type '%1'").arg(other.eventType),
                         other.where());
        }
    }
    if (lines > order.size())
        section.notes.append(QStringLiteral("%1 lines in the per-channel files repeated a message_id read "
                                            "elsewhere; each message_id is imported once")
                                     .arg(lines - order.size()));

    const QDateTime cutoff = now.addDays(-qint64(config.history.retentionDays));
    QHash<QString, QList<qsizetype>> byScope; // "channel\nscope" -> indexes into candidates
    QList<PlannedMessage> candidates;
    for (const QString &id : std::as_const(order)) {
        const MessageLines &group = byId[id];
        const ChatLine &c = *group.canonical();
        auto skip = [&](const QString &reason) { section.skip(reason, c.where()); };
        if (!config.history.enabled) {
            skip(QStringLiteral("history is disabled (chat.message_history.enabled: false)"));
            continue;
        }
        const ChannelSpec *spec = config.channel(c.channel);
        if (!spec) {
            skip(notConfigured(c.channel));
            continue;
        }
        if (c.timestamp < cutoff) {
            skip(QStringLiteral("older than chat.message_history.retention_days (%1)")
                         .arg(config.history.retentionDays));
            continue;
        }
        if (!isValidPlayerId(c.senderId)) {
            skip(c.senderId.isEmpty() ? QStringLiteral("no sender_id")
                                      : QStringLiteral("sender_id is not a valid player id"));
            continue;
        }
        if (!c.hasContent) {
            skip(QStringLiteral("no content"));
            continue;
        }
        StoredMessage m;
        m.channel = spec->name;
        if (spec->scope == ScopeKind::Player) {
            // The whisper file names the target; the general file only by id.
            m.targetId = c.targetId;
            for (const ChatLine *copy : group.copies) {
                if (!copy->targetId.isEmpty()) {
                    m.targetId = copy->targetId;
                    m.targetName = copy->targetName;
                }
            }
            if (!m.targetId.isEmpty() && !isValidPlayerId(m.targetId)) {
                skip(QStringLiteral("whisper target is not a valid player id"));
                continue;
            }
            if (m.targetName.isEmpty())
                m.targetName = names.value(m.targetId, m.targetId);
        }
        QString missing;
        m.scopeKey = scopeKeyFor(*spec, c, m.targetId, &missing);
        if (!missing.isEmpty()) {
            skip(missing);
            continue;
        }
        m.id = importedMessageId(c.timestamp, c.messageId);
        m.senderId = c.senderId;
        m.senderName = c.senderName.isEmpty() ? c.senderId : c.senderName;
        m.content = c.content;
        m.timestamp = c.timestamp;
        m.roomId = c.roomId;
        m.partyId = c.partyId;
        m.filtered = c.filtered;
        m.origin = QLatin1String(kImportOrigin);
        byScope[m.channel + QLatin1Char('\n') + m.scopeKey].append(candidates.size());
        candidates.append({ m, c.where() });
    }

    // Our history keeps the newest max_messages_per_channel of each channel and scope.
    QSet<qsizetype> dropped;
    for (QList<qsizetype> &indexes : byScope) {
        std::sort(indexes.begin(), indexes.end(),
                  [&](qsizetype a, qsizetype b) { return candidates[a].message.id > candidates[b].message.id; });
        for (qsizetype i = config.history.maxMessagesPerChannel; i < indexes.size(); ++i) {
            dropped.insert(indexes[i]);
            section.skip(QStringLiteral("beyond chat.message_history.max_messages_per_channel (%1)")
                                 .arg(config.history.maxMessagesPerChannel),
                         candidates[indexes[i]].where);
        }
    }
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (!dropped.contains(i))
            plan.messages.append(candidates[i]);
    }
}

bool expired(const SourceMute &m, const QDateTime &now)
{
    return m.expiresAt.isValid() && m.expiresAt <= now;
}

QString where(const QString &file, int line)
{
    return SourceProblem { file, line, {} }.where();
}

Mute baseMute(const SourceMute &s)
{
    Mute m;
    m.reason = s.reason;
    m.until = s.expiresAt;
    m.createdAt = s.mutedAt;
    m.mutedBy = s.mutedBy;
    return m;
}

void planPersonalMutes(const ImportSources &sources, const Config &config, const QDateTime &now, ImportReport &report,
                       ImportPlan &plan)
{
    ReportSection &section = report.personalMutes;
    for (const MuteFile &file : sources.muteFiles) {
        for (const SourceMute &s : file.playerMutes) {
            const QString at = where(file.name, s.line);
            if (!isValidPlayerId(s.key)) {
                section.skip(QStringLiteral("target is not a valid player id"), at);
            } else if (s.key == file.playerId) {
                section.skip(QStringLiteral("a mute of oneself"), at);
            } else if (expired(s, now)) {
                section.skip(QStringLiteral("expired"), at);
            } else {
                Mute m = baseMute(s);
                m.ownerId = file.playerId;
                m.targetType = kPlayer;
                m.targetId = s.key;
                m.targetName = s.targetName.isEmpty() ? s.key : s.targetName;
                if (m.mutedBy.isEmpty())
                    m.mutedBy = file.playerId;
                m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, {});
                plan.personalMutes.append({ m, at });
            }
        }
        for (const SourceMute &s : file.channelMutes) {
            const QString at = where(file.name, s.line);
            const ChannelSpec *spec = config.channel(s.key);
            if (!spec) {
                section.skip(notConfigured(s.key), at);
            } else if (expired(s, now)) {
                section.skip(QStringLiteral("expired"), at);
            } else {
                Mute m = baseMute(s);
                m.ownerId = m.mutedBy = file.playerId;
                m.targetType = kChannel;
                m.targetId = m.targetName = spec->name;
                m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, {});
                plan.personalMutes.append({ m, at });
            }
        }
    }
}

void planServerMutes(const ImportSources &sources, const QSet<QString> &staffIds, const QDateTime &now,
                     ImportReport &report, ImportPlan &plan)
{
    ReportSection &section = report.serverMutes;
    QSet<QString> staff = staffIds;
    for (const MuteFile &file : sources.muteFiles) {
        if (file.isAdmin)
            staff.insert(file.playerId);
    }
    // A player can be in several files' global_mutes: the latest mute is the one in force.
    struct Found
    {
        SourceMute mute;
        QString where;
    };
    QHash<QString, Found> latest;
    QStringList order;
    for (const MuteFile &file : sources.muteFiles) {
        for (const SourceMute &s : file.globalMutes) {
            const QString at = where(file.name, s.line);
            auto it = latest.find(s.key);
            if (it == latest.end()) {
                latest.insert(s.key, { s, at });
                order.append(s.key);
                continue;
            }
            const bool newer = s.mutedAt > it->mute.mutedAt;
            section.skip(QStringLiteral("superseded by a later global mute of the same player"),
                         newer ? it->where : at);
            if (newer)
                *it = { s, at };
        }
    }
    for (const QString &target : std::as_const(order)) {
        const Found &f = latest[target];
        if (!isValidPlayerId(target)) {
            section.skip(QStringLiteral("target is not a valid player id"), f.where);
        } else if (expired(f.mute, now)) {
            section.skip(QStringLiteral("expired"), f.where);
        } else if (staff.contains(target)) {
            section.skip(QStringLiteral("the target is an admin or moderator (they cannot be server-muted)"), f.where);
        } else {
            Mute m = baseMute(f.mute);
            m.scope = Mute::Scope::Server;
            m.ownerId = m.targetId = target;
            m.targetType = kPlayer;
            m.targetName = f.mute.targetName.isEmpty() ? target : f.mute.targetName;
            m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, {});
            plan.serverMutes.append({ m, f.where });
        }
    }
}

// Our moderation trail's fields for a MythosMUD mute or unmute; false for a mute_type we do not know.
bool muteFields(const ModerationLine &line, QJsonObject &fields)
{
    QString scope = muteScopeName(Mute::Scope::Personal);
    QString targetType = kPlayer;
    QString targetId = line.targetId;
    QString targetName = line.targetName;
    if (line.muteType == QLatin1String("global")) {
        scope = muteScopeName(Mute::Scope::Server);
    } else if (line.muteType.startsWith(QLatin1String("channel_"))) {
        targetType = kChannel;
        targetId = targetName = line.muteType.mid(8);
    } else if (line.muteType != kPlayer) {
        return false;
    }
    fields.insert(QLatin1String("actor"), line.actorId);
    fields.insert(QLatin1String("scope"), scope);
    fields.insert(QLatin1String("target_type"), targetType);
    fields.insert(QLatin1String("target_id"), targetId);
    fields.insert(QLatin1String("target_name"), targetName);
    if (line.eventType == QLatin1String("player_muted")) {
        fields.insert(QLatin1String("reason"), line.reason);
        fields.insert(QLatin1String("until"),
                      line.durationMinutes && *line.durationMinutes > 0 ? QJsonValue(
                              line.timestamp.addSecs(*line.durationMinutes * 60).toString(Qt::ISODateWithMs))
                                                                        : QJsonValue());
    }
    return true;
}

void planAudit(const ImportSources &sources, const Config &config, const QDateTime &now, ImportReport &report,
               ImportPlan &plan)
{
    ReportSection &section = report.moderationLog;
    // AuditLog deletes a day's file once the day is more than retention_days before today.
    const QDate cutoff = now.date().addDays(-qint64(config.logging.retentionDays));
    for (const LogFile &file : sources.logFiles) {
        if (file.fileName.kind != LogKind::Moderation)
            continue;
        for (const OtherLine &other : file.other)
            section.skip(QStringLiteral("event '%1' has no counterpart in our audit trail").arg(other.eventType),
                         other.where());
        for (const ModerationLine &line : file.moderation) {
            if (line.timestamp.date() < cutoff) {
                section.skip(QStringLiteral("older than logging.retention_days (%1)").arg(config.logging.retentionDays),
                             line.where());
                continue;
            }
            PlannedAuditLine a;
            a.at = line.timestamp;
            a.key = QString::fromLatin1(line.key);
            a.where = line.where();
            if (line.eventType == QLatin1String("rate_limit_violation")) {
                a.event = QStringLiteral("rate_limited");
                a.fields = { { QLatin1String("actor"), QLatin1String("system") },
                             { QLatin1String("player_id"), line.actorId },
                             { QLatin1String("player_name"), line.playerName },
                             { QLatin1String("channel"), line.channel },
                             { QLatin1String("limit"), static_cast<double>(line.limit) },
                             { QLatin1String("message_count"), static_cast<double>(line.messageCount) } };
            } else {
                a.event = line.eventType == QLatin1String("player_muted") ? QStringLiteral("mute")
                                                                          : QStringLiteral("unmute");
                if (!muteFields(line, a.fields)) {
                    section.skip(QStringLiteral("unknown mute_type '%1'").arg(line.muteType), line.where());
                    continue;
                }
            }
            a.fields.insert(QLatin1String("imported_from"), QLatin1String("mythosmud"));
            a.fields.insert(QLatin1String("source"), line.where());
            a.fields.insert(QLatin1String("import_key"), a.key);
            plan.auditLines.append(a);
        }
    }
}
} // namespace

QString importedMessageId(const QDateTime &at, const QString &sourceMessageId)
{
    const QByteArray digest = QCryptographicHash::hash(sourceMessageId.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("%1%2-mm%3")
            .arg(at.toMSecsSinceEpoch(), 12, 16, QLatin1Char('0'))
            .arg(0, 6, 16, QLatin1Char('0'))
            .arg(QString::fromLatin1(digest.left(16)));
}

ImportPlan planImport(const ImportSources &sources, const Config &config, const QSet<QString> &staffIds,
                      const QDateTime &now, ImportReport &report)
{
    ImportPlan plan;
    planMessages(sources, config, now, report, plan);
    planPersonalMutes(sources, config, now, report, plan);
    planServerMutes(sources, staffIds, now, report, plan);
    planAudit(sources, config, now, report, plan);
    return plan;
}

} // namespace mythos
