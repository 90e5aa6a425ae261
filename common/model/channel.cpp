#include "model/channel.h"

namespace mythos {

QList<ChannelSpec> defaultChannels()
{
    using S = ScopeKind;
    using R = Role;
    return {
        { QStringLiteral("say"), S::Room, R::Player, 15, 500 },
        { QStringLiteral("emote"), S::Room, R::Player, 15, 200 },
        { QStringLiteral("local"), S::Subzone, R::Player, 20, 500 },
        { QStringLiteral("zone"), S::Zone, R::Player, 10, 500 },
        { QStringLiteral("global"), S::Everyone, R::Player, 10, 1000 },
        { QStringLiteral("party"), S::Party, R::Player, 30, 1000 },
        { QStringLiteral("whisper"), S::Player, R::Player, 5, 1000 },
        { QStringLiteral("system"), S::Everyone, R::Admin, 100, 2000 },
        { QStringLiteral("admin"), S::Staff, R::Moderator, 50, 1000 },
    };
}

} // namespace mythos
