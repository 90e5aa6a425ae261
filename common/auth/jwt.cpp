#include "auth/jwt.h"

#include "util/ids.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace mythos::jwt {

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

// How far the game server's clock may run ahead of ours before a fresh token's `nbf` refuses
// it (RFC 7519 §4.1.5 allows "some small leeway"). `exp` gets none: an expired token is
// refused at once, so the leeway never lengthens a token's life.
constexpr qint64 kNotBeforeLeewaySecs = 30;
// 9999-12-31T23:59:59Z: no real token lives longer, and every later value is refused.
constexpr qint64 kLatestExpirySecs = 253402300799;

QByteArray hs256(QByteArrayView signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret, QCryptographicHash::Sha256);
}

// Runs in time independent of where the inputs differ, so signatures cannot be guessed
// byte by byte.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

std::optional<QJsonObject> decodeJsonPart(QByteArrayView part)
{
    const auto decoded = QByteArray::fromBase64Encoding(
            part.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    QJsonParseError err;
    const auto doc = QJsonDocument::fromJson(*decoded, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

using Claims = Result<TokenClaims>;

Claims refuse(const char *why)
{
    return Claims::failure(QString::fromLatin1(why));
}

Claims readClaims(const QJsonObject &p, qint64 nowSecs)
{
    TokenClaims c;
    c.playerId = p.value(QLatin1String("sub")).toString();
    if (!isValidPlayerId(c.playerId))
        return refuse("token 'sub' is missing or not a valid player id");
    c.name = p.value(QLatin1String("name")).toString();
    if (!isValidDisplayName(c.name))
        return refuse("token 'name' is missing or not a valid display name");
    const QJsonValue exp = p.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return refuse("token has no numeric 'exp'");
    // Checked as a double before the conversion: a huge `exp` (1e300) does not fit a qint64, and
    // converting it would be undefined behaviour (found by fuzzing).
    if (exp.toDouble() > static_cast<double>(kLatestExpirySecs))
        return refuse("token 'exp' is out of range (after the year 9999)");
    if (exp.toDouble() <= static_cast<double>(nowSecs))
        return refuse("token expired");
    c.expiresAt = static_cast<qint64>(exp.toDouble());
    if (c.expiresAt <= nowSecs)
        return refuse("token expired"); // a fraction of a second past now
    const QJsonValue nbf = p.value(QLatin1String("nbf"));
    if (!nbf.isUndefined()) {
        if (!nbf.isDouble())
            return refuse("token 'nbf' is not numeric");
        // Compared as doubles: a huge `nbf` must not overflow a conversion to qint64.
        if (nbf.toDouble() > static_cast<double>(nowSecs + kNotBeforeLeewaySecs))
            return refuse("token is not valid yet: its 'nbf' lies in the future");
    }
    const QJsonValue role = p.value(QLatin1String("role"));
    if (!role.isUndefined()) {
        const auto parsed = parseRole(role.toString());
        if (!role.isString() || !parsed)
            return refuse("token 'role' is not player, moderator or admin");
        c.role = *parsed;
    }
    for (auto [key, out] : { std::pair { "room", &c.roomId }, std::pair { "party", &c.partyId } }) {
        const QJsonValue v = p.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            continue;
        if (!v.isString() || !isValidSubjectId(v.toString()))
            return Claims::failure(QStringLiteral("token '%1' is not a valid id").arg(QLatin1String(key)));
        *out = v.toString();
    }
    return c;
}

} // namespace

QByteArray sign(const QJsonObject &payload, const QByteArray &secret)
{
    const QJsonObject header { { QLatin1String("alg"), QLatin1String("HS256") },
                               { QLatin1String("typ"), QLatin1String("JWT") } };
    const QByteArray input = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(kB64) + '.'
            + QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kB64);
    return input + '.' + hs256(input, secret).toBase64(kB64);
}

QByteArray mint(const TokenClaims &claims, const QByteArray &secret)
{
    QJsonObject payload { { QLatin1String("sub"), claims.playerId },
                          { QLatin1String("name"), claims.name },
                          { QLatin1String("role"), roleName(claims.role) },
                          { QLatin1String("exp"), static_cast<double>(claims.expiresAt) } };
    if (!claims.roomId.isEmpty())
        payload.insert(QLatin1String("room"), claims.roomId);
    if (!claims.partyId.isEmpty())
        payload.insert(QLatin1String("party"), claims.partyId);
    return sign(payload, secret);
}

Result<TokenClaims> verify(QByteArrayView token, const QByteArray &secret, qint64 nowSecs)
{
    if (secret.isEmpty())
        return refuse("the server has no JWT secret configured");
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 <= dot1 + 1 || token.indexOf('.', dot2 + 1) >= 0)
        return refuse("token is not a JWT");

    const auto header = decodeJsonPart(token.first(dot1));
    if (!header || header->value(QLatin1String("alg")).toString() != QLatin1String("HS256"))
        return refuse("token algorithm must be HS256");

    const auto signature =
            QByteArray::fromBase64Encoding(token.sliced(dot2 + 1).toByteArray(),
                                           QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || !constantTimeEquals(*signature, hs256(token.first(dot2), secret)))
        return refuse("token signature is invalid");

    const auto payload = decodeJsonPart(token.sliced(dot1 + 1, dot2 - dot1 - 1));
    if (!payload)
        return refuse("token payload is not a JSON object");
    return readClaims(*payload, nowSecs);
}

} // namespace mythos::jwt
