#pragma once
// Chat messages a foreign publisher (a MythosMUD game server sharing the bus during a
// migration) puts on our chat subjects: their payload read strictly and turned into our
// chat_message data, with an id minted from theirs so every instance and a later log import
// agree on it. docs/protocol.md lists exactly what is accepted.

#include <QJsonObject>
#include <QString>

#include <variant>

namespace mythos {

struct ChannelSpec;

inline constexpr auto kForeignOrigin = "mythosmud";

// A relayed message that no instance of ours published: no `origin`, and a message_id that is
// not in our minted form.
bool isForeignMessage(const QJsonObject &payload);

// `payload` as received on a subject of `channel` that carries `scopeId` (from the subject's
// template). The chat_message data (without target_name when the payload has none), or what is
// wrong with it.
std::variant<QJsonObject, QString> readForeignMessage(const QJsonObject &payload, const ChannelSpec &channel,
                                                      const QString &scopeId);

} // namespace mythos
