#pragma once
// MythosMUD's mute files, as its UserManager writes them: user_management/mutes_<player uuid>.json
// holding the mutes that player set (player_mutes, channel_mutes), the global mutes they
// applied to others (global_mutes) and whether they are an admin. Read and validated only.

#include "import/sourcefields.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <variant>

namespace mythos {

// One entry of player_mutes, global_mutes (key: the target's id) or channel_mutes (key: the channel).
struct SourceMute
{
    QString key;
    QString targetName;
    QString mutedBy;
    QString mutedByName;
    QString reason;
    QDateTime mutedAt;
    QDateTime expiresAt; // invalid: permanent
    int line = 0; // where the entry is in its file
};

struct MuteFile
{
    QString name; // file name, for the report
    QString playerId;
    bool isAdmin = false;
    QList<SourceMute> playerMutes;
    QList<SourceMute> channelMutes;
    QList<SourceMute> globalMutes;
};

// mutes_<uuid>.json: the uuid. Empty for any other name (old files were named by player name).
QString muteFilePlayerId(const QString &fileName);
bool isMuteFileName(const QString &fileName); // mutes_*.json

std::variant<MuteFile, SourceProblem> readMuteFile(const QString &fileName, const QByteArray &bytes);

} // namespace mythos
