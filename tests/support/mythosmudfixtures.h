#pragma once
// The MythosMUD deployments in tests/data/mythosmud (`deployment`: every mapping, `broken`:
// bad files next to good ones) and the players their files name.

#include <QString>

namespace mythos::test::mythosmud {

inline const QString kAlice = QStringLiteral("11111111-1111-4111-8111-111111111111");
inline const QString kBob = QStringLiteral("22222222-2222-4222-8222-222222222222");
inline const QString kCarol = QStringLiteral("33333333-3333-4333-8333-333333333333");
inline const QString kDave = QStringLiteral("44444444-4444-4444-8444-444444444444"); // an admin there
inline const QString kMallory = QStringLiteral("66666666-6666-4666-8666-666666666666");
inline const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

// <source>/tests/data/mythosmud/<set>/<sub> (sub: "data" or "logs"); MYTHOS_SOURCE_DIR is set by ctest.
inline QString fixture(const QString &set, const QString &sub)
{
    return qEnvironmentVariable("MYTHOS_SOURCE_DIR") + QStringLiteral("/tests/data/mythosmud/%1/%2").arg(set, sub);
}

} // namespace mythos::test::mythosmud
