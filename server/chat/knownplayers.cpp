#include "chat/knownplayers.h"

#include "util/ids.h"

#include <QRegularExpression>

namespace mythos {

bool isGuestId(QStringView playerId)
{
    return playerId.startsWith(u"guest-");
}

bool isReservedGuestName(const QString &name)
{
    // Whole words only: "Modesty" and "Gmork" stay available, "Mod Bob" and "[GM]" do not.
    static const QRegularExpression staffWord(
            QStringLiteral("(^|[^\\p{L}\\p{N}])(system|server|console|admin|administrator|moderator|mod|staff|gm|"
                           "gamemaster|game master|support|official|owner|developer|everyone|all|nobody)"
                           "($|[^\\p{L}])"));
    const QString folded = foldName(name);
    return folded.contains(QLatin1Char('[')) || folded.contains(staffWord);
}

void KnownPlayers::remember(const QString &playerId, const QString &name, Role role)
{
    if (playerId.isEmpty())
        return;
    m_roleById.insert(playerId, role);
    rememberName(playerId, name);
}

void KnownPlayers::rememberName(const QString &playerId, const QString &name)
{
    if (playerId.isEmpty() || name.isEmpty() || isGuestId(playerId))
        return;
    m_idByName.insert(foldName(name), playerId);
}

QString KnownPlayers::idForName(const QString &name) const
{
    return m_idByName.value(foldName(name));
}

std::optional<Role> KnownPlayers::verifiedRole(const QString &playerId) const
{
    const auto it = m_roleById.constFind(playerId);
    if (it == m_roleById.cend())
        return std::nullopt;
    return it.value();
}

} // namespace mythos
