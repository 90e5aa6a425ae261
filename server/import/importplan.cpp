#include "import/importplan.h"

#include "model/scope.h"
#include "util/ids.h"

#include <QHash>

#include <algorithm>

namespace mythos {

namespace {

// One message_id's lines: the general file's if there is one, and the per-channel copies.
struct MessageLines
{
    const ChatLine *general = nullptr;
    QList<const ChatLine *> copies;
    const ChatLine *canonical() const { return general ? general : copies.value(0); }
};

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

} // namespace

QString notConfiguredReason(const QString &channel)
{
    return QStringLiteral("channel '%1' is not configured here").arg(channel);
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
            skip(notConfiguredReason(c.channel));
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

ImportPlan planImport(const ImportSources &sources, const Config &config, const QSet<QString> &staffIds,
                      const QDateTime &now, ImportReport &report)
{
    ImportPlan plan;
    planMessages(sources, config, now, report, plan);
    planMutes(sources, config, staffIds, now, report, plan);
    planModerationLog(sources, config, now, report, plan);
    return plan;
}

} // namespace mythos
