#include "auth/jwt.h"

#include "util/ids.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace mythos::jwt {

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray hs256(QByteArrayView signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret,
                                            QCryptographicHash::Sha256);
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
            part.toByteArray(),
            QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
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
    c.expiresAt = static_cast<qint64>(exp.toDouble());
    if (c.expiresAt <= nowSecs)
        return refuse("token expired");
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
            return Claims::failure(QStringLiteral("token '%1' is not a valid id")
                                           .arg(QLatin1String(key)));
        *out = v.toString();
    }
    return c;
}

} // namespace

QByteArray sign(const QJsonObject &payload, const QByteArray &secret)
{
    const QJsonObject header { { QLatin1String("alg"), QLatin1String("HS256") },
                               { QLatin1String("typ"), QLatin1String("JWT") } };
    const QByteArray input = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(kB64)
            + '.' + QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kB64);
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

    const auto signature = QByteArray::fromBase64Encoding(
            token.sliced(dot2 + 1).toByteArray(),
            QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || !constantTimeEquals(*signature, hs256(token.first(dot2), secret)))
        return refuse("token signature is invalid");

    const auto payload = decodeJsonPart(token.sliced(dot1 + 1, dot2 - dot1 - 1));
    if (!payload)
        return refuse("token payload is not a JSON object");
    return readClaims(*payload, nowSecs);
}

} // namespace mythos::jwt
