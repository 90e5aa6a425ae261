// HS256 token signing and strict verification (PROTOCOL §1): a valid token round-trips, and
// everything doubtful — forged, expired, wrong algorithm, malformed claims — is refused whole.
#include "auth/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace mythos;

namespace {

const QByteArray kSecret = QByteArrayLiteral("test-secret-do-not-use-in-production");
const QByteArray kOtherSecret = QByteArrayLiteral("some-other-secret");
constexpr qint64 kNow = 1'800'000'000; // a fixed "now" keeps every case deterministic
constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(kB64);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject hs256Header()
{
    return { { QStringLiteral("alg"), QStringLiteral("HS256") }, { QStringLiteral("typ"), QStringLiteral("JWT") } };
}

QJsonObject headerWithAlg(const QJsonValue &alg)
{
    QJsonObject h { { QStringLiteral("typ"), QStringLiteral("JWT") } };
    if (!alg.isUndefined())
        h.insert(QStringLiteral("alg"), alg);
    return h;
}

QByteArray mac(const QByteArray &input, const QByteArray &secret,
               QCryptographicHash::Algorithm algo = QCryptographicHash::Sha256)
{
    return QMessageAuthenticationCode::hash(input, secret, algo);
}

// A token assembled by hand from already-encoded parts, signed (HMAC) over "head.payload".
QByteArray handToken(const QByteArray &encodedHeader, const QByteArray &encodedPayload, const QByteArray &secret,
                     QCryptographicHash::Algorithm algo = QCryptographicHash::Sha256)
{
    const QByteArray input = encodedHeader + '.' + encodedPayload;
    return input + '.' + b64(mac(input, secret, algo));
}

QByteArray handToken(const QJsonObject &header, const QJsonObject &payload, const QByteArray &secret = kSecret)
{
    return handToken(b64(compact(header)), b64(compact(payload)), secret);
}

QJsonObject validPayload()
{
    return { { QStringLiteral("sub"), QStringLiteral("alice_01") },
             { QStringLiteral("name"), QStringLiteral("Alice") },
             { QStringLiteral("role"), QStringLiteral("player") },
             { QStringLiteral("exp"), static_cast<double>(kNow + 3600) } };
}

QJsonObject validPayloadWith(const QString &key, const QJsonValue &value)
{
    QJsonObject p = validPayload();
    if (value.isUndefined())
        p.remove(key);
    else
        p.insert(key, value);
    return p;
}

QList<QByteArray> parts(const QByteArray &token)
{
    return token.split('.');
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mintedTokenRoundTrips();
    void roles_data();
    void roles();
    void optionalClaimsDefault();
    void signProducesCompactHs256Jwt();
    void handBuiltTokenMatchesSign();

    void forgedSignature_data();
    void forgedSignature();
    void expiry_data();
    void expiry();
    void notBefore_data();
    void notBefore();
    void algorithm_data();
    void algorithm();
    void claims_data();
    void claims();
    void malformed_data();
    void malformed();
    void emptySecretRefusesEverything();
};

void TestJwt::mintedTokenRoundTrips()
{
    TokenClaims in;
    in.playerId = QStringLiteral("alice_01");
    in.name = QStringLiteral("Alice Liddell");
    in.role = Role::Moderator;
    in.expiresAt = kNow + 3600;
    in.roomId = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");
    in.partyId = QStringLiteral("party-7");

    const QByteArray token = jwt::mint(in, kSecret);
    const auto out = jwt::verify(token, kSecret, kNow);
    QVERIFY2(out.ok(), qPrintable(out.error()));
    QCOMPARE(out->playerId, in.playerId);
    QCOMPARE(out->name, in.name);
    QCOMPARE(out->role, in.role);
    QCOMPARE(out->expiresAt, in.expiresAt);
    QCOMPARE(out->roomId, in.roomId);
    QCOMPARE(out->partyId, in.partyId);

    // The claims are really in the payload under their protocol names.
    const QJsonObject payload =
            QJsonDocument::fromJson(QByteArray::fromBase64(parts(token).value(1), QByteArray::Base64UrlEncoding))
                    .object();
    QCOMPARE(payload.value(QStringLiteral("sub")).toString(), in.playerId);
    QCOMPARE(payload.value(QStringLiteral("name")).toString(), in.name);
    QCOMPARE(payload.value(QStringLiteral("role")).toString(), QStringLiteral("moderator"));
    QCOMPARE(payload.value(QStringLiteral("exp")).toDouble(), static_cast<double>(in.expiresAt));
    QCOMPARE(payload.value(QStringLiteral("room")).toString(), in.roomId);
    QCOMPARE(payload.value(QStringLiteral("party")).toString(), in.partyId);
}

void TestJwt::roles_data()
{
    QTest::addColumn<QString>("roleClaim");
    QTest::addColumn<Role>("expected");
    QTest::newRow("player") << QStringLiteral("player") << Role::Player;
    QTest::newRow("moderator") << QStringLiteral("moderator") << Role::Moderator;
    QTest::newRow("admin") << QStringLiteral("admin") << Role::Admin;
}

void TestJwt::roles()
{
    QFETCH(QString, roleClaim);
    QFETCH(Role, expected);
    const auto out =
            jwt::verify(jwt::sign(validPayloadWith(QStringLiteral("role"), roleClaim), kSecret), kSecret, kNow);
    QVERIFY2(out.ok(), qPrintable(out.error()));
    QCOMPARE(out->role, expected);
}

void TestJwt::optionalClaimsDefault()
{
    // No role, room or party: role defaults to player, room and party stay empty.
    QJsonObject payload = validPayload();
    payload.remove(QStringLiteral("role"));
    const auto out = jwt::verify(jwt::sign(payload, kSecret), kSecret, kNow);
    QVERIFY2(out.ok(), qPrintable(out.error()));
    QCOMPARE(out->playerId, QStringLiteral("alice_01"));
    QCOMPARE(out->name, QStringLiteral("Alice"));
    QCOMPARE(out->role, Role::Player);
    QCOMPARE(out->expiresAt, kNow + 3600);
    QVERIFY(out->roomId.isEmpty());
    QVERIFY(out->partyId.isEmpty());

    // mint() leaves empty room/party out of the payload rather than writing "".
    TokenClaims c;
    c.playerId = QStringLiteral("bob");
    c.name = QStringLiteral("Bob");
    c.expiresAt = kNow + 60;
    const QByteArray token = jwt::mint(c, kSecret);
    const QJsonObject minted =
            QJsonDocument::fromJson(QByteArray::fromBase64(parts(token).value(1), QByteArray::Base64UrlEncoding))
                    .object();
    QVERIFY(!minted.contains(QStringLiteral("room")));
    QVERIFY(!minted.contains(QStringLiteral("party")));
    const auto back = jwt::verify(token, kSecret, kNow);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back->role, Role::Player);
    QVERIFY(back->roomId.isEmpty());
    QVERIFY(back->partyId.isEmpty());
}

