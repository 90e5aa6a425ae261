#pragma once
// Remembers rate-limit refusals per player with bounded memory: per-minute counts for the
// last hour (for the moderation queue's context) and, per channel, until when the current
// cool-down has already been reported, so a spamming client produces one log line per
// cool-down instead of one per refused message.

#include <QHash>
#include <QString>

#include <array>

namespace mythos {

class ViolationTracker
{
public:
    // Records a refusal at `nowMs` whose cool-down ends `retryAfterMs` later. Returns true when
    // it starts a new cool-down for that channel (the one worth logging).
    bool record(const QString &playerId, const QString &channel, qint64 nowMs, qint64 retryAfterMs);
    // Refusals of the last hour.
    int lastHour(const QString &playerId, qint64 nowMs) const;
    // Forgets players without a refusal in the last hour.
    void sweep(qint64 nowMs);
    qsizetype trackedPlayers() const { return m_players.size(); }

private:
    static constexpr int kMinutes = 60;
    struct PlayerHistory
    {
        std::array<quint32, kMinutes> perMinute {};
        qint64 lastMinute = 0; // minute number (ms / 60000) of the latest refusal
        QHash<QString, qint64> reportedUntil; // per channel: end of the cool-down already logged
    };
    static void advance(PlayerHistory &history, qint64 minute);
    QHash<QString, PlayerHistory> m_players;
};

} // namespace mythos
