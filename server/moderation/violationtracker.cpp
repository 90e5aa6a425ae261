#include "moderation/violationtracker.h"

namespace mythos {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
}

void ViolationTracker::advance(PlayerHistory &history, qint64 minute)
{
    // Clear the buckets of the minutes that passed since the last refusal (all, after an hour).
    const qint64 gap = std::min<qint64>(minute - history.lastMinute, kMinutes);
    for (qint64 m = 1; m <= gap; ++m)
        history.perMinute[(history.lastMinute + m) % kMinutes] = 0;
    history.lastMinute = std::max(history.lastMinute, minute);
}

bool ViolationTracker::record(const QString &playerId, const QString &channel, qint64 nowMs, qint64 retryAfterMs)
{
    const qint64 minute = nowMs / kMinuteMs;
    auto it = m_players.find(playerId);
    if (it == m_players.end())
        it = m_players.insert(playerId, PlayerHistory { {}, minute, {} });
    advance(*it, minute);
    ++it->perMinute[minute % kMinutes];
    qint64 &reported = it->reportedUntil[channel];
    if (nowMs < reported)
        return false;
    reported = nowMs + retryAfterMs;
    return true;
}

int ViolationTracker::lastHour(const QString &playerId, qint64 nowMs) const
{
    const auto it = m_players.constFind(playerId);
    if (it == m_players.cend())
        return 0;
    PlayerHistory copy = *it;
    advance(copy, nowMs / kMinuteMs);
    int sum = 0;
    for (quint32 n : copy.perMinute)
        sum += static_cast<int>(n);
    return sum;
}

void ViolationTracker::sweep(qint64 nowMs)
{
    const qint64 minute = nowMs / kMinuteMs;
    m_players.removeIf([minute](const auto &entry) { return entry.value().lastMinute <= minute - kMinutes; });
}

} // namespace mythos