void TestJwt::signProducesCompactHs256Jwt()
{
    const QByteArray token = jwt::sign(validPayload(), kSecret);
    const QList<QByteArray> p = parts(token);
    QCOMPARE(p.size(), 3);
    for (const QByteArray &part : p) {
        QVERIFY(!part.isEmpty());
        // base64url without padding: no '+', '/', '='
        QVERIFY2(!part.contains('+') && !part.contains('/') && !part.contains('='), part.constData());
    }
    const QJsonObject header =
            QJsonDocument::fromJson(QByteArray::fromBase64(p[0], QByteArray::Base64UrlEncoding)).object();
    QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
    QCOMPARE(header.value(QStringLiteral("typ")).toString(), QStringLiteral("JWT"));
    // The signature is HMAC-SHA256 over "header.payload".
    QCOMPARE(QByteArray::fromBase64(p[2], QByteArray::Base64UrlEncoding), mac(p[0] + '.' + p[1], kSecret));
}

void TestJwt::handBuiltTokenMatchesSign()
{
    // The forgeries below are built with handToken(); make sure an honest hand-built token is
    // accepted, so that each refusal is caused by the one thing the case changes.
    const QByteArray token = handToken(hs256Header(), validPayload());
    const auto out = jwt::verify(token, kSecret, kNow);
    QVERIFY2(out.ok(), qPrintable(out.error()));
    QCOMPARE(out->playerId, QStringLiteral("alice_01"));
}

