#pragma once
// Applies a presence change — from the game server on mud.presence.{id} or a client `move` /
// `party` — to a location. Keys that are absent leave that part unchanged; null clears it.
// Every id is validated before it can reach a subject.

#include "model/scope.h"
#include "protocol/errorcode.h"

#include <QJsonObject>

#include <variant>

namespace mythos {

std::variant<Location, ChatError> applyPresence(const Location &current, const QJsonObject &update);

} // namespace mythos
