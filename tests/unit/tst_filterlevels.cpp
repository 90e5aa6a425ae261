// Content-filter categories, severities and levels: the list syntax that files entries, what
// each built-in level does with each category and severity, operator-defined levels in the
// configuration (and every way of writing one wrongly), and a channel choosing its level.
#include "config/configloader.h"
#include "moderation/contentfilter.h"

#include <QTest>

using namespace mythos;

namespace {

// One word per category and severity, so each cell of a level can be read off on its own.
const QString kProfanity = QStringLiteral("frak\n"
                                          "@category profanity mild\n"
                                          "crud\n"
                                          "@category profanity severe\n"
                                          "fuck\n"
                                          "@category sexual mild\n"
                                          "boobies\n"
                                          "@category sexual severe\n"
                                          "gangbang\n"
                                          "@category harassment mild\n"
                                          "dimwit\n"
                                          "@category harassment moderate\n"
                                          "moron\n"
                                          "@category slur severe\n"
                                          "slurword\n");
const QString kKeywords = QStringLiteral("@rule scam: gold for money\n"
                                         "\\bgold\\b.*\\bpaypal\\b\n"
                                         "@rule threat severe: real-world violence\n"
                                         "hold:\\bhurt\\s+you\\s+irl\\b\n");

ContentFilter testFilter()
{
    ContentFilter filter;
    const auto errors = filter.loadFromText(kProfanity, QString(), kKeywords);
    if (!errors.isEmpty())
        qWarning() << "unexpected list errors:" << errors.first().message;
    return filter;
}

FilterLevel builtIn(const char *name)
{
    return builtInFilterLevels().value(QLatin1String(name));
}

// What a level does with one message: "mask", "flag", "hold" joined, or "allow".
QString outcome(const FilterVerdict &v)
{
    QStringList parts;
    if (v.masked)
        parts << QStringLiteral("mask");
    if (v.flagged)
        parts << QStringLiteral("flag");
    if (v.held)
        parts << QStringLiteral("hold");
    return parts.isEmpty() ? QStringLiteral("allow") : parts.join(QLatin1Char('+'));
}

Config parseOk(const QByteArray &yaml)
{
    auto result = configloader::parse(yaml);
    if (!result)
        qWarning().noquote() << result.error();
    return result ? result.value() : Config {};
}

} // namespace

class TestFilterLevels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void entriesAreFiledUnderTheirSection();
    void badDirectivesAreReportedAndEntriesKept();
    void keywordRulesCarrySeverity();
    void builtInLevels_data();
    void builtInLevels();
    void flagAloneDeliversUnmasked();
    void keywordMaskFallsBackToFlagWithoutWrittenSpan();
    void allowedMatchesAreStillReported();
    void configuredLevels();
    void severityMapFillsUpwards();
    void configuredLevelReplacesBuiltIn();
    void channelChoosesItsLevel();
    void configErrors_data();
    void configErrors();
    void actionsRoundTrip_data();
    void actionsRoundTrip();
};

void TestFilterLevels::entriesAreFiledUnderTheirSection()
{
    const ContentFilter filter = testFilter();
    const FilterVerdict v = filter.check(QStringLiteral("frak crud dimwit slurword"));
    QCOMPARE(v.matches.size(), 4);
    QCOMPARE(v.matches[0].category, QStringLiteral("profanity")); // above any @category line
    QCOMPARE(v.matches[0].severity, Severity::Moderate);
    QCOMPARE(v.matches[1].category, QStringLiteral("profanity"));
    QCOMPARE(v.matches[1].severity, Severity::Mild);
    QCOMPARE(v.matches[2].category, QStringLiteral("harassment"));
    QCOMPARE(v.matches[2].severity, Severity::Mild);
    QCOMPARE(v.matches[3].category, QStringLiteral("slur"));
    QCOMPARE(v.matches[3].severity, Severity::Severe);
    QCOMPARE(v.matches[3].source, QStringLiteral("slurword"));
    QVERIFY(!v.matches[3].keyword);
    QCOMPARE(filter.categories(),
             QStringList({ QStringLiteral("profanity"), QStringLiteral("sexual"), QStringLiteral("harassment"),
                           QStringLiteral("slur"), QStringLiteral("scam"), QStringLiteral("threat") }));
}

