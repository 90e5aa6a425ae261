#pragma once
// The ready-to-print `message` line of a chat_message (PROTOCOL §3).

#include <QString>

namespace mythos {

QString printableLine(const QString &channel, const QString &senderName, const QString &content);

} // namespace mythos
