#include "connection/feedresume.h"

#include "protocol/frames.h"
#include "protocol/wirenames.h"
#include "util/ids.h"

#include <QCoreApplication>

namespace mythos::console {

void FeedResume::noteMessage(const QString &messageId)
{
    // Ids sort in acceptance order; a late message must not move the mark back.
    if (messageId > m_newestId)
        m_newestId = messageId;
}

void FeedResume::noteLost(qint64 lostAtMs)
{
    m_lostAtMs = lostAtMs;
}

QString FeedResume::since() const
{
    if (!m_newestId.isEmpty())
        return m_newestId;
    if (m_lostAtMs <= 0)
        return {};
    // Nothing shown yet: counter 0 and the tag "0" sort before every id minted in that
    // millisecond, so the server resends everything after the drop. It does not know that id
    // and says unknown_since, which is honest: the console cannot tell what came before.
    return messageIdFloor(m_lostAtMs) + QStringLiteral("000000-0");
}

QJsonObject FeedResume::frame() const
{
    const QString from = since();
    if (from.isEmpty())
        return {};
    return frames::resume(from, m_feed);
}

FeedResume::Outcome FeedResume::outcome(const QString &eventType, const QJsonObject &data, const QString &since) const
{
    Outcome o;
    o.since = since;
    if (eventType == wire::event::resumed) {
        if (data.value(wire::field::feed).toString() != m_feed) {
            // A server from before feed resumes answers with the player's own chat: not what
            // the feed missed, so none of it is merged and the hole is marked.
            o.gap = true;
            o.reason = QStringLiteral("feed_unsupported");
            return o;
        }
        o.messages = data.value(wire::field::messages).toArray();
        o.gap = !data.value(wire::field::recovered).toBool();
        if (o.gap)
            o.reason = data.value(wire::field::reason).toString(QStringLiteral("unknown"));
        return o;
    }
    if (eventType == QLatin1String("timeout") && data.contains(wire::field::message)) {
        // The connection dropped again before the answer: the next reconnect resumes from the
        // same place, so nothing is missing yet.
        o.retryLater = true;
        return o;
    }
    o.gap = true;
    o.reason = eventType == wire::event::error ? data.value(wire::field::code).toString(QStringLiteral("error"))
                                               : QStringLiteral("no_answer");
    return o;
}

QString FeedResume::describe(const QString &reason)
{
    const char *text = nullptr;
    if (reason == wire::recovery::tooMany)
        text = QT_TRANSLATE_NOOP(
                "FeedResume",
                "more messages were sent meanwhile than the server resends; the oldest of them are missing");
    else if (reason == wire::recovery::tooOld)
        text = QT_TRANSLATE_NOOP("FeedResume",
                                 "the connection was down longer than the server keeps messages to resend");
    else if (reason == wire::recovery::unknownSince)
        text = QT_TRANSLATE_NOOP("FeedResume",
                                 "the server does not know the last message shown here; some may be missing");
    else if (reason == wire::recovery::historyUnavailable)
        text = QT_TRANSLATE_NOOP("FeedResume",
                                 "the server's history is unavailable; messages sent meanwhile are missing");
    else if (reason == QLatin1String("feed_unsupported"))
        text = QT_TRANSLATE_NOOP("FeedResume",
                                 "this server cannot resend the feed; messages sent meanwhile are missing");
    else if (reason == QLatin1String("no_answer"))
        text = QT_TRANSLATE_NOOP("FeedResume",
                                 "the server did not answer the resume; messages sent meanwhile may be missing");
    if (text)
        return QCoreApplication::translate("FeedResume", text);
    return QCoreApplication::translate("FeedResume", "messages may be missing (%1)").arg(reason);
}

} // namespace mythos::console
