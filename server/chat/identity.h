#pragma once
// Who a connected client is, once authenticated, and where an event for them goes.

#include "model/role.h"
#include "model/scope.h"
#include "protocol/event.h"

#include <QString>

namespace mythos {

struct Identity
{
    QString id;
    QString name;
    Role role = Role::Player;
};

// Anything that can receive events for a player: a WebSocket session, a test probe.
class EventSink
{
public:
    virtual ~EventSink() = default;
    virtual void deliver(const EncodedEvent &event) = 0;
};

} // namespace mythos
