#include "chat/authenticator.h"

#include "auth/jwt.h"
#include "chat/directory.h"
#include "chat/knownplayers.h"
#include "config/config.h"
#include "protocol/wirenames.h"
#include "util/ids.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAuth, "mythos.server.auth")

namespace mythos {

namespace {
ChatError unauthenticated(const QString &why)
{
    return { ErrorCode::Unauthenticated, why };
}
} // namespace

Authenticator::Authenticator(const Config &config, const Directory *directory, const KnownPlayers *known)
    : m_config(config), m_directory(directory), m_known(known), m_guestKeys(config.auth.jwtSecret)
{
}

AuthOutcome Authenticator::fromFrame(const QJsonObject &frame) const
{
    return withDefaultRoom(identify(frame));
}

AuthOutcome Authenticator::withDefaultRoom(AuthOutcome outcome) const
{
    auto *ok = std::get_if<Authenticated>(&outcome);
    if (ok && ok->location.scopes.room.isEmpty() && !m_config.presence.defaultRoom.isEmpty())
        ok->location.scopes = ScopeIds::fromRoomId(m_config.presence.defaultRoom);
    return outcome;
}

AuthOutcome Authenticator::identify(const QJsonObject &frame) const
{
    // A token that is not a string is a malformed request, not a cue to try a guest login.
    const QJsonValue token = frame.value(wire::field::token);
    if (token.isString())
        return fromToken(token.toString().toUtf8());
    if (!token.isUndefined() && !token.isNull())
        return ChatError { ErrorCode::InvalidRequest, QStringLiteral("'token' must be a string") };
    const QJsonValue guestName = frame.value(wire::field::guestName);
    if (guestName.isString())
        return guest(guestName.toString(), frame.value(wire::field::guestKey));
    if (!guestName.isUndefined() && !guestName.isNull())
        return ChatError { ErrorCode::InvalidRequest, QStringLiteral("'guest_name' must be a string") };
    return unauthenticated(QStringLiteral("auth needs a 'token' (or 'guest_name' where guests are allowed)"));
}

AuthOutcome Authenticator::fromToken(QByteArrayView token) const
{
    const auto claims = jwt::verify(token, m_config.auth.jwtSecret, QDateTime::currentSecsSinceEpoch());
    if (!claims) {
        qCInfo(lcAuth) << "token refused:" << claims.error();
        return unauthenticated(claims.error());
    }
    Authenticated a;
    a.identity = { claims->playerId, claims->name, claims->role };
    if (!claims->roomId.isEmpty())
        a.location.scopes = ScopeIds::fromRoomId(claims->roomId);
    a.location.party = claims->partyId;
    return a;
}

AuthOutcome Authenticator::fromAuthorizationHeader(QByteArrayView header) const
{
    const QByteArrayView prefix("Bearer ");
    if (!header.startsWith(prefix))
        return unauthenticated(QStringLiteral("expected 'Authorization: Bearer <token>'"));
    return withDefaultRoom(fromToken(header.sliced(prefix.size()).trimmed()));
}

AuthOutcome Authenticator::guest(const QString &name, const QJsonValue &key) const
{
    if (!key.isUndefined() && !key.isNull() && !key.isString())
        return ChatError { ErrorCode::InvalidRequest, QStringLiteral("'guest_key' must be a string") };
    if (!m_config.auth.allowGuests)
        return unauthenticated(QStringLiteral("guests are not allowed on this server"));
    const QString trimmed = name.trimmed();
    if (!isValidDisplayName(trimmed))
        return unauthenticated(QStringLiteral("a guest name is 1-32 printable characters"));
    // Folded, so "ZED", "Zed" and a look-alike spelling are one guest (and one id).
    const QString id = QStringLiteral("guest-") + foldName(trimmed);
    if (!isValidPlayerId(id))
        return unauthenticated(QStringLiteral("a guest name may use letters, digits, '_' and '-' only"));
    if (isReservedGuestName(trimmed))
        return unauthenticated(QStringLiteral("the name '%1' is reserved").arg(trimmed));
    // Display names are unique among known players, online or not (PROTOCOL §1).
    if (m_known && !m_known->idForName(trimmed).isEmpty())
        return unauthenticated(QStringLiteral("the name '%1' belongs to a registered player").arg(trimmed));
    // One guest per id: a second "Zed" would otherwise read the first one's whispers.
    if (m_directory->resolve(id) || m_directory->nameTakenByOther(trimmed, id))
        return unauthenticated(QStringLiteral("the name '%1' is in use").arg(trimmed));
    Authenticated a;
    a.identity = { id, trimmed, Role::Player };
    // The key from this guest's welcome continues the session; anything else (none, another
    // guest's, forged) starts a new one, which inherits nothing of an earlier guest's.
    const std::optional<qint64> since = m_guestKeys.verify(id, key.toString());
    a.freshGuest = !since;
    a.identity.guestSinceMs = since.value_or(QDateTime::currentMSecsSinceEpoch());
    a.guestKey = m_guestKeys.issue(id, a.identity.guestSinceMs);
    return a;
}

} // namespace mythos
