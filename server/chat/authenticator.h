#pragma once
// Turns an `auth` frame (token or guest name) or a Bearer header into an identity and its
// starting location. Anything doubtful is `unauthenticated`.

#include "chat/guestkeys.h"
#include "chat/identity.h"
#include "protocol/errorcode.h"

#include <QJsonObject>

#include <variant>

namespace mythos {

struct Config;
class Directory;
class KnownPlayers;

struct Authenticated
{
    Identity identity;
    Location location;
    QString guestKey; // guests: the key that continues this session (sent in `welcome`)
    bool freshGuest = false; // a guest without a valid key: nothing of an earlier one is theirs
};

using AuthOutcome = std::variant<Authenticated, ChatError>;

class Authenticator
{
public:
    Authenticator(const Config &config, const Directory *directory, const KnownPlayers *known);

    AuthOutcome fromFrame(const QJsonObject &frame) const;
    AuthOutcome fromToken(QByteArrayView token) const;
    // "Bearer <jwt>" from an Authorization header.
    AuthOutcome fromAuthorizationHeader(QByteArrayView header) const;

private:
    AuthOutcome identify(const QJsonObject &frame) const;
    AuthOutcome guest(const QString &name, const QJsonValue &key) const;
    // presence.default_room for players who arrive without one.
    AuthOutcome withDefaultRoom(AuthOutcome outcome) const;

    const Config &m_config;
    const Directory *m_directory;
    const KnownPlayers *m_known;
    GuestKeys m_guestKeys;
};

} // namespace mythos
