#pragma once
// The bookkeeping of resuming a feed after a reconnect (PROTOCOL §3 "Recovery"): remembers the
// newest message_id shown, builds the `resume` frame, and turns the server's answer into what
// to add and whether a gap must be marked. No socket and no model, so the console and the
// terminal client share it and tests drive it directly.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace mythos::console {

class FeedResume
{
public:
    // `feed` is "monitor" for the moderators' feed, empty for a player's own chat.
    explicit FeedResume(QString feed = {}) : m_feed(std::move(feed)) { }

    // Every message shown (live, late or resumed) goes through here.
    void noteMessage(const QString &messageId);
    // When the connection dropped: with nothing shown yet, the resume starts from there.
    void noteLost(qint64 lostAtMs);
    // Start from a known id (the CLI's --resume-since).
    void setNewestId(const QString &messageId) { m_newestId = messageId; }
    QString newestId() const { return m_newestId; }
    // Whether a resume has anything to start from.
    bool canResume() const { return !since().isEmpty(); }

    // The `resume` frame (without ref), or empty when there is nothing to resume from.
    QJsonObject frame() const;
    // The `since` the frame carries: the newest id held, else an id sorting before everything
    // minted at the moment the connection dropped.
    QString since() const;

    struct Outcome
    {
        QJsonArray messages; // chat_message data, oldest first; may repeat ones already held
        bool gap = false; // some messages may be missing: mark it
        QString reason; // the server's reason, or "no_answer", "feed_unsupported", an error code
        QString since; // where the hole starts (the resume's `since`)
        bool retryLater = false; // the connection dropped before the answer: nothing to mark
    };
    // Interprets the reply to frame(): `resumed`, `error`, or "timeout" (ModeratorClient's
    // name for no answer; data carries "message" when the connection dropped meanwhile).
    Outcome outcome(const QString &eventType, const QJsonObject &data, const QString &since) const;

    // A sentence for a gap marker, from a reason code.
    static QString describe(const QString &reason);

private:
    QString m_feed;
    QString m_newestId;
    qint64 m_lostAtMs = 0;
};

} // namespace mythos::console
