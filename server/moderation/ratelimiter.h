#pragma once
// Per player and channel sliding 60-second windows. Only accepted messages are recorded, so a
// refused message never uses up the window. Idle entries are swept, so memory follows the
// players who actually talked in the last minute.

#include <QHash>
#include <QString>

#include <deque>

namespace mythos {

struct RateStatus
{
    int limit = 0;
    int remaining = 0;
    qint64 resetMs = 0; // until the oldest message in the window leaves it (0: window empty)
};

class RateLimiter
{
public:
    static constexpr qint64 kWindowMs = 60000;

    // 0 when a message may be sent now, else how long until it may.
    qint64 retryAfterMs(const QString &playerId, const QString &channel, int limit, qint64 nowMs);
    void record(const QString &playerId, const QString &channel, qint64 nowMs);
    RateStatus status(const QString &playerId, const QString &channel, int limit, qint64 nowMs);
    // Drops windows with nothing in the last minute; returns how many entries remain.
    qsizetype sweep(qint64 nowMs);
    qsizetype trackedWindows() const;

private:
    std::deque<qint64> &window(const QString &playerId, const QString &channel, qint64 nowMs);

    QHash<QString, QHash<QString, std::deque<qint64>>> m_windows; // player -> channel -> send times
};

} // namespace mythos
