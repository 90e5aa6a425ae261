#include "import/mythoslogs.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRegularExpression>

namespace mythos {

namespace {
using Need = FieldReader::Need;

bool isChatEvent(const QString &type)
{
    static const QStringList types { QStringLiteral("chat_message"), QStringLiteral("global_channel_message"),
                                     QStringLiteral("whisper_channel_message"),
                                     QStringLiteral("system_channel_message"),
                                     QStringLiteral("local_channel_message") };
    return types.contains(type);
}

bool isModerationEvent(const QString &type)
{
    static const QStringList types { QStringLiteral("player_muted"), QStringLiteral("player_unmuted"),
                                     QStringLiteral("rate_limit_violation") };
    return types.contains(type);
}

// The fields each chat event type carries (ChatLogger and its per-channel mixin).
QString readChat(FieldReader &f, const QString &type, ChatLine &c)
{
    c.eventType = type;
    c.messageId = f.string("message_id", Need::Required);
    c.channel = f.string("channel", Need::Required);
    c.senderId = f.string("sender_id");
    c.senderName = f.string("sender_name");
    c.content = f.string("content");
    c.filtered = f.boolean("filtered");
    f.skip("moderation_notes"); // nothing in our history holds them
    c.timestamp = f.time("timestamp", Need::Required);
    const bool general = type == QLatin1String("chat_message");
    if (general || type == QLatin1String("local_channel_message"))
        c.roomId = f.string("room_id");
    if (type == QLatin1String("local_channel_message"))
        f.skip("subzone"); // derived from the room id, as ours is
    if (general) {
        c.partyId = f.string("party_id");
        c.targetId = f.string("target_player_id");
    }
    if (general || type == QLatin1String("whisper_channel_message")) {
        // The general file names the target by id only; the whisper file has both.
        if (const QString id = f.string("target_id"); !id.isEmpty())
            c.targetId = id;
        c.targetName = f.string("target_name");
    }
    return f.error();
}

QString readModeration(FieldReader &f, const QString &type, ModerationLine &m)
{
    m.eventType = type;
    m.timestamp = f.time("timestamp", Need::Required);
    if (type == QLatin1String("rate_limit_violation")) {
        m.actorId = f.string("player_id", Need::Required);
        m.playerName = f.string("player_name");
        m.channel = f.string("channel", Need::Required);
        m.messageCount = f.integer("message_count").value_or(0);
        m.limit = f.integer("limit").value_or(0);
        return f.error();
    }
    const bool muted = type == QLatin1String("player_muted");
    m.actorId = f.string(muted ? "muter_id" : "unmuter_id", Need::Required);
    m.targetId = f.string("target_id", Need::Required);
    m.targetName = f.string("target_name");
    m.muteType = f.string("mute_type", Need::Required);
    if (muted) {
        m.durationMinutes = f.integer("duration_minutes");
        m.reason = f.string("reason");
    }
    return f.error();
}
} // namespace

LogFileName parseLogFileName(const QString &fileName)
{
    static const QRegularExpression re(QStringLiteral("^chat_(.+)_(\\d{4}-\\d{2}-\\d{2})\\.log$"));
    LogFileName n;
    const QRegularExpressionMatch m = re.match(fileName);
    if (!m.hasMatch())
        return n;
    n.day = QDate::fromString(m.captured(2), Qt::ISODate);
    n.matches = n.day.isValid();
    n.type = m.captured(1);
    if (n.type == QLatin1String("chat"))
        n.kind = LogKind::Chat;
    else if (n.type == QLatin1String("global"))
        n.kind = LogKind::Global;
    else if (n.type == QLatin1String("whisper"))
        n.kind = LogKind::Whisper;
    else if (n.type == QLatin1String("system"))
        n.kind = LogKind::System;
    else if (n.type == QLatin1String("moderation"))
        n.kind = LogKind::Moderation;
    else if (n.type.startsWith(QLatin1String("local_")))
        n.kind = LogKind::Local;
    return n;
}

std::variant<LogFile, SourceProblem> readLogFile(const QString &fileName, const QByteArray &bytes)
{
    LogFile file;
    file.name = fileName;
    file.fileName = parseLogFileName(fileName);
    const bool moderationFile = file.fileName.kind == LogKind::Moderation;
    const QList<QByteArray> rows = bytes.split('\n');
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QByteArray row = rows[i].trimmed();
        const int lineNo = static_cast<int>(i) + 1;
        if (row.isEmpty())
            continue;
        ++file.lines;
        auto problem = [&](const QString &message) { return SourceProblem { fileName, lineNo, message }; };
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(row, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return problem(QStringLiteral("invalid JSON at column %1: %2")
                                   .arg(parseError.offset + 1)
                                   .arg(parseError.errorString()));
        if (!doc.isObject())
            return problem(QStringLiteral("not a JSON object"));
        FieldReader f(doc.object());
        const QString type = f.string("event_type", Need::Required);
        if (type.isEmpty())
            return problem(f.error());
        QString error;
        if (!moderationFile && isChatEvent(type)) {
            ChatLine c;
            c.file = fileName;
            c.line = lineNo;
            c.hasContent = doc.object().value(QLatin1String("content")).isString();
            error = readChat(f, type, c);
            file.chat.append(c);
        } else if (moderationFile && isModerationEvent(type)) {
            ModerationLine m;
            m.file = fileName;
            m.line = lineNo;
            m.key = QCryptographicHash::hash(row, QCryptographicHash::Sha1).toHex().left(20);
            error = readModeration(f, type, m);
            file.moderation.append(m);
        } else {
            OtherLine o;
            o.file = fileName;
            o.line = lineNo;
            o.eventType = type;
            file.other.append(o);
        }
        if (!error.isEmpty())
            return problem(error);
    }
    return file;
}

} // namespace mythos
