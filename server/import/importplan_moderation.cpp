// The mute and moderation-log parts of planImport (importplan.h); messages are in importplan.cpp.
#include "import/importplan.h"

#include "util/ids.h"

#include <QHash>

namespace mythos {

namespace {
const QLatin1String kPlayer("player");
const QLatin1String kChannel("channel");

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
                section.skip(notConfiguredReason(s.key), at);
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

} // namespace

void planModerationLog(const ImportSources &sources, const Config &config, const QDateTime &now, ImportReport &report,
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

void planMutes(const ImportSources &sources, const Config &config, const QSet<QString> &staffIds, const QDateTime &now,
               ImportReport &report, ImportPlan &plan)
{
    planPersonalMutes(sources, config, now, report, plan);
    planServerMutes(sources, staffIds, now, report, plan);
}

} // namespace mythos
