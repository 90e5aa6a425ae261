#pragma once
// HS256 JSON Web Tokens as issued by the game server: signing (for operators and tests) and
// strict verification — anything doubtful is refused, never partially trusted.

#include "model/role.h"
#include "util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace mythos {

struct TokenClaims
{
    QString playerId; // sub
    QString name;
    Role role = Role::Player;
    qint64 expiresAt = 0; // exp, seconds since epoch
    QString roomId;
    QString partyId;
};

namespace jwt {

QByteArray sign(const QJsonObject &payload, const QByteArray &secret);
QByteArray mint(const TokenClaims &claims, const QByteArray &secret);
// Checks signature (constant time), alg, exp against nowSecs, nbf (when present) against
// nowSecs with 30 s of leeway for clock skew, and every claim's format.
Result<TokenClaims> verify(QByteArrayView token, const QByteArray &secret, qint64 nowSecs);

} // namespace jwt
} // namespace mythos