void TestJwt::forgedSignature_data()
{
    QTest::addColumn<QByteArray>("token");

    const QByteArray good = jwt::sign(validPayload(), kSecret);
    const QList<QByteArray> p = parts(good);
    QVERIFY(jwt::verify(good, kSecret, kNow).ok());

    // Payload altered after signing: player escalates to admin, signature kept.
    const QByteArray adminPayload = b64(compact(validPayloadWith(QStringLiteral("role"), QStringLiteral("admin"))));
    QTest::newRow("payload altered (role admin)") << (p[0] + '.' + adminPayload + '.' + p[2]);
    const QByteArray otherSub = b64(compact(validPayloadWith(QStringLiteral("sub"), QStringLiteral("bob"))));
    QTest::newRow("payload altered (sub)") << (p[0] + '.' + otherSub + '.' + p[2]);
    const QByteArray longer = b64(compact(validPayloadWith(QStringLiteral("exp"), double(kNow + 10'000'000))));
    QTest::newRow("payload altered (exp extended)") << (p[0] + '.' + longer + '.' + p[2]);

    QTest::newRow("signed with another secret") << jwt::sign(validPayload(), kOtherSecret);
    QTest::newRow("hand-signed with another secret") << handToken(hs256Header(), validPayload(), kOtherSecret);
    QTest::newRow("signed with a prefix of the secret") << jwt::sign(validPayload(), kSecret.left(kSecret.size() - 1));

    QByteArray sig = QByteArray::fromBase64(p[2], QByteArray::Base64UrlEncoding);
    sig[0] = char(sig[0] ^ 0x01);
    QTest::newRow("signature bit flipped") << (p[0] + '.' + p[1] + '.' + b64(sig));
    QTest::newRow("signature truncated") << (p[0] + '.' + p[1] + '.' + b64(sig.left(16)));
    QTest::newRow("signature empty") << (p[0] + '.' + p[1] + '.');
    QTest::newRow("signature of header only") << (p[0] + '.' + p[1] + '.' + b64(mac(p[0], kSecret)));
    QTest::newRow("raw (unencoded) signature") << (p[0] + '.' + p[1] + '.' + mac(p[0] + '.' + p[1], kSecret).toHex());
}

void TestJwt::forgedSignature()
{
    QFETCH(QByteArray, token);
    const auto out = jwt::verify(token, kSecret, kNow);
    QVERIFY2(!out.ok(), "a forged token was accepted");
    QVERIFY2(out.error().contains(QStringLiteral("signature")), qPrintable(out.error()));
}

void TestJwt::expiry_data()
{
    QTest::addColumn<double>("exp");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("one hour ago") << double(kNow - 3600) << false;
    QTest::newRow("one second ago") << double(kNow - 1) << false;
    QTest::newRow("exactly now") << double(kNow) << false;
    QTest::newRow("zero") << 0.0 << false;
    QTest::newRow("negative") << -1.0 << false;
    QTest::newRow("-1e300 (beyond qint64)") << -1e300 << false;
    QTest::newRow("one second ahead") << double(kNow + 1) << true;
    QTest::newRow("one day ahead") << double(kNow + 86400) << true;
}

void TestJwt::expiry()
{
    QFETCH(double, exp);
    QFETCH(bool, accepted);
    const auto out = jwt::verify(jwt::sign(validPayloadWith(QStringLiteral("exp"), exp), kSecret), kSecret, kNow);
    QCOMPARE(out.ok(), accepted);
    if (accepted)
        QCOMPARE(out->expiresAt, static_cast<qint64>(exp));
    else
        QVERIFY2(out.error().contains(QStringLiteral("expired")), qPrintable(out.error()));
}

void TestJwt::notBefore_data()
{
    QTest::addColumn<QJsonValue>("nbf");
    QTest::addColumn<QString>("refusal"); // empty: accepted; else a part of the error message

    const QString future = QStringLiteral("not valid yet");
    const QString notNumeric = QStringLiteral("'nbf' is not numeric");
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << QString();
    QTest::newRow("one hour ago") << QJsonValue(double(kNow - 3600)) << QString();
    QTest::newRow("exactly now") << QJsonValue(double(kNow)) << QString();
    // The game server's clock may run a little ahead of ours.
    QTest::newRow("ten seconds ahead (within leeway)") << QJsonValue(double(kNow + 10)) << QString();
    QTest::newRow("thirty seconds ahead (edge of leeway)") << QJsonValue(double(kNow + 30)) << QString();
    QTest::newRow("thirty-one seconds ahead") << QJsonValue(double(kNow + 31)) << future;
    QTest::newRow("ten minutes ahead") << QJsonValue(double(kNow + 600)) << future;
    QTest::newRow("far future (1e300)") << QJsonValue(1e300) << future;
    QTest::newRow("string") << QJsonValue(QString::number(kNow)) << notNumeric;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << notNumeric;
    QTest::newRow("bool") << QJsonValue(true) << notNumeric;
    QTest::newRow("array") << QJsonValue(QJsonArray { double(kNow) }) << notNumeric;
}

