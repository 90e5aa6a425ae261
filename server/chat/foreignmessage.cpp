#include "chat/foreignmessage.h"

#include "chat/messageformat.h"
#include "import/sourcefields.h"
#include "model/channel.h"
#include "protocol/event.h"
#include "protocol/subjects.h"
#include "util/ids.h"

namespace mythos {

namespace {
using Need = FieldReader::Need;

// An optional id field that, when present, must be a subject id and say the same as the
// subject (room, party or whisper target).
QString checkedId(const QString &value, const char *field, const QString &fromSubject, QString &error)
{
    if (value.isEmpty() || !error.isEmpty())
        return value;
    if (!isValidSubjectId(value))
        error = QStringLiteral("field '%1' must match [A-Za-z0-9_-]{1,128}").arg(QLatin1String(field));
    else if (!fromSubject.isEmpty() && value != fromSubject)
        error = QStringLiteral("field '%1' is '%2' but the subject says '%3'")
                        .arg(QLatin1String(field), value, fromSubject);
    return value;
}
} // namespace

bool isForeignMessage(const QJsonObject &payload)
{
    return !payload.contains(QLatin1String("origin"))
            && !messageIdMillis(payload.value(QLatin1String("message_id")).toString()).has_value();
}

std::variant<QJsonObject, QString> readForeignMessage(const QJsonObject &payload, const ChannelSpec &channel,
                                                      const QString &scopeId)
{
    FieldReader r(payload);
    const QString eventType = r.string("event_type");
    const QString sourceId = r.string("message_id", Need::Required);
    r.string("channel", Need::Required); // the caller matched it with the subject
    const QString senderId = r.string("sender_id", Need::Required);
    const QString senderName = r.string("sender_name", Need::Required);
    const QString content = r.string("content", Need::Required).trimmed();
    const QDateTime at = r.time("timestamp", Need::Required);
    const QString roomId = r.string("room_id");
    const QString partyId = r.string("party_id");
    const QString targetId = r.string("target_id");
    const QString targetPlayerId = r.string("target_player_id"); // their log lines' name for it
    const QString targetName = r.string("target_name");
    const bool filtered = r.boolean("filtered");
    r.skip("moderation_notes");
    QString error = r.error();
    if (error.isEmpty() && !eventType.isEmpty() && eventType != QLatin1String("chat_message"))
        error = QStringLiteral("event_type '%1' is not chat_message").arg(eventType);
    if (error.isEmpty() && (sourceId.isEmpty() || sourceId.size() > 128))
        error = QStringLiteral("field 'message_id' must be 1-128 characters");
    if (error.isEmpty() && !isValidPlayerId(senderId))
        error = QStringLiteral("field 'sender_id' must match [A-Za-z0-9_-]{1,64}");
    if (error.isEmpty() && !isValidDisplayName(senderName))
        error = QStringLiteral("field 'sender_name' must be 1-32 printable characters");
    if (error.isEmpty() && content.isEmpty())
        error = QStringLiteral("field 'content' is empty");
    if (error.isEmpty() && characterCount(content) > channel.maxLength)
        error = QStringLiteral("field 'content' is longer than %1 allows (%2)")
                        .arg(channel.name)
                        .arg(channel.maxLength);
    checkedId(roomId, "room_id", channel.scope == ScopeKind::Room ? scopeId : QString(), error);
    checkedId(partyId, "party_id", channel.scope == ScopeKind::Party ? scopeId : QString(), error);
    const QString subjectTarget = channel.scope == ScopeKind::Player ? scopeId : QString();
    checkedId(targetId, "target_id", subjectTarget, error);
    checkedId(targetPlayerId, "target_player_id", subjectTarget, error);
    if (error.isEmpty() && channel.scope != ScopeKind::Player && !(targetId + targetPlayerId).isEmpty())
        error = QStringLiteral("a target on channel %1, which is not a whisper channel").arg(channel.name);
    if (!error.isEmpty())
        return error;

    QJsonObject data { { QLatin1String("message_id"), importedMessageId(at, sourceId) },
                       { QLatin1String("channel"), channel.name },
                       { QLatin1String("sender_id"), senderId },
                       { QLatin1String("sender_name"), senderName },
                       { QLatin1String("content"), content },
                       { QLatin1String("message"), printableLine(channel.name, senderName, content) },
                       { QLatin1String("timestamp"), isoTimestamp(at) },
                       { QLatin1String("filtered"), filtered } };
    // The fields our own messages carry for this scope (ChatService::buildMessage).
    const QString room = channel.scope == ScopeKind::Room ? scopeId : roomId;
    if (!room.isEmpty() && channel.scope <= ScopeKind::Plane)
        data.insert(QLatin1String("room_id"), room);
    if (scopeNeedsId(channel.scope) && channel.scope != ScopeKind::Player)
        data.insert(QLatin1String("scope_id"), scopeId);
    if (channel.scope == ScopeKind::Party)
        data.insert(QLatin1String("party_id"), scopeId);
    if (channel.scope == ScopeKind::Player) {
        data.insert(QLatin1String("target_id"), scopeId);
        if (!targetName.isEmpty())
            data.insert(QLatin1String("target_name"), targetName);
    }
    return data;
}

} // namespace mythos
