#pragma once
// The messages this instance accepted lately, kept in memory so that after a NATS outage it
// can hand the other instances what they missed from it (docs/protocol.md "Catch-up"), with
// or without a database of its own. Bounded like a resume: at most chat.recovery.max_messages,
// none older than chat.recovery.max_age_seconds. It also remembers the newest message it had to
// forget, so an answer can say whether it is complete.

#include <QJsonObject>
#include <QList>
#include <QString>

namespace mythos {

struct RecentSlice
{
    QList<QJsonObject> messages; // oldest first
    bool complete = true;
    QString reason; // too_many or too_old when not complete
};

class RecentOwnMessages
{
public:
    RecentOwnMessages(int maxMessages, int maxAgeSeconds);

    void remember(const QJsonObject &message, qint64 nowMs);
    // Everything with a message_id after `sinceId`, oldest first, at most `maxBytes` of JSON
    // (the newest are kept when that cuts).
    RecentSlice after(const QString &sinceId, qint64 nowMs, qsizetype maxBytes);
    qsizetype size() const { return m_messages.size(); }

private:
    void forgetOld(qint64 nowMs);
    void forgetFirst(QLatin1String reason);

    int m_maxMessages;
    qint64 m_maxAgeMs;
    QList<QJsonObject> m_messages; // in acceptance (= id) order
    QString m_newestForgotten;
    QString m_forgottenReason;
};

} // namespace mythos