void TestJwt::notBefore()
{
    QFETCH(QJsonValue, nbf);
    QFETCH(QString, refusal);
    const auto out = jwt::verify(jwt::sign(validPayloadWith(QStringLiteral("nbf"), nbf), kSecret), kSecret, kNow);
    if (refusal.isEmpty()) {
        QVERIFY2(out.ok(), qPrintable(out.error()));
    } else {
        QVERIFY2(!out.ok(), "a token that is not valid yet was accepted");
        QVERIFY2(out.error().contains(refusal), qPrintable(out.error()));
    }
}

void TestJwt::algorithm_data()
{
    QTest::addColumn<QByteArray>("token");
    const QByteArray payload = b64(compact(validPayload()));
    auto head = [](const QJsonValue &alg) { return b64(compact(headerWithAlg(alg))); };

    // The classic: "alg":"none" and no signature at all.
    QTest::newRow("none, empty signature") << (head(QStringLiteral("none")) + '.' + payload + '.');
    QTest::newRow("None, empty signature") << (head(QStringLiteral("None")) + '.' + payload + '.');
    // "none" but carrying a perfectly valid HS256 MAC: the header alone must refuse it.
    QTest::newRow("none, valid HS256 mac") << handToken(head(QStringLiteral("none")), payload, kSecret);
    QTest::newRow("HS512 with HS512 mac")
            << handToken(head(QStringLiteral("HS512")), payload, kSecret, QCryptographicHash::Sha512);
    QTest::newRow("HS384 with HS384 mac")
            << handToken(head(QStringLiteral("HS384")), payload, kSecret, QCryptographicHash::Sha384);
    QTest::newRow("RS256 with HS256 mac (key confusion)") << handToken(head(QStringLiteral("RS256")), payload, kSecret);
    QTest::newRow("lowercase hs256") << handToken(head(QStringLiteral("hs256")), payload, kSecret);
    QTest::newRow("alg missing") << handToken(head(QJsonValue::Undefined), payload, kSecret);
    QTest::newRow("alg null") << handToken(head(QJsonValue::Null), payload, kSecret);
    QTest::newRow("alg number") << handToken(head(256), payload, kSecret);
    QTest::newRow("alg array") << handToken(head(QJsonArray { QStringLiteral("HS256") }), payload, kSecret);
    QTest::newRow("header is a JSON array") << handToken(b64(QByteArrayLiteral("[\"HS256\"]")), payload, kSecret);
}

void TestJwt::algorithm()
{
    QFETCH(QByteArray, token);
    const auto out = jwt::verify(token, kSecret, kNow);
    QVERIFY2(!out.ok(), "a token with a non-HS256 header was accepted");
    QVERIFY2(out.error().contains(QStringLiteral("HS256")), qPrintable(out.error()));
}