void TestFilterLevels::badDirectivesAreReportedAndEntriesKept()
{
    ContentFilter filter;
    const auto errors = filter.loadFromText(QStringLiteral("@category slur severe\n"
                                                           "slurword\n"
                                                           "@category slur extreme\n" // not a severity
                                                           "otherslur\n"
                                                           "@category Slur mild\n" // not lowercase
                                                           "@category insult\n" // no severity
                                                           "@ss\n"), // an entry: '@' is leet for a
                                            QString(), QString());
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors[0].line, 3);
    QCOMPARE(errors[1].line, 5);
    QCOMPARE(errors[2].line, 6);
    QVERIFY(errors[0].message.contains(QStringLiteral("@category <category> <severity>")));
    // The entry under the bad line stays filed under the section above it: masked, not lost.
    const FilterVerdict v = filter.check(QStringLiteral("otherslur and ass"));
    QCOMPARE(v.content, QStringLiteral("********* and ***"));
    QCOMPARE(v.matches.first().category, QStringLiteral("slur"));
    QCOMPARE(v.matches.first().severity, Severity::Severe);
}

void TestFilterLevels::keywordRulesCarrySeverity()
{
    ContentFilter filter;
    const auto errors = filter.loadFromText(QString(), QString(),
                                            QStringLiteral("@rule threat severe: violence\n"
                                                           "\\bhurt\\b\n"
                                                           "@rule scam: gold\n"
                                                           "\\bgold\\b\n"
                                                           "@rule scam awful: bad severity\n"
                                                           "\\bpaypal\\b\n"));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].line, 5);
    QVERIFY(errors[0].message.contains(QStringLiteral("[<severity>]")));
    const QList<KeywordRule> rules = filter.keywordRules();
    QCOMPARE(rules.size(), 3);
    QCOMPARE(rules[0].severity, Severity::Severe);
    QCOMPARE(rules[1].severity, Severity::Moderate); // not written
    QCOMPARE(rules[2].category, QString()); // under the bad line: unnamed, still loaded
}

void TestFilterLevels::builtInLevels_data()
{
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    // standard: what the lists say (words masked, expressions flag, hold: holds) but mild insults.
    QTest::newRow("standard mild profanity") << "standard"
                                             << "crud"
                                             << "mask";
    QTest::newRow("standard slur") << "standard"
                                   << "slurword"
                                   << "mask";
    QTest::newRow("standard mild insult") << "standard"
                                          << "dimwit"
                                          << "allow"; // "I'm such a dimwit"
    QTest::newRow("standard moderate insult") << "standard"
                                              << "moron"
                                              << "mask";
    QTest::newRow("standard scam") << "standard"
                                   << "gold for paypal"
                                   << "flag";
    QTest::newRow("standard threat") << "standard"
                                     << "i will hurt you irl"
                                     << "hold";
    // family: profanity masked, insults from moderate and severe sexual words and slurs go further.
    QTest::newRow("family mild profanity") << "family"
                                           << "crud"
                                           << "mask";
    QTest::newRow("family severe profanity") << "family"
                                             << "fuck"
                                             << "mask";
    QTest::newRow("family mild sexual") << "family"
                                        << "boobies"
                                        << "mask";
    QTest::newRow("family severe sexual") << "family"
                                          << "gangbang"
                                          << "mask+hold";
    QTest::newRow("family mild insult") << "family"
                                        << "dimwit"
                                        << "mask";
    QTest::newRow("family moderate insult") << "family"
                                            << "moron"
                                            << "mask+flag";
    QTest::newRow("family slur") << "family"
                                 << "slurword"
                                 << "mask+hold";
    QTest::newRow("family scam as listed") << "family"
                                           << "gold for paypal"
                                           << "flag";
    QTest::newRow("family threat as listed") << "family"
                                             << "i will hurt you irl"
                                             << "hold";
    // adult: swearing through, the strongest words masked, slurs masked and flagged.
    QTest::newRow("adult profanity") << "adult"
                                     << "fuck"
                                     << "allow";
    QTest::newRow("adult mild sexual") << "adult"
                                       << "boobies"
                                       << "allow";
    QTest::newRow("adult severe sexual") << "adult"
                                         << "gangbang"
                                         << "mask";
    QTest::newRow("adult mild insult") << "adult"
                                       << "dimwit"
                                       << "allow";
    QTest::newRow("adult moderate insult") << "adult"
                                           << "moron"
                                           << "mask";
    QTest::newRow("adult slur") << "adult"
                                << "slurword"
                                << "mask+flag";
    QTest::newRow("adult threat as listed") << "adult"
                                            << "i will hurt you irl"
                                            << "hold";
    // off: nothing happens to anything.
    QTest::newRow("off slur") << "off"
                              << "slurword"
                              << "allow";
    QTest::newRow("off threat") << "off"
                                << "i will hurt you irl"
                                << "allow";
}

void TestFilterLevels::builtInLevels()
{
    QFETCH(QString, level);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const ContentFilter filter = testFilter();
    const FilterLevel l = builtInFilterLevels().value(level);
    QCOMPARE(l.name, level);
    QCOMPARE(outcome(filter.check(text, l)), expected);
}

