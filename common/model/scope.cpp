#include "model/scope.h"

#include <QStringList>

#include <array>

namespace mythos {

namespace {
struct KindName
{
    ScopeKind kind;
    const char16_t *name;
};
constexpr std::array<KindName, 8> kKindNames { {
        { ScopeKind::Room, u"room" },
        { ScopeKind::Subzone, u"subzone" },
        { ScopeKind::Zone, u"zone" },
        { ScopeKind::Plane, u"plane" },
        { ScopeKind::Everyone, u"everyone" },
        { ScopeKind::Party, u"party" },
        { ScopeKind::Player, u"player" },
        { ScopeKind::Staff, u"staff" },
} };
} // namespace

QString scopeKindName(ScopeKind kind)
{
    for (const auto &kn : kKindNames) {
        if (kn.kind == kind)
            return QString::fromUtf16(kn.name);
    }
    return {};
}

std::optional<ScopeKind> parseScopeKind(QStringView name)
{
    for (const auto &kn : kKindNames) {
        if (name == QStringView(kn.name))
            return kn.kind;
    }
    return std::nullopt;
}

ScopeIds ScopeIds::fromRoomId(const QString &roomId)
{
    ScopeIds ids;
    ids.room = roomId;
    const QStringList parts = roomId.split(QLatin1Char('_'));
    if (parts.size() < 4 || parts.contains(QString())) {
        ids.plane = ids.zone = ids.subzone = roomId;
        return ids;
    }
    ids.plane = parts[0];
    ids.zone = parts[0] + QLatin1Char('_') + parts[1];
    ids.subzone = ids.zone + QLatin1Char('_') + parts[2];
    return ids;
}

ScopeIds ScopeIds::withOverrides(const QString &planeId, const QString &zoneId, const QString &subzoneId) const
{
    ScopeIds ids = *this;
    if (!planeId.isEmpty())
        ids.plane = planeId;
    if (!zoneId.isEmpty())
        ids.zone = zoneId;
    if (!subzoneId.isEmpty())
        ids.subzone = subzoneId;
    return ids;
}

QString Location::idFor(ScopeKind kind) const
{
    switch (kind) {
    case ScopeKind::Room: return scopes.room;
    case ScopeKind::Subzone: return scopes.subzone;
    case ScopeKind::Zone: return scopes.zone;
    case ScopeKind::Plane: return scopes.plane;
    case ScopeKind::Party: return party;
    case ScopeKind::Everyone:
    case ScopeKind::Player:
    case ScopeKind::Staff: break;
    }
    return {};
}

} // namespace mythos
