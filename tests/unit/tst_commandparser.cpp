// MUD command lines (PROTOCOL §3 "Text commands"): every command word and alias, with and
// without the leading '/', case-insensitive; a line with no command is said on `say`.
#include "model/channel.h"
#include "protocol/commandparser.h"

#include <QTest>

using namespace mythos;
using Kind = ParsedCommand::Kind;

namespace {

QStringList defaultChannelNames()
{
    QStringList names;
    for (const ChannelSpec &c : defaultChannels())
        names.append(c.name);
    return names;
}

QSet<QString> toSet(const QStringList &names)
{
    return QSet<QString>(names.begin(), names.end());
}

} // namespace

class TestCommandParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void errors_data();
    void errors();
    void helpMentionsEveryCommand();
};

void TestCommandParser::parse_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("channels");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("content");
    QTest::addColumn<int>("minutes");
    QTest::addColumn<QString>("reason");

    const QStringList defaults = defaultChannelNames();
    const QString none;
    const QString hi = QStringLiteral("hi");
    const QString say = QStringLiteral("say");

    auto chatRow = [&](const char *name, const QString &line, const QString &channel, const QString &content,
                       const QStringList &channels) {
        QTest::newRow(name) << line << channels << Kind::Chat << channel << none << content << 0 << none;
    };

    // say and its shorthand
    chatRow("say hi", QStringLiteral("say hi"), say, hi, defaults);
    chatRow("'hi", QStringLiteral("'hi"), say, hi, defaults);
    chatRow("' hi (space after quote)", QStringLiteral("' hi there "), say, QStringLiteral("hi there"), defaults);
    chatRow("/say hi", QStringLiteral("/say hi"), say, hi, defaults);
    chatRow("SAY hi", QStringLiteral("SAY hi"), say, hi, defaults);
    chatRow("/SaY hi", QStringLiteral("/SaY hi"), say, hi, defaults);
    chatRow("padded say", QStringLiteral("   say    hi there  "), say, QStringLiteral("hi there"), defaults);
    chatRow("say keeps inner spacing and case", QStringLiteral("say Hello  THERE"), say, QStringLiteral("Hello  THERE"),
            defaults);
    chatRow("say without text", QStringLiteral("say"), say, none, defaults);

    // channel words and aliases
    chatRow("l hi", QStringLiteral("l hi"), QStringLiteral("local"), hi, defaults);
    chatRow("local hi", QStringLiteral("local hi"), QStringLiteral("local"), hi, defaults);
    chatRow("/L hi", QStringLiteral("/L hi"), QStringLiteral("local"), hi, defaults);
    chatRow("z hi", QStringLiteral("z hi"), QStringLiteral("zone"), hi, defaults);
    chatRow("zone hi", QStringLiteral("zone hi"), QStringLiteral("zone"), hi, defaults);
    chatRow("z alone", QStringLiteral("z"), QStringLiteral("zone"), none, defaults);
    chatRow("g hi", QStringLiteral("g hi"), QStringLiteral("global"), hi, defaults);
    chatRow("global hi", QStringLiteral("/global hi"), QStringLiteral("global"), hi, defaults);
    chatRow("p hi", QStringLiteral("p hi"), QStringLiteral("party"), hi, defaults);
    chatRow("party hi", QStringLiteral("party hi"), QStringLiteral("party"), hi, defaults);
    chatRow("me waves", QStringLiteral("me waves"), QStringLiteral("emote"), QStringLiteral("waves"), defaults);
    chatRow("emote waves", QStringLiteral("emote waves"), QStringLiteral("emote"), QStringLiteral("waves"), defaults);
    chatRow("/ME waves", QStringLiteral("/ME waves happily"), QStringLiteral("emote"), QStringLiteral("waves happily"),
            defaults);
    chatRow("system hi", QStringLiteral("system hi"), QStringLiteral("system"), hi, defaults);
    chatRow("admin hi", QStringLiteral("/admin hi"), QStringLiteral("admin"), hi, defaults);

    // custom channels are command words too
    chatRow("trade hi (configured)", QStringLiteral("trade hi"), QStringLiteral("trade"), hi,
            defaults + QStringList { QStringLiteral("trade") });
    chatRow("/trade hi (configured)", QStringLiteral("/trade hi"), QStringLiteral("trade"), hi,
            defaults + QStringList { QStringLiteral("trade") });
    chatRow("trade hi (not configured)", QStringLiteral("trade hi"), say, QStringLiteral("trade hi"), defaults);
    QStringList withoutGlobal = defaults;
    withoutGlobal.removeAll(QStringLiteral("global"));
    chatRow("g hi (global disabled)", QStringLiteral("g hi"), say, QStringLiteral("g hi"), withoutGlobal);

    // no command: the whole line is said
    chatRow("hello world", QStringLiteral("hello world"), say, QStringLiteral("hello world"), defaults);
    chatRow("padded hello", QStringLiteral("  hello world  "), say, QStringLiteral("hello world"), defaults);
    chatRow("command word as a prefix only", QStringLiteral("sayonara everyone"), say,
            QStringLiteral("sayonara everyone"), defaults);
    chatRow("whispering is not whisper", QStringLiteral("whispering is fun"), say, QStringLiteral("whispering is fun"),
            defaults);

    // whisper
    auto whisperRow = [&](const char *name, const QString &line, const QString &target, const QString &content) {
        QTest::newRow(name) << line << defaults << Kind::Chat << QStringLiteral("whisper") << target << content << 0
                            << none;
    };
    whisperRow("w Bob hello there", QStringLiteral("w Bob hello there"), QStringLiteral("Bob"),
               QStringLiteral("hello there"));
    whisperRow("whisper", QStringLiteral("whisper Bob hi"), QStringLiteral("Bob"), hi);
    whisperRow("tell", QStringLiteral("tell Bob hi"), QStringLiteral("Bob"), hi);
    whisperRow("/tell", QStringLiteral("/tell Bob hi"), QStringLiteral("Bob"), hi);
    whisperRow("W (case)", QStringLiteral("W bob_42 hi"), QStringLiteral("bob_42"), hi);
    whisperRow("target keeps case", QStringLiteral("TELL MiXeD psst"), QStringLiteral("MiXeD"), QStringLiteral("psst"));
    whisperRow("whisper target only", QStringLiteral("w Bob"), QStringLiteral("Bob"), none);

    // reply
    auto replyRow = [&](const char *name, const QString &line, const QString &content) {
        QTest::newRow(name) << line << defaults << Kind::Reply << none << none << content << 0 << none;
    };
    replyRow("r yes", QStringLiteral("r yes"), QStringLiteral("yes"));
    replyRow("reply yes", QStringLiteral("reply yes"), QStringLiteral("yes"));
    replyRow("/R yes please", QStringLiteral("/R yes please"), QStringLiteral("yes please"));

    // moderation-ish commands
    QTest::newRow("mute with minutes and reason")
            << QStringLiteral("mute Bob 10 spamming a lot") << defaults << Kind::Mute << none << QStringLiteral("Bob")
            << none << 10 << QStringLiteral("spamming a lot");
    QTest::newRow("mute permanent") << QStringLiteral("mute Bob") << defaults << Kind::Mute << none
                                    << QStringLiteral("Bob") << none << 0 << none;
    QTest::newRow("mute reason without minutes")
            << QStringLiteral("/MUTE Bob being rude") << defaults << Kind::Mute << none << QStringLiteral("Bob") << none
            << 0 << QStringLiteral("being rude");
    QTest::newRow("mute minutes only") << QStringLiteral("mute Bob 60") << defaults << Kind::Mute << none
                                       << QStringLiteral("Bob") << none << 60 << none;
    QTest::newRow("mute 10m") << QStringLiteral("mute Bob 10m spamming") << defaults << Kind::Mute << none
                              << QStringLiteral("Bob") << none << 10 << QStringLiteral("spamming");
    QTest::newRow("mute 2h") << QStringLiteral("mute Bob 2H") << defaults << Kind::Mute << none << QStringLiteral("Bob")
                             << none << 120 << none;
    QTest::newRow("mutechannel 1d") << QStringLiteral("mutechannel global 1d") << defaults << Kind::MuteChannel
                                    << QStringLiteral("global") << none << none << 1440 << none;
    QTest::newRow("mute unknown unit is reason") << QStringLiteral("mute Bob 3x rude") << defaults << Kind::Mute << none
                                                 << QStringLiteral("Bob") << none << 0 << QStringLiteral("3x rude");
    QTest::newRow("mute word ending in a unit is reason")
            << QStringLiteral("mute Bob harm others") << defaults << Kind::Mute << none << QStringLiteral("Bob") << none
            << 0 << QStringLiteral("harm others");
    QTest::newRow("unmute Bob") << QStringLiteral("unmute Bob") << defaults << Kind::Unmute << none
                                << QStringLiteral("Bob") << none << 0 << none;
    QTest::newRow("mutechannel global 30") << QStringLiteral("mutechannel global 30") << defaults << Kind::MuteChannel
                                           << QStringLiteral("global") << none << none << 30 << none;
    QTest::newRow("mutechannel permanent") << QStringLiteral("/mutechannel zone") << defaults << Kind::MuteChannel
                                           << QStringLiteral("zone") << none << none << 0 << none;
    QTest::newRow("unmutechannel global") << QStringLiteral("unmutechannel global") << defaults << Kind::UnmuteChannel
                                          << QStringLiteral("global") << none << none << 0 << none;
    QTest::newRow("mutes") << QStringLiteral("mutes") << defaults << Kind::Mutes << none << none << none << 0 << none;
    QTest::newRow("/Mutes") << QStringLiteral("/Mutes") << defaults << Kind::Mutes << none << none << none << 0 << none;
    QTest::newRow("help") << QStringLiteral("help") << defaults << Kind::Help << none << none << none << 0 << none;
    QTest::newRow("/HELP") << QStringLiteral("/HELP") << defaults << Kind::Help << none << none << none << 0 << none;
}

