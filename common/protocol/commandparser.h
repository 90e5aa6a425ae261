#pragma once
// Parses a MUD command line (`/say hi`, `'hi`, `w Bob psst`, `mute Bob 10 spam`, …) into a
// request. Only syntax lives here; whether the player may do it is the pipeline's business.

#include <QSet>
#include <QString>

namespace mythos {

struct ParsedCommand
{
    enum class Kind {
        Chat, // channel + content (+ target for whisper)
        Reply, // content, to the last whisperer
        Mute, // target, minutes, reason
        Unmute, // target
        MuteChannel, // channel, minutes
        UnmuteChannel, // channel
        Mutes,
        Help,
        Error, // error holds the message for the player
    };
    Kind kind = Kind::Error;
    QString channel;
    QString target;
    QString content;
    int minutes = 0; // 0 = permanent
    QString reason;
    QString error;
};

// `channels` are the configured channel names: each is also a command word.
ParsedCommand parseCommand(const QString &line, const QSet<QString> &channels);
QString commandHelp();

} // namespace mythos