void TestFilterLevels::flagAloneDeliversUnmasked()
{
    FilterLevel level { QStringLiteral("watch"), {}, std::nullopt };
    level.categories.insert(QStringLiteral("slur"),
                            actionsFromSeverities({ { Severity::Mild, { false, false, true } } }));
    const FilterVerdict v = testFilter().check(QStringLiteral("you slurword"), level);
    QCOMPARE(v.content, QStringLiteral("you slurword"));
    QVERIFY(v.flagged && !v.masked && !v.held);
    QVERIFY(v.matchedWords.isEmpty()); // nothing was masked
    // Moderators are told why: the word, filed as a listed word of its category.
    QCOMPARE(v.matchedRules.size(), 1);
    QCOMPARE(v.matchedRules[0].category, QStringLiteral("slur"));
    QCOMPARE(v.matchedRules[0].name, QStringLiteral("listed word"));
    QCOMPARE(v.matchedRules[0].pattern, QStringLiteral("slurword"));
    QCOMPARE(v.matchedRules[0].severity, Severity::Severe);
    QCOMPARE(v.matchedPatterns, QStringList { QStringLiteral("slurword") });
}

void TestFilterLevels::keywordMaskFallsBackToFlagWithoutWrittenSpan()
{
    FilterLevel level { QStringLiteral("masking"), {}, std::nullopt };
    level.categories.insert(QStringLiteral("scam"), actionsFromSeverities({ { Severity::Mild, { false, true } } }));
    const ContentFilter filter = testFilter();
    const FilterVerdict written = filter.check(QStringLiteral("cheap gold via paypal!"), level);
    QCOMPARE(written.content, QStringLiteral("cheap ***************!")); // "gold via paypal" as written
    QVERIFY(written.masked && !written.flagged);
    // Leet: only the normalized reading matches, there is nothing as written to mask.
    const FilterVerdict leet = filter.check(QStringLiteral("g0ld for p4yp4l"), level);
    QCOMPARE(leet.content, QStringLiteral("g0ld for p4yp4l"));
    QVERIFY(!leet.masked && leet.flagged);
    QCOMPARE(leet.matches.first().action.toString(), QStringLiteral("flag"));
}

void TestFilterLevels::allowedMatchesAreStillReported()
{
    const FilterVerdict v = testFilter().check(QStringLiteral("oh fuck"), builtIn("adult"));
    QCOMPARE(v.content, QStringLiteral("oh fuck"));
    QCOMPARE(outcome(v), QStringLiteral("allow"));
    QCOMPARE(v.matches.size(), 1);
    QVERIFY(v.matches[0].action.isAllow());
    QVERIFY(v.matchedRules.isEmpty());
}

void TestFilterLevels::configuredLevels()
{
    const Config c = parseOk("chat:\n"
                             "  content_filtering:\n"
                             "    default_level: teens\n"
                             "    levels:\n"
                             "      teens:\n"
                             "        profanity: mask\n"
                             "        sexual: { mild: mask, moderate: mask+hold }\n"
                             "        scam: hold\n"
                             "        \"*\": listed\n");
    QCOMPARE(c.contentFiltering.defaultLevel, QStringLiteral("teens"));
    const FilterLevel &teens = c.contentFiltering.levels.value(QStringLiteral("teens"));
    QCOMPARE(teens.actionFor(QStringLiteral("profanity"), Severity::Severe).toString(), QStringLiteral("mask"));
    QCOMPARE(teens.actionFor(QStringLiteral("sexual"), Severity::Mild).toString(), QStringLiteral("mask"));
    QCOMPARE(teens.actionFor(QStringLiteral("sexual"), Severity::Severe).toString(), QStringLiteral("mask+hold"));
    QCOMPARE(teens.actionFor(QStringLiteral("slur"), Severity::Mild).toString(), QStringLiteral("listed"));
    const ContentFilter filter = testFilter();
    QCOMPARE(outcome(filter.check(QStringLiteral("gold for paypal"), teens)), QStringLiteral("hold"));
    QCOMPARE(outcome(filter.check(QStringLiteral("gangbang"), teens)), QStringLiteral("mask+hold"));
    // The built-in levels are still there next to the configured one.
    QVERIFY(c.contentFiltering.levels.contains(QStringLiteral("family")));
    QCOMPARE(c.contentFiltering.levelFor(*c.channel(QStringLiteral("say"))).name, QStringLiteral("teens"));
}

