#pragma once
// MythosMUD's chat logs, as its ChatLogger writes them: JSON lines per UTC day in one folder,
// chat_<type>_<YYYY-MM-DD>.log. `chat` holds every chat message; `global`, `whisper`, `system`
// and `local_<subzone>` repeat them per channel (whisper lines add the target), `system` also
// holds system events, `moderation` mutes, unmutes and rate-limit violations. Read and
// validated only; a file with one bad line is rejected whole.

#include "import/sourcefields.h"

#include <QDate>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace mythos {

enum class LogKind { Chat, Global, Whisper, System, Local, Moderation, Unknown };

struct LogFileName
{
    bool matches = false; // chat_<type>_<YYYY-MM-DD>.log
    LogKind kind = LogKind::Unknown;
    QString type; // the <type> part as written
    QDate day;
};
LogFileName parseLogFileName(const QString &fileName);

struct SourceLine
{
    QString file;
    int line = 0;
    QString where() const { return QStringLiteral("%1:%2").arg(file).arg(line); }
};

// One chat message as one file has it.
struct ChatLine : SourceLine
{
    QString eventType;
    QString messageId;
    QString channel;
    QString senderId;
    QString senderName;
    QString content;
    bool hasContent = false; // content present and not null
    QString roomId;
    QString partyId;
    QString targetId; // whisper files: target_id; the general file: target_player_id
    QString targetName; // whisper files only
    bool filtered = false;
    QDateTime timestamp;
};

struct ModerationLine : SourceLine
{
    QString eventType; // player_muted, player_unmuted, rate_limit_violation
    QString actorId; // muter_id / unmuter_id / player_id
    QString targetId;
    QString targetName;
    QString muteType; // "player", "global", "channel_<channel>"
    std::optional<qint64> durationMinutes; // player_muted; nullopt = permanent
    QString reason;
    QString playerName; // rate_limit_violation
    QString channel;
    qint64 messageCount = 0;
    qint64 limit = 0;
    QDateTime timestamp;
    QByteArray key; // a digest of the line as written: the same line imports once
};

// System events and event types this importer does not know.
struct OtherLine : SourceLine
{
    QString eventType;
};

struct LogFile
{
    QString name;
    LogFileName fileName;
    QList<ChatLine> chat;
    QList<ModerationLine> moderation;
    QList<OtherLine> other;
    int lines = 0;
};

std::variant<LogFile, SourceProblem> readLogFile(const QString &fileName, const QByteArray &bytes);

} // namespace mythos
