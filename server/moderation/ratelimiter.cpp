#include "moderation/ratelimiter.h"

namespace mythos {

std::deque<qint64> &RateLimiter::window(const QString &playerId, const QString &channel, qint64 nowMs)
{
    std::deque<qint64> &times = m_windows[playerId][channel];
    while (!times.empty() && times.front() <= nowMs - kWindowMs)
        times.pop_front();
    return times;
}

qint64 RateLimiter::retryAfterMs(const QString &playerId, const QString &channel, int limit, qint64 nowMs)
{
    const std::deque<qint64> &times = window(playerId, channel, nowMs);
    if (static_cast<int>(times.size()) < limit)
        return 0;
    // The window frees a slot when the message `limit` places back leaves it.
    return times[times.size() - limit] + kWindowMs - nowMs;
}

void RateLimiter::record(const QString &playerId, const QString &channel, qint64 nowMs)
{
    window(playerId, channel, nowMs).push_back(nowMs);
}

RateStatus RateLimiter::status(const QString &playerId, const QString &channel, int limit, qint64 nowMs)
{
    const std::deque<qint64> &times = window(playerId, channel, nowMs);
    RateStatus s;
    s.limit = limit;
    s.remaining = std::max(0, limit - static_cast<int>(times.size()));
    s.resetMs = times.empty() ? 0 : times.front() + kWindowMs - nowMs;
    return s;
}

qsizetype RateLimiter::sweep(qint64 nowMs)
{
    for (auto player = m_windows.begin(); player != m_windows.end();) {
        for (auto channel = player->begin(); channel != player->end();) {
            if (channel->empty() || channel->back() <= nowMs - kWindowMs)
                channel = player->erase(channel);
            else
                ++channel;
        }
        player = player->isEmpty() ? m_windows.erase(player) : std::next(player);
    }
    return trackedWindows();
}

qsizetype RateLimiter::trackedWindows() const
{
    qsizetype n = 0;
    for (const auto &channels : m_windows)
        n += channels.size();
    return n;
}

} // namespace mythos
