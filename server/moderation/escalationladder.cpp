#include "moderation/escalationladder.h"

#include <algorithm>

namespace mythos {

int EscalationLadder::points(const QString &playerId, const QDateTime &now) const
{
    const QDateTime cutOff = decayCutOff(now);
    int sum = 0;
    for (const Offence &f : m_offences.value(playerId)) {
        if (f.at > cutOff)
            sum += f.points;
    }
    return sum;
}

QList<EscalationStep> EscalationLadder::record(const Offence &offence, const QDateTime &now)
{
    if (m_seen.contains(offence.id))
        return {};
    const auto reset = m_resetAt.constFind(offence.playerId);
    if (offence.at <= decayCutOff(now) || (reset != m_resetAt.constEnd() && offence.at <= *reset))
        return {};
    m_seen.insert(offence.id);
    const int before = points(offence.playerId, now);
    QList<Offence> &list = m_offences[offence.playerId];
    // Relayed offences can arrive out of order; the record stays in time order.
    list.insert(std::upper_bound(list.begin(), list.end(), offence,
                                 [](const Offence &a, const Offence &b) { return a.at < b.at; }),
                offence);
    const int after = before + offence.points;
    QList<EscalationStep> reached;
    for (const EscalationStep &step : m_config.steps) {
        if (before < step.at && step.at <= after)
            reached.append(step);
    }
    return reached;
}

void EscalationLadder::reset(const QString &playerId, const QDateTime &at)
{
    QDateTime &resetAt = m_resetAt[playerId];
    if (!resetAt.isValid() || at > resetAt)
        resetAt = at;
    auto it = m_offences.find(playerId);
    if (it == m_offences.end())
        return;
    it->removeIf([&](const Offence &f) { return f.at <= resetAt; });
    if (it->isEmpty())
        m_offences.erase(it);
}

Standing EscalationLadder::standing(const QString &playerId, const QDateTime &now) const
{
    Standing s;
    const QDateTime cutOff = decayCutOff(now);
    for (const Offence &f : m_offences.value(playerId)) {
        if (f.at > cutOff) {
            s.points += f.points;
            s.offences.append(f);
        }
    }
    for (const EscalationStep &step : m_config.steps) {
        if (step.at <= s.points)
            s.lastReached = step;
        else if (!s.next)
            s.next = step;
    }
    return s;
}

void EscalationLadder::prune(const QDateTime &now)
{
    const QDateTime cutOff = decayCutOff(now);
    for (auto it = m_offences.begin(); it != m_offences.end();) {
        it->removeIf([&](const Offence &f) {
            if (f.at > cutOff)
                return false;
            m_seen.remove(f.id);
            return true;
        });
        it = it->isEmpty() ? m_offences.erase(it) : std::next(it);
    }
    for (auto it = m_resetAt.begin(); it != m_resetAt.end();)
        it = *it <= cutOff ? m_resetAt.erase(it) : std::next(it);
}

} // namespace mythos
