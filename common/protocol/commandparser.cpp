#include "protocol/commandparser.h"

#include <QHash>
#include <QRegularExpression>

#include <limits>

namespace mythos {

namespace {

using Kind = ParsedCommand::Kind;

const QHash<QString, QString> &channelAliases()
{
    static const QHash<QString, QString> aliases {
        { QStringLiteral("l"), QStringLiteral("local") },  { QStringLiteral("z"), QStringLiteral("zone") },
        { QStringLiteral("g"), QStringLiteral("global") }, { QStringLiteral("p"), QStringLiteral("party") },
        { QStringLiteral("me"), QStringLiteral("emote") },
    };
    return aliases;
}

// Splits "word rest of line" at the first run of white space.
std::pair<QString, QString> splitWord(const QString &text)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const auto match = space.match(text);
    if (!match.hasMatch())
        return { text, QString() };
    return { text.left(match.capturedStart()), text.mid(match.capturedEnd()) };
}

ParsedCommand error(const QString &message)
{
    ParsedCommand c;
    c.kind = Kind::Error;
    c.error = message;
    return c;
}

ParsedCommand chat(const QString &channel, const QString &content, const QString &target = {})
{
    ParsedCommand c;
    c.kind = Kind::Chat;
    c.channel = channel;
    c.content = content;
    c.target = target;
    return c;
}

// The duration after the name: minutes, or a number with m, h or d. "10m" used to be read as
// the first word of the reason, so a moderator meaning ten minutes muted for good.
bool takeMinutes(QString &rest, int &minutes)
{
    auto [word, tail] = splitWord(rest);
    qint64 unit = 1;
    if (word.size() > 1 && !word.back().isDigit()) {
        const QChar suffix = word.back().toLower();
        unit = suffix == QLatin1Char('m') ? 1 : suffix == QLatin1Char('h') ? 60 : suffix == QLatin1Char('d') ? 1440 : 0;
        word.chop(1);
    }
    bool isNumber = false;
    const qint64 value = word.toLongLong(&isNumber) * unit;
    if (!isNumber || unit == 0 || value > std::numeric_limits<int>::max() || value < std::numeric_limits<int>::min())
        return false;
    minutes = int(value);
    rest = tail;
    return true;
}

ParsedCommand withTarget(Kind kind, const QString &rest, const char *usage)
{
    auto [target, tail] = splitWord(rest);
    if (target.isEmpty())
        return error(QStringLiteral("usage: ") + QLatin1String(usage));
    ParsedCommand c;
    c.kind = kind;
    c.target = target;
    if (kind == Kind::Mute || kind == Kind::MuteChannel) {
        takeMinutes(tail, c.minutes);
        c.reason = tail.trimmed();
    }
    if (kind == Kind::MuteChannel || kind == Kind::UnmuteChannel) {
        c.channel = c.target;
        c.target.clear();
    }
    return c;
}

} // namespace

ParsedCommand parseCommand(const QString &line, const QSet<QString> &channels)
{
    const QString text = line.trimmed();
    if (text.startsWith(QLatin1Char('\'')))
        return chat(QStringLiteral("say"), text.mid(1).trimmed());
    const bool slash = text.startsWith(QLatin1Char('/'));
    const auto [first, rest] = splitWord(slash ? text.mid(1) : text);
    const QString word = first.toLower();

    if (word == QLatin1String("whisper") || word == QLatin1String("w") || word == QLatin1String("tell")) {
        auto [target, content] = splitWord(rest);
        if (target.isEmpty())
            return error(QStringLiteral("usage: whisper <name> <message>"));
        return chat(QStringLiteral("whisper"), content, target);
    }
    if (word == QLatin1String("reply") || word == QLatin1String("r")) {
        ParsedCommand c;
        c.kind = Kind::Reply;
        c.content = rest;
        return c;
    }
    if (word == QLatin1String("mute"))
        return withTarget(Kind::Mute, rest, "mute <name> [minutes] [reason]");
    if (word == QLatin1String("unmute"))
        return withTarget(Kind::Unmute, rest, "unmute <name>");
    if (word == QLatin1String("mutechannel"))
        return withTarget(Kind::MuteChannel, rest, "mutechannel <channel> [minutes]");
    if (word == QLatin1String("unmutechannel"))
        return withTarget(Kind::UnmuteChannel, rest, "unmutechannel <channel>");
    if (word == QLatin1String("mutes") || word == QLatin1String("help")) {
        ParsedCommand c;
        c.kind = word == QLatin1String("help") ? Kind::Help : Kind::Mutes;
        return c;
    }
    const QString channel = channelAliases().value(word, word);
    if (channels.contains(channel) && channel != QLatin1String("whisper"))
        return chat(channel, rest);
    if (slash)
        return error(QStringLiteral("unknown command '/%1' (try /help)").arg(first));
    return chat(QStringLiteral("say"), text);
}

QString commandHelp()
{
    return QStringLiteral("Commands (leading / optional):\n"
                          "  say <msg> or '<msg>      speak in the room\n"
                          "  emote|me <action>        act in the room\n"
                          "  local|l <msg>            talk to the subzone\n"
                          "  zone|z <msg>             talk to the zone\n"
                          "  global|g <msg>           talk to everyone\n"
                          "  party|p <msg>            talk to your party\n"
                          "  whisper|w|tell <name> <msg>, reply|r <msg>\n"
                          "  mute <name> [minutes, or 10m 2h 1d] [reason], unmute <name>\n"
                          "  mutechannel <channel> [minutes], unmutechannel <channel>, mutes\n"
                          "A line that starts with no command is said in the room.");
}

} // namespace mythos
