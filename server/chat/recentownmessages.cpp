#include "chat/recentownmessages.h"

#include "protocol/wirenames.h"
#include "util/ids.h"

#include <QJsonDocument>

namespace mythos {

namespace {
QString idOf(const QJsonObject &message)
{
    return message.value(QLatin1String("message_id")).toString();
}
} // namespace

RecentOwnMessages::RecentOwnMessages(int maxMessages, int maxAgeSeconds)
    : m_maxMessages(std::max(0, maxMessages)), m_maxAgeMs(qint64(std::max(0, maxAgeSeconds)) * 1000)
{
}

void RecentOwnMessages::forgetFirst(QLatin1String reason)
{
    m_newestForgotten = idOf(m_messages.takeFirst());
    m_forgottenReason = reason;
}

void RecentOwnMessages::forgetOld(qint64 nowMs)
{
    while (!m_messages.isEmpty() && messageIdMillis(idOf(m_messages.first())).value_or(0) < nowMs - m_maxAgeMs)
        forgetFirst(wire::recovery::tooOld);
}

void RecentOwnMessages::remember(const QJsonObject &message, qint64 nowMs)
{
    m_messages.append(message);
    while (m_messages.size() > m_maxMessages)
        forgetFirst(wire::recovery::tooMany);
    forgetOld(nowMs);
}

RecentSlice RecentOwnMessages::after(const QString &sinceId, qint64 nowMs, qsizetype maxBytes)
{
    forgetOld(nowMs);
    RecentSlice slice;
    if (!m_newestForgotten.isEmpty() && m_newestForgotten > sinceId) {
        slice.complete = false;
        slice.reason = m_forgottenReason;
    }
    qsizetype bytes = 0;
    // Newest first, so a byte limit keeps the most recent; reversed at the end.
    for (auto it = m_messages.crbegin(); it != m_messages.crend() && idOf(*it) > sinceId; ++it) {
        bytes += QJsonDocument(*it).toJson(QJsonDocument::Compact).size() + 1;
        if (bytes > maxBytes) {
            slice.complete = false;
            slice.reason = wire::recovery::tooMany;
            break;
        }
        slice.messages.append(*it);
    }
    std::reverse(slice.messages.begin(), slice.messages.end());
    return slice;
}

} // namespace mythos