void TestCommandParser::parse()
{
    QFETCH(QString, line);
    QFETCH(QStringList, channels);
    QFETCH(Kind, kind);
    QFETCH(QString, channel);
    QFETCH(QString, target);
    QFETCH(QString, content);
    QFETCH(int, minutes);
    QFETCH(QString, reason);

    const ParsedCommand c = parseCommand(line, toSet(channels));
    QVERIFY2(c.kind != Kind::Error, qPrintable(c.error));
    QCOMPARE(c.kind, kind);
    QCOMPARE(c.channel, channel);
    QCOMPARE(c.target, target);
    QCOMPARE(c.content, content);
    QCOMPARE(c.minutes, minutes);
    QCOMPARE(c.reason, reason);
    QVERIFY(c.error.isEmpty());
}

void TestCommandParser::errors_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("channels");
    QTest::addColumn<QString>("mentions"); // a part of the message the player sees

    const QStringList defaults = defaultChannelNames();
    QTest::newRow("tell without target") << QStringLiteral("tell") << defaults << QStringLiteral("whisper <name>");
    QTest::newRow("whisper without target")
            << QStringLiteral("whisper") << defaults << QStringLiteral("whisper <name>");
    QTest::newRow("/w without target") << QStringLiteral("/w   ") << defaults << QStringLiteral("whisper <name>");
    QTest::newRow("mute without target") << QStringLiteral("mute") << defaults << QStringLiteral("mute <name>");
    QTest::newRow("unmute without target") << QStringLiteral("unmute") << defaults << QStringLiteral("unmute <name>");
    QTest::newRow("mutechannel without channel")
            << QStringLiteral("mutechannel") << defaults << QStringLiteral("mutechannel <channel>");
    QTest::newRow("unmutechannel without channel")
            << QStringLiteral("/unmutechannel") << defaults << QStringLiteral("unmutechannel <channel>");
    QTest::newRow("/dance") << QStringLiteral("/dance") << defaults << QStringLiteral("unknown command");
    QTest::newRow("/dance names the word") << QStringLiteral("/dance wildly") << defaults << QStringLiteral("dance");
    QTest::newRow("/hello world") << QStringLiteral("/hello world") << defaults << QStringLiteral("unknown command");
    QTest::newRow("/trade (not configured)")
            << QStringLiteral("/trade hi") << defaults << QStringLiteral("unknown command");
}

void TestCommandParser::errors()
{
    QFETCH(QString, line);
    QFETCH(QStringList, channels);
    QFETCH(QString, mentions);
    const ParsedCommand c = parseCommand(line, toSet(channels));
    QCOMPARE(c.kind, Kind::Error);
    QVERIFY2(c.error.contains(mentions, Qt::CaseInsensitive), qPrintable(c.error));
    QVERIFY(c.content.isEmpty());
}

void TestCommandParser::helpMentionsEveryCommand()
{
    const QString help = commandHelp();
    QVERIFY(!help.isEmpty());
    for (const char *word :
         { "say", "'<msg>", "emote", "local", "zone", "global", "party", "whisper", "tell", "reply", "mute <name>",
           "unmute <name>", "mutechannel <channel>", "unmutechannel <channel>", "mutes" })
        QVERIFY2(help.contains(QLatin1String(word)), word);
}

QTEST_APPLESS_MAIN(TestCommandParser)
#include "tst_commandparser.moc"