void TestJwt::claims_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<QString>("refusal"); // empty: accepted; else a part of the error message

    const QString sub = QStringLiteral("sub");
    const QString name = QStringLiteral("name");
    const QString exp = QStringLiteral("exp");
    const QString role = QStringLiteral("role");
    const QString room = QStringLiteral("room");
    const QString party = QStringLiteral("party");
    const QJsonValue absent = QJsonValue::Undefined;

    QTest::newRow("valid") << validPayload() << QString();

    // exp
    QTest::newRow("exp missing") << validPayloadWith(exp, absent) << exp;
    QTest::newRow("exp as string") << validPayloadWith(exp, QString::number(kNow + 3600)) << exp;
    QTest::newRow("exp null") << validPayloadWith(exp, QJsonValue::Null) << exp;
    QTest::newRow("exp bool") << validPayloadWith(exp, true) << exp;
    QTest::newRow("exp object") << validPayloadWith(exp, QJsonObject { { exp, double(kNow + 3600) } }) << exp;
    // Found by fuzzing: converting 1e300 to qint64 was undefined behaviour (UBSan), and in a
    // normal build came out as a large negative number ("expired" by accident).
    QTest::newRow("exp 1e300 (out of range)") << validPayloadWith(exp, 1e300) << exp;
    QTest::newRow("exp after year 9999") << validPayloadWith(exp, 253402300800.0) << exp;

    // sub: a player id, [A-Za-z0-9_-]{1,64}
    QTest::newRow("sub 64 chars") << validPayloadWith(sub, QString(64, QLatin1Char('a'))) << QString();
    QTest::newRow("sub with - and _") << validPayloadWith(sub, QStringLiteral("A-z_09")) << QString();
    QTest::newRow("sub with .") << validPayloadWith(sub, QStringLiteral("alice.admin")) << sub;
    QTest::newRow("sub with *") << validPayloadWith(sub, QStringLiteral("alice*")) << sub;
    QTest::newRow("sub with >") << validPayloadWith(sub, QStringLiteral("alice>")) << sub;
    QTest::newRow("sub with space") << validPayloadWith(sub, QStringLiteral("alice smith")) << sub;
    QTest::newRow("sub 65 chars") << validPayloadWith(sub, QString(65, QLatin1Char('a'))) << sub;
    QTest::newRow("sub empty") << validPayloadWith(sub, QString()) << sub;
    QTest::newRow("sub missing") << validPayloadWith(sub, absent) << sub;
    QTest::newRow("sub number") << validPayloadWith(sub, 42) << sub;
    QTest::newRow("sub unicode") << validPayloadWith(sub, QStringLiteral("al\u00efce")) << sub;

    // name: 1–32 printable characters
    QTest::newRow("name 32 chars") << validPayloadWith(name, QString(32, QLatin1Char('N'))) << QString();
    QTest::newRow("name with inner space") << validPayloadWith(name, QStringLiteral("Mary Jane")) << QString();
    QTest::newRow("name empty") << validPayloadWith(name, QString()) << name;
    QTest::newRow("name 33 chars") << validPayloadWith(name, QString(33, QLatin1Char('N'))) << name;
    QTest::newRow("name with BEL") << validPayloadWith(name, QStringLiteral("Al\u0007ice")) << name;
    QTest::newRow("name with newline") << validPayloadWith(name, QStringLiteral("Alice\nAdmin")) << name;
    QTest::newRow("name with NUL") << validPayloadWith(
            name, QString(QStringLiteral("Al") + QChar(u'\0') + QStringLiteral("ice")))
                                   << name;
    QTest::newRow("name leading space") << validPayloadWith(name, QStringLiteral(" Alice")) << name;
    QTest::newRow("name missing") << validPayloadWith(name, absent) << name;
    QTest::newRow("name number") << validPayloadWith(name, 7) << name;

    // role
    QTest::newRow("role root") << validPayloadWith(role, QStringLiteral("root")) << role;
    QTest::newRow("role Admin (case)") << validPayloadWith(role, QStringLiteral("Admin")) << role;
    QTest::newRow("role empty") << validPayloadWith(role, QString()) << role;
    QTest::newRow("role number") << validPayloadWith(role, 2) << role;
    QTest::newRow("role array") << validPayloadWith(role, QJsonArray { QStringLiteral("admin") }) << role;

    // room / party: optional, but a present one must be a subject-safe id
    QTest::newRow("room valid") << validPayloadWith(room, QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001"))
                                << QString();
    QTest::newRow("room null") << validPayloadWith(room, QJsonValue::Null) << QString();
    QTest::newRow("room a.b") << validPayloadWith(room, QStringLiteral("a.b")) << room;
    QTest::newRow("room wildcard") << validPayloadWith(room, QStringLiteral(">")) << room;
    QTest::newRow("room with space") << validPayloadWith(room, QStringLiteral("a b")) << room;
    QTest::newRow("room empty") << validPayloadWith(room, QString()) << room;
    QTest::newRow("room number") << validPayloadWith(room, 5) << room;
    QTest::newRow("room 129 chars") << validPayloadWith(room, QString(129, QLatin1Char('r'))) << room;
    QTest::newRow("party valid") << validPayloadWith(party, QStringLiteral("party-7")) << QString();
    QTest::newRow("party a.b") << validPayloadWith(party, QStringLiteral("a.b")) << party;
    QTest::newRow("party star") << validPayloadWith(party, QStringLiteral("*")) << party;
}

