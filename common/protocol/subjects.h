#pragma once
// NATS subject names (PROTOCOL §5). Ids are validated before they get here; a subject is never
// built from an id that could contain `.`, `*`, `>` or white space.

#include "model/channel.h"

#include <QByteArray>
#include <QString>

namespace mythos {

class Subjects
{
public:
    explicit Subjects(QString prefix = QStringLiteral("chat"));

    // `{prefix}.{channel}` for everyone/staff scopes, else `{prefix}.{channel}.{scopeId}`.
    // Empty when the scope needs an id and scopeId is empty or invalid.
    QByteArray forChannel(const ChannelSpec &channel, const QString &scopeId) const;
    QByteArray controlWildcard() const; // {prefix}.control.>
    QByteArray control(const char *topic) const; // {prefix}.control.{topic}
    static QByteArray presence(const QString &playerId); // mud.presence.{id}
    static QByteArray presencePrefix() { return QByteArrayLiteral("mud.presence."); }
    const QByteArray &prefix() const { return m_prefix; }

private:
    QByteArray m_prefix;
};

// Whether a channel's scope needs an id (room, party, …) to form its subject.
bool scopeNeedsId(ScopeKind kind);

} // namespace mythos
