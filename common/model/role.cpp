#include "model/role.h"

namespace mythos {

QString roleName(Role role)
{
    switch (role) {
    case Role::Player: return QStringLiteral("player");
    case Role::Moderator: return QStringLiteral("moderator");
    case Role::Admin: return QStringLiteral("admin");
    }
    return QStringLiteral("player");
}

std::optional<Role> parseRole(QStringView name)
{
    for (Role r : { Role::Player, Role::Moderator, Role::Admin }) {
        if (name == roleName(r))
            return r;
    }
    return std::nullopt;
}

} // namespace mythos