void TestFilterLevels::severityMapFillsUpwards()
{
    const Config c = parseOk("chat:\n  content_filtering:\n    levels:\n      l:\n        slur: { severe: hold }\n"
                             "        harassment: { mild: mask, severe: hold }\n");
    const FilterLevel &l = c.contentFiltering.levels.value(QStringLiteral("l"));
    QVERIFY(l.actionFor(QStringLiteral("slur"), Severity::Mild).isAllow()); // below the lowest written
    QVERIFY(l.actionFor(QStringLiteral("slur"), Severity::Moderate).isAllow());
    QCOMPARE(l.actionFor(QStringLiteral("slur"), Severity::Severe).toString(), QStringLiteral("hold"));
    QCOMPARE(l.actionFor(QStringLiteral("harassment"), Severity::Moderate).toString(), QStringLiteral("mask"));
    QCOMPARE(l.actionFor(QStringLiteral("harassment"), Severity::Severe).toString(), QStringLiteral("hold"));
    // Not named and no "*": what the lists say.
    QCOMPARE(l.actionFor(QStringLiteral("profanity"), Severity::Mild).toString(), QStringLiteral("listed"));
}

void TestFilterLevels::configuredLevelReplacesBuiltIn()
{
    const Config c = parseOk("chat:\n  content_filtering:\n    levels:\n      family:\n        \"*\": hold\n");
    const FilterLevel &family = c.contentFiltering.levels.value(QStringLiteral("family"));
    QVERIFY(family.categories.isEmpty()); // the built-in's categories are gone, not merged
    QCOMPARE(outcome(testFilter().check(QStringLiteral("crud"), family)), QStringLiteral("hold"));
}

void TestFilterLevels::channelChoosesItsLevel()
{
    const Config c = parseOk("chat:\n  channels:\n    global:\n      filter_level: family\n"
                             "    ooc:\n      scope: everyone\n      filter_level: adult\n");
    const auto &cf = c.contentFiltering;
    QCOMPARE(cf.levelFor(*c.channel(QStringLiteral("global"))).name, QStringLiteral("family"));
    QCOMPARE(cf.levelFor(*c.channel(QStringLiteral("ooc"))).name, QStringLiteral("adult"));
    QCOMPARE(cf.levelFor(*c.channel(QStringLiteral("say"))).name, QStringLiteral("standard"));
}

void TestFilterLevels::configErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("message");
    const QByteArray levels = "chat:\n  content_filtering:\n    levels:\n";
    QTest::newRow("unknown default level") << QByteArray("chat:\n  content_filtering:\n    default_level: strict\n")
                                           << "chat.content_filtering.default_level: no level named 'strict'";
    QTest::newRow("unknown channel level")
            << QByteArray("chat:\n  channels:\n    say:\n      filter_level: kids\n")
            << "chat.channels.say.filter_level: no level named 'kids' (levels: adult, family, off, standard)";
    QTest::newRow("bad action") << levels + "      l:\n        slur: block\n"
                                << "chat.content_filtering.levels.l.slur: 'block' is not an action";
    QTest::newRow("bad combined action") << levels + "      l:\n        slur: mask+ban\n"
                                         << "chat.content_filtering.levels.l.slur: 'mask+ban' is not an action";
    QTest::newRow("allow combined") << levels + "      l:\n        slur: allow+flag\n"
                                    << "is not an action";
    QTest::newRow("bad severity") << levels + "      l:\n        slur: { extreme: hold }\n"
                                  << "chat.content_filtering.levels.l.slur.extreme: 'extreme' is not a severity";
    QTest::newRow("bad action in map") << levels + "      l:\n        slur: { severe: nuke }\n"
                                       << "chat.content_filtering.levels.l.slur.severe: 'nuke' is not an action";
    QTest::newRow("bad category") << levels + "      l:\n        Slurs: hold\n"
                                  << "chat.content_filtering.levels.l.Slurs: 'Slurs' is not a category name";
    QTest::newRow("bad level name") << levels + "      Kids:\n        slur: hold\n"
                                    << "chat.content_filtering.levels.Kids: level names are lowercase";
    QTest::newRow("level not a mapping") << levels + "      kids: hold\n"
                                         << "chat.content_filtering.levels.kids: expected a mapping";
}

void TestFilterLevels::configErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);
    const auto result = configloader::parse(yaml);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(message), qPrintable(result.error()));
}

void TestFilterLevels::actionsRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("written");
    QTest::newRow("allow") << "allow"
                           << "allow";
    QTest::newRow("listed") << "listed"
                            << "listed";
    QTest::newRow("mask") << "mask"
                          << "mask";
    QTest::newRow("order normalised") << "hold+mask"
                                      << "mask+hold";
    QTest::newRow("spaces") << "mask + flag"
                            << "mask+flag";
}

void TestFilterLevels::actionsRoundTrip()
{
    QFETCH(QString, text);
    QFETCH(QString, written);
    const auto action = parseFilterAction(text);
    QVERIFY2(action.ok(), qPrintable(action.ok() ? QString() : action.error()));
    QCOMPARE(action.value().toString(), written);
}

QTEST_GUILESS_MAIN(TestFilterLevels)
#include "tst_filterlevels.moc"
