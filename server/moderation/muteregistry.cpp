#include "moderation/muteregistry.h"

namespace mythos {

void MuteRegistry::upsert(const Mute &mute)
{
    remove(mute.id);
    m_byId.insert(mute.id, mute);
    m_idsByOwner[mute.ownerId].append(mute.id);
}

void MuteRegistry::remove(const QString &id)
{
    const auto it = m_byId.constFind(id);
    if (it == m_byId.cend())
        return;
    auto owner = m_idsByOwner.find(it->ownerId);
    if (owner != m_idsByOwner.end()) {
        owner->removeAll(id);
        if (owner->isEmpty())
            m_idsByOwner.erase(owner);
    }
    m_byId.erase(it);
}

std::optional<Mute> MuteRegistry::find(const QString &id) const
{
    const auto it = m_byId.constFind(id);
    return it == m_byId.cend() ? std::nullopt : std::optional<Mute>(*it);
}

bool MuteRegistry::hides(const QString &recipientId, const QString &senderId, const QString &channel,
                         const QDateTime &now) const
{
    const auto owner = m_idsByOwner.constFind(recipientId);
    if (owner == m_idsByOwner.cend())
        return false;
    for (const QString &id : *owner) {
        const Mute &m = m_byId[id];
        if (m.scope != Mute::Scope::Personal || !m.activeAt(now))
            continue;
        if ((m.targetType == QLatin1String("player") && m.targetId == senderId)
            || (m.targetType == QLatin1String("channel") && m.targetId == channel))
            return true;
    }
    return false;
}

std::optional<Mute> MuteRegistry::moderatorMute(Mute::Scope scope, const QString &playerId, const QString &channel,
                                                const QDateTime &now) const
{
    const auto owner = m_idsByOwner.constFind(playerId);
    if (owner == m_idsByOwner.cend())
        return std::nullopt;
    std::optional<Mute> found;
    for (const QString &id : *owner) {
        const Mute &m = m_byId[id];
        if (m.scope != scope || !m.activeAt(now) || (!m.channel.isEmpty() && m.channel != channel))
            continue;
        if (!found || !m.until.isValid() || (found->until.isValid() && m.until > found->until))
            found = m;
    }
    return found;
}

QList<Mute> MuteRegistry::personalMutesOf(const QString &ownerId, const QDateTime &now) const
{
    QList<Mute> out;
    for (const QString &id : m_idsByOwner.value(ownerId)) {
        const Mute &m = m_byId[id];
        if (m.scope == Mute::Scope::Personal && m.activeAt(now))
            out.append(m);
    }
    return out;
}

QList<Mute> MuteRegistry::mutesOfScope(Mute::Scope scope, const QDateTime &now) const
{
    QList<Mute> out;
    for (const Mute &m : m_byId) {
        if (m.scope == scope && m.activeAt(now))
            out.append(m);
    }
    std::sort(out.begin(), out.end(), [](const Mute &a, const Mute &b) { return a.createdAt > b.createdAt; });
    return out;
}

int MuteRegistry::sweep(const QDateTime &now)
{
    QStringList expired;
    for (const Mute &m : std::as_const(m_byId)) {
        if (!m.activeAt(now))
            expired.append(m.id);
    }
    for (const QString &id : expired)
        remove(id);
    return static_cast<int>(expired.size());
}

} // namespace mythos
