#pragma once
// Player roles; each includes the rights of the ones before it.

#include <QString>

#include <optional>

namespace mythos {

enum class Role { Player = 0, Moderator = 1, Admin = 2 };

QString roleName(Role role);
std::optional<Role> parseRole(QStringView name);
inline bool hasRole(Role actual, Role required)
{
    return static_cast<int>(actual) >= static_cast<int>(required);
}

} // namespace mythos
