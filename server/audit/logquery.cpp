#include "audit/logquery.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace mythos {

namespace {

// The fields through which a line names a player (docs/protocol.md, "Audit trail").
const QLatin1String kPlayerFields[] { QLatin1String("sender_id"), QLatin1String("target_id"),
                                      QLatin1String("player_id"), QLatin1String("actor") };

class LineFilter
{
public:
    explicit LineFilter(const LogQuery &q)
        : m_query(q), m_eventNeedle(q.event.isEmpty() ? QByteArray() : "\"event\":\"" + q.event.toUtf8() + '"'),
          m_playerNeedle(q.player.toUtf8())
    {
    }

    bool matches(const QByteArray &line) const
    {
        // Cheap byte tests first: most lines fail one of them and are never parsed.
        if (!m_eventNeedle.isEmpty() && !line.contains(m_eventNeedle))
            return false;
        if (!m_playerNeedle.isEmpty() && !line.contains(m_playerNeedle))
            return false;
        const bool maybeWhisper = m_query.hideWhispers && line.contains("\"whisper\"");
        if (!m_query.text.isEmpty() && !QString::fromUtf8(line).contains(m_query.text, Qt::CaseInsensitive))
            return false;
        if (m_playerNeedle.isEmpty() && !maybeWhisper)
            return true;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (maybeWhisper && object.value(QLatin1String("channel")).toString() == QLatin1String("whisper"))
            return false;
        if (m_playerNeedle.isEmpty())
            return true;
        for (const QLatin1String &field : kPlayerFields) {
            if (object.value(field).toString() == m_query.player)
                return true;
        }
        return false;
    }

private:
    const LogQuery &m_query;
    QByteArray m_eventNeedle;
    QByteArray m_playerNeedle;
};

} // namespace

bool parseAuditCategory(const QString &name, AuditCategory *category)
{
    for (AuditCategory c : { AuditCategory::Chat, AuditCategory::Moderation, AuditCategory::System }) {
        if (name == auditCategoryName(c)) {
            *category = c;
            return true;
        }
    }
    return false;
}

LogQueryStats runLogQuery(const QString &logDir, const LogQuery &query,
                          const std::function<void(const QByteArray &)> &visit)
{
    LogQueryStats stats;
    const LineFilter filter(query);
    for (QDate day = query.from; day.isValid() && day <= query.to; day = day.addDays(1)) {
        QFile file(auditFilePath(logDir, query.category, day));
        if (!file.open(QIODevice::ReadOnly))
            continue; // a quiet day, or one pruned by retention
        ++stats.daysRead;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (line.isEmpty() || !filter.matches(line))
                continue;
            ++stats.matched;
            visit(line);
        }
    }
    return stats;
}

} // namespace mythos
