#pragma once
// An entry of the moderation queue: a flagged (delivered) or held (not delivered) message with
// the context a moderator needs to judge it, as it was when the message was sent.

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace mythos {

struct ModerationItem
{
    QString id;
    QString messageId;
    QString kind; // "flagged" or "held"
    QString status = QStringLiteral("pending");
    QString senderId;
    QString channel;
    QJsonObject message; // chat_message data as it would be delivered
    QJsonObject context; // sender location and party, recent lines, violations, mutes
    QStringList reasons; // what matched
    QDateTime createdAt;
    QString origin;
    QString claimedBy;
    QString resolvedBy;
    QString resolution; // the action that closed it: approve, reject, dismiss, delete, mute_sender

    // The `queue_item` form moderators receive.
    QJsonObject toProtocol() const
    {
        QJsonObject o { { QLatin1String("item_id"), id },
                        { QLatin1String("message_id"), messageId },
                        { QLatin1String("kind"), kind },
                        { QLatin1String("status"), status },
                        { QLatin1String("sender_id"), senderId },
                        { QLatin1String("channel"), channel },
                        { QLatin1String("message"), message },
                        { QLatin1String("context"), context },
                        { QLatin1String("reasons"), QJsonArray::fromStringList(reasons) },
                        { QLatin1String("created_at"), createdAt.toUTC().toString(Qt::ISODateWithMs) },
                        { QLatin1String("claimed_by"), claimedBy.isEmpty() ? QJsonValue() : QJsonValue(claimedBy) } };
        if (!resolvedBy.isEmpty()) {
            o.insert(QLatin1String("resolved_by"), resolvedBy);
            o.insert(QLatin1String("resolution"), resolution);
        }
        return o;
    }

    static ModerationItem fromProtocol(const QJsonObject &o)
    {
        ModerationItem i;
        i.id = o.value(QLatin1String("item_id")).toString();
        i.messageId = o.value(QLatin1String("message_id")).toString();
        i.kind = o.value(QLatin1String("kind")).toString();
        i.status = o.value(QLatin1String("status")).toString();
        i.senderId = o.value(QLatin1String("sender_id")).toString();
        i.channel = o.value(QLatin1String("channel")).toString();
        i.message = o.value(QLatin1String("message")).toObject();
        i.context = o.value(QLatin1String("context")).toObject();
        for (const QJsonValue &r : o.value(QLatin1String("reasons")).toArray())
            i.reasons.append(r.toString());
        i.createdAt = QDateTime::fromString(o.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
        i.claimedBy = o.value(QLatin1String("claimed_by")).toString();
        i.resolvedBy = o.value(QLatin1String("resolved_by")).toString();
        i.resolution = o.value(QLatin1String("resolution")).toString();
        return i;
    }
};

} // namespace mythos
