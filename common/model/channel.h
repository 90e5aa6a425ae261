#pragma once
// A chat channel as configured: who receives it (scope), who may send, how often and how long.

#include "model/role.h"
#include "model/scope.h"

#include <QList>
#include <QString>

namespace mythos {

struct ChannelSpec
{
    QString name;
    ScopeKind scope = ScopeKind::Everyone;
    Role sendRole = Role::Player;
    int rateLimit = 10; // messages per sliding 60 s window, per player
    int maxLength = 500; // characters after trimming
    QString filterLevel; // content-filter level; empty: chat.content_filtering.default_level

    // Staff channels are received by moderators and admins only.
    Role receiveRole() const { return scope == ScopeKind::Staff ? Role::Moderator : Role::Player; }
};

// The PROTOCOL §2 table.
QList<ChannelSpec> defaultChannels();

} // namespace mythos
