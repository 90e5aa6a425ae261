#pragma once
// An entry of the moderation queue: a flagged (delivered) or held (not delivered) message with
// the context a moderator needs to judge it, as it was when the message was sent.

#include <QDateTime>
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
};

} // namespace mythos
