#pragma once
// A chat message as it is kept in the database, and its conversion to and from the
// `chat_message` data object of the protocol.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace mythos {

struct StoredMessage
{
    QString id;
    QString channel;
    QString senderId;
    QString senderName;
    QString content;
    QDateTime timestamp;
    QString roomId;
    QString partyId;
    QString scopeKey; // what history is filtered by: scope id, whisper target, or "" for everyone
    QString targetId;
    QString targetName;
    QString origin;
    bool filtered = false;
    // Its sender was shadow-muted: kept for the sender's own history and the moderators'
    // feed, left out of everybody else's history and resumes. Never in toChatData().
    bool shadow = false;

    // `message` (the printable line) is rebuilt from the fields, so it is not stored.
    static StoredMessage fromChatData(const QJsonObject &data, const QString &origin);
    QJsonObject toChatData() const;
};

// Which messages a history request may see; built by the history rules, run by the store.
struct HistoryQuery
{
    // Channel: every scope of the channel (the moderators' feed), only in a RecoveryQuery.
    enum class Kind { Scope, Whisper, Channel };
    Kind kind = Kind::Scope;
    QString channel;
    QString scopeKey; // Kind::Scope
    QString playerId; // Kind::Whisper: sent or received by this player
    QString readerId; // Kind::Scope: whose shadowed lines are visible (their own; empty = none)
    QString before; // message id; empty = newest
    int limit = 50;
};

// What a resume reads (PROTOCOL §3 Recovery): every channel the reader may see, as the history
// rules plan them, after `after` (the resume point minus the clock window), newest `limit`.
struct RecoveryQuery
{
    QList<HistoryQuery> branches;
    QString readerId; // their own messages are left out of scope branches
    QString since; // checked for existence: unknown means the history cannot say what is missing
    QString after;
    int limit = 201;
};

struct RecoveryRows
{
    bool sinceKnown = false;
    QList<StoredMessage> messages; // oldest first, at most `limit`
};

} // namespace mythos
