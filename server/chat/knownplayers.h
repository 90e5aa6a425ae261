#pragma once
// Players this instance has reason to believe in, by folded name and id. It guards two
// identity rules: a guest cannot take the name of a known (token) player, online or not
// (PROTOCOL §1), and a roster relayed over the bus cannot raise a role this instance verified.
//
// Sources, most trusted first: token logins on this instance (signed by the game server),
// the players table read at startup, and names (never roles) from other instances' rosters.
// Memory: one entry per token player ever recorded (~100 bytes each; 100,000 players ≈ 10 MB).

#include "model/role.h"

#include <QHash>
#include <QString>

#include <optional>

namespace mythos {

// Guests are `guest-<folded name>` (PROTOCOL §1).
bool isGuestId(QStringView playerId);
// Names a guest may not take: the server's own voices and names that look like staff
// ("System", "Admin", "[GM] Bob", "moderator_2" …), compared folded.
bool isReservedGuestName(const QString &name);

class KnownPlayers
{
public:
    // A login this instance verified, or the players table: name and role are both trusted.
    void remember(const QString &playerId, const QString &name, Role role);
    // A name seen in another instance's roster: it reserves the name, it grants no role.
    void rememberName(const QString &playerId, const QString &name);

    // The id of the token player known by this name (compared folded); empty when none.
    QString idForName(const QString &name) const;
    // The role this instance verified for the player (a token here, the players table), if any.
    std::optional<Role> verifiedRole(const QString &playerId) const;
    int size() const { return static_cast<int>(m_idByName.size()); }

private:
    QHash<QString, QString> m_idByName; // foldName(name) -> id, token players only
    QHash<QString, Role> m_roleById;
};

} // namespace mythos
