#pragma once
// Where a player is (room, subzone, zone, plane, party) and which of those ids a channel's
// scope selects. Room ids look like {plane}_{zone}_{subzone}_{room…}.

#include <QString>

#include <optional>

namespace mythos {

enum class ScopeKind { Room, Subzone, Zone, Plane, Everyone, Party, Player, Staff };

QString scopeKindName(ScopeKind kind);
std::optional<ScopeKind> parseScopeKind(QStringView name);

struct ScopeIds
{
    QString plane;
    QString zone;
    QString subzone;
    QString room;

    // Prefixes of a room id with at least four parts; a shorter id is its own everything.
    static ScopeIds fromRoomId(const QString &roomId);
    // Explicit ids (non-empty ones) win over those parsed from the room id.
    ScopeIds withOverrides(const QString &planeId, const QString &zoneId, const QString &subzoneId) const;
    bool operator==(const ScopeIds &) const = default;
};

struct Location
{
    ScopeIds scopes;
    QString party;

    // The id a channel of this scope kind targets for this player; empty when the player has
    // none (no room yet, no party) or the scope has no id (everyone, staff, player).
    QString idFor(ScopeKind kind) const;
    bool operator==(const Location &) const = default;
};

} // namespace mythos
