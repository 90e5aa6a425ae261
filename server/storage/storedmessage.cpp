#include "storage/storedmessage.h"

#include "chat/messageformat.h"

namespace mythos {

namespace {
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

StoredMessage StoredMessage::fromChatData(const QJsonObject &d, const QString &origin)
{
    StoredMessage m;
    m.id = str(d, "message_id");
    m.channel = str(d, "channel");
    m.senderId = str(d, "sender_id");
    m.senderName = str(d, "sender_name");
    m.content = str(d, "content");
    m.timestamp = QDateTime::fromString(str(d, "timestamp"), Qt::ISODateWithMs).toUTC();
    m.roomId = str(d, "room_id");
    m.partyId = str(d, "party_id");
    m.targetId = str(d, "target_id");
    m.targetName = str(d, "target_name");
    m.scopeKey = m.targetId.isEmpty() ? str(d, "scope_id") : m.targetId;
    m.filtered = d.value(QLatin1String("filtered")).toBool();
    m.origin = origin;
    return m;
}

QJsonObject StoredMessage::toChatData() const
{
    QJsonObject d { { QLatin1String("message_id"), id },
                    { QLatin1String("channel"), channel },
                    { QLatin1String("sender_id"), senderId },
                    { QLatin1String("sender_name"), senderName },
                    { QLatin1String("content"), content },
                    { QLatin1String("message"), printableLine(channel, senderName, content) },
                    { QLatin1String("timestamp"), timestamp.toUTC().toString(Qt::ISODateWithMs) },
                    { QLatin1String("filtered"), filtered } };
    if (!roomId.isEmpty())
        d.insert(QLatin1String("room_id"), roomId);
    if (!partyId.isEmpty())
        d.insert(QLatin1String("party_id"), partyId);
    if (!targetId.isEmpty()) {
        d.insert(QLatin1String("target_id"), targetId);
        d.insert(QLatin1String("target_name"), targetName);
    } else if (!scopeKey.isEmpty()) {
        d.insert(QLatin1String("scope_id"), scopeKey);
    }
    return d;
}

} // namespace mythos
