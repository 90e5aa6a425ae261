#include "chat/messageformat.h"

namespace mythos {

QString printableLine(const QString &channel, const QString &senderName, const QString &content)
{
    if (channel == QLatin1String("say"))
        return senderName + QStringLiteral(" says: ") + content;
    if (channel == QLatin1String("whisper"))
        return senderName + QStringLiteral(" whispers to you: ") + content;
    if (channel == QLatin1String("emote")) {
        QString line = senderName + QLatin1Char(' ') + content;
        const QChar last = content.isEmpty() ? QChar() : content.back();
        if (!last.isPunct())
            line += QLatin1Char('.');
        return line;
    }
    if (channel == QLatin1String("system"))
        return QStringLiteral("[SYSTEM] ") + content;
    if (channel == QLatin1String("admin"))
        return QStringLiteral("[ADMIN] ") + senderName + QStringLiteral(": ") + content;
    return QStringLiteral("%1 (%2): %3").arg(senderName, channel, content);
}

} // namespace mythos
