#include "protocol/subjects.h"

#include "util/ids.h"

namespace mythos {

bool scopeNeedsId(ScopeKind kind)
{
    return kind != ScopeKind::Everyone && kind != ScopeKind::Staff;
}

Subjects::Subjects(QString prefix) : m_prefix(prefix.toUtf8())
{
}

QByteArray Subjects::forChannel(const ChannelSpec &channel, const QString &scopeId) const
{
    QByteArray subject = m_prefix + '.' + channel.name.toUtf8();
    if (!scopeNeedsId(channel.scope))
        return subject;
    if (!isValidSubjectId(scopeId))
        return {};
    return subject + '.' + scopeId.toUtf8();
}

QByteArray Subjects::controlWildcard() const
{
    return m_prefix + ".control.>";
}

QByteArray Subjects::control(const char *topic) const
{
    return m_prefix + ".control." + topic;
}

QByteArray Subjects::presence(const QString &playerId)
{
    return presencePrefix() + playerId.toUtf8();
}

} // namespace mythos
