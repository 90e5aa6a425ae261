// The JWT verifier on any token: whatever it accepts must carry claims that pass the checks
// it promises (valid ids, an expiry in the future), and it must never crash on garbage.
// A fuzzer cannot forge an HMAC, so half the inputs (first byte odd) are taken as the raw
// payload and signed with the right secret: that way the claim checks behind the signature
// see arbitrary JSON too.
#include "fuzzsupport.h"

#include "auth/jwt.h"
#include "util/ids.h"

#include <QMessageAuthenticationCode>

#include <cstdio>

using namespace mythos;

namespace {
const QByteArray kSecret = QByteArrayLiteral("fuzz-secret");
constexpr qint64 kNow = 1'800'000'000;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    QByteArray token(reinterpret_cast<const char *>(data + 1), static_cast<qsizetype>(size - 1));
    if (data[0] & 1) {
        constexpr auto b64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
        const QByteArray input =
                QByteArrayLiteral("{\"alg\":\"HS256\",\"typ\":\"JWT\"}").toBase64(b64) + '.' + token.toBase64(b64);
        token = input + '.'
                + QMessageAuthenticationCode::hash(input, kSecret, QCryptographicHash::Sha256).toBase64(b64);
    }
    const auto result = jwt::verify(token, kSecret, kNow);
    if (!result.ok()) {
        FUZZ_CHECK(!result.error().isEmpty());
        return 0;
    }
    const TokenClaims &c = result.value();
    FUZZ_CHECK(isValidPlayerId(c.playerId));
    FUZZ_CHECK(isValidDisplayName(c.name));
    FUZZ_CHECK(c.expiresAt > kNow);
    return 0;
}