void TestJwt::claims()
{
    QFETCH(QJsonObject, payload);
    QFETCH(QString, refusal);

    // Correctly signed, so whatever happens is down to the claims.
    const auto out = jwt::verify(jwt::sign(payload, kSecret), kSecret, kNow);
    if (refusal.isEmpty()) {
        QVERIFY2(out.ok(), qPrintable(out.error()));
        QCOMPARE(out->playerId, payload.value(QStringLiteral("sub")).toString());
        QCOMPARE(out->name, payload.value(QStringLiteral("name")).toString());
        QCOMPARE(out->roomId, payload.value(QStringLiteral("room")).toString());
        QCOMPARE(out->partyId, payload.value(QStringLiteral("party")).toString());
    } else {
        QVERIFY2(!out.ok(), "a token with a bad claim was accepted");
        QVERIFY2(out.error().contains(QLatin1Char('\'') + refusal + QLatin1Char('\'')), qPrintable(out.error()));
    }
}

void TestJwt::malformed_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("refusal");

    const QByteArray good = jwt::sign(validPayload(), kSecret);
    const QList<QByteArray> p = parts(good);
    const QString notJwt = QStringLiteral("not a JWT");

    QTest::newRow("empty") << QByteArray() << notJwt;
    QTest::newRow("one part") << p[0] << notJwt;
    QTest::newRow("two parts") << (p[0] + '.' + p[1]) << notJwt;
    QTest::newRow("four parts") << (good + '.' + p[2]) << notJwt;
    QTest::newRow("trailing dot") << (good + '.') << notJwt;
    QTest::newRow("empty header") << ('.' + p[1] + '.' + p[2]) << notJwt;
    QTest::newRow("empty payload") << (p[0] + ".." + p[2]) << notJwt;
    QTest::newRow("only dots") << QByteArrayLiteral("..") << notJwt;

    QTest::newRow("garbage everywhere") << QByteArrayLiteral("!!!.@@@.###") << QStringLiteral("HS256");
    QTest::newRow("header not base64") << (QByteArrayLiteral("e30*") + '.' + p[1] + '.' + p[2])
                                       << QStringLiteral("HS256");
    QTest::newRow("header base64 but not JSON") << (b64("hello") + '.' + p[1] + '.' + p[2]) << QStringLiteral("HS256");
    QTest::newRow("signature with non-url base64 chars")
            << (p[0] + '.' + p[1] + ".ab+/cd") << QStringLiteral("signature");
    QTest::newRow("signature garbage") << (p[0] + '.' + p[1] + ".!!!!") << QStringLiteral("signature");

    // Correctly signed by the holder of the secret, but the payload itself is unusable.
    QTest::newRow("payload not base64, validly signed")
            << handToken(p[0], QByteArrayLiteral("%%%%"), kSecret) << QStringLiteral("payload");
    QTest::newRow("payload not JSON, validly signed")
            << handToken(p[0], b64("hello"), kSecret) << QStringLiteral("payload");
    QTest::newRow("payload JSON array, validly signed")
            << handToken(p[0], b64("[1,2,3]"), kSecret) << QStringLiteral("payload");
    QTest::newRow("payload JSON string, validly signed")
            << handToken(p[0], b64("\"sub\""), kSecret) << QStringLiteral("payload");
    QTest::newRow("payload truncated JSON, validly signed")
            << handToken(p[0], b64(compact(validPayload()).chopped(1)), kSecret) << QStringLiteral("payload");
}

void TestJwt::malformed()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, refusal);
    const auto out = jwt::verify(token, kSecret, kNow);
    QVERIFY2(!out.ok(), "a malformed token was accepted");
    QVERIFY2(out.error().contains(refusal), qPrintable(out.error()));
}

void TestJwt::emptySecretRefusesEverything()
{
    // A token signed with the empty key is a valid HMAC; it must still be refused, as must a
    // token signed with a real key, when the server has no secret.
    const QByteArray signedWithEmpty = jwt::sign(validPayload(), QByteArray());
    const QByteArray signedWithReal = jwt::sign(validPayload(), kSecret);
    for (const QByteArray &token : { signedWithEmpty, signedWithReal,
                                     handToken(b64(compact(headerWithAlg(QStringLiteral("none")))),
                                               b64(compact(validPayload())), QByteArray()) }) {
        const auto out = jwt::verify(token, QByteArray(), kNow);
        QVERIFY2(!out.ok(), token.constData());
        QVERIFY2(out.error().contains(QStringLiteral("secret")), qPrintable(out.error()));
    }
    // The same token verifies with the real secret, so the refusal above is about the secret.
    QVERIFY(jwt::verify(signedWithReal, kSecret, kNow).ok());
}

QTEST_APPLESS_MAIN(TestJwt)
#include "tst_jwt.moc"
