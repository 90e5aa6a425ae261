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
    // Guests: when this guest's session began. Whispers before it belong to an earlier guest
    // of the same name (chat/guestkeys.h) and are not theirs to read. 0 for token players.
    qint64 guestSinceMs = 0;
};

// Anything that can receive events for a player: a WebSocket session, a test probe.
class EventSink
{
public:
    virtual ~EventSink() = default;
    virtual void deliver(const EncodedEvent &event) = 0;
};

} // namespace mythos
