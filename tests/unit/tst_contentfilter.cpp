// The content filter: each normalization rule, masking at the original positions, the allow
// list, phrases, keyword flag versus hold, list errors with line numbers, and the measured
// figures over the labelled corpus in tests/data/filter_corpus.tsv (label<TAB>category<TAB>text)
// with the bundled lists: recall, false-positive rate and precision per category (profanity,
// sexual, slur, harassment), every clean and trap line unmasked.
#include "moderation/contentfilter.h"
#include "moderation/textnormalizer.h"

#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;

namespace {

const QString kProfanity = QStringLiteral("# test list\nfrak\nfuck\nshit\nass\nbitch\nshite\n"
                                          "bastard\ndick\nson of a bitch\n\nbull shit\n");
const QString kAllow = QStringLiteral("# innocent\nbastard sword\nshiite\nmoby dick\n");
const QString kKeywords = QStringLiteral("# flags\n\\b(sell|buy)(ing)?\\s+(gold|account)s?\\b\n"
                                         "hold:\\b(kill|hurt)\\s+(yo)?u\\s+irl\\b\n");

// Recall the bundled lists must keep on tests/data/filter_corpus.tsv (measured, then set just
// below: docs/moderation.md has the figures).
constexpr double kProfaneRecall = 0.97; // measured 364 of 373 (0.976)
constexpr double kObfuscatedRecall = 0.965; // measured 261 of 269 (0.970)

QString sourceDir()
{
    return qEnvironmentVariable("MYTHOS_SOURCE_DIR");
}

ContentFilter testFilter()
{
    ContentFilter filter;
    const auto errors = filter.loadFromText(kProfanity, kAllow, kKeywords);
    if (!errors.isEmpty())
        qWarning() << "unexpected list errors:" << errors.size();
    return filter;
}

// The category of every entry of a word list, keyed like FilterVerdict::matchedWords (folded,
// leet-decoded words joined by a space; a phrase also run together), from the `@category
// <category> <severity>` sections; entries above the first section are profanity.
QHash<QString, QString> entryCategories(const QString &path, QStringList *problems = nullptr)
{
    QHash<QString, QString> categories;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return categories;
    QString category = QStringLiteral("profanity");
    const QString directive = QStringLiteral("@category ");
    for (const QString &raw : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(directive)) {
            const QStringList fields = line.mid(directive.size()).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            category = fields.value(0);
            static const QStringList known { QStringLiteral("profanity"), QStringLiteral("sexual"),
                                             QStringLiteral("slur"), QStringLiteral("harassment") };
            static const QStringList severities { QStringLiteral("mild"), QStringLiteral("moderate"),
                                                  QStringLiteral("severe") };
            if (problems && (fields.size() != 2 || !known.contains(category) || !severities.contains(fields[1])))
                problems->append(QStringLiteral("bad section line: ") + line);
            continue;
        }
        QStringList words;
        QString word;
        QList<FoldedChar> chars = TextNormalizer::foldChars(line);
        chars.append({ QLatin1Char(' '), FoldedChar::Space, 0, 0 });
        for (const FoldedChar &c : std::as_const(chars)) {
            if (c.kind == FoldedChar::Word) {
                word += c.ch;
            } else if (c.kind == FoldedChar::Space && !word.isEmpty()) {
                words.append(TextNormalizer::leetReadings(word).constFirst());
                word.clear();
            }
        }
        if (words.isEmpty())
            continue;
        QStringList keys { words.join(QLatin1Char(' ')) };
        if (words.size() > 1)
            keys.append(words.join(QString()));
        for (const QString &key : std::as_const(keys)) {
            const auto it = categories.constFind(key);
            if (it != categories.constEnd() && *it != category && problems)
                problems->append(QStringLiteral("'%1' is in %2 and in %3").arg(line, *it, category));
            if (it == categories.constEnd())
                categories.insert(key, category);
        }
    }
    return categories;
}
} // namespace

class TestContentFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fold_data();
    void fold();
    void leetReadings_data();
    void leetReadings();
    void squeezeKeepsRunLengths();
    void normalizedText_data();
    void normalizedText();
    void masking_data();
    void masking();
    void matchedWordsAreListEntries();
    void keywordsFlagAndHold_data();
    void keywordsFlagAndHold();
    void badRegexIsReportedWithItsLine();
    void rulesNameTheirExpressions();
    void loadReportsUnreadableFiles();
    void switchesTurnPartsOff();
    void bundledListsLoad();
    void bundledListSections();
    void corpusAccuracy();
};

void TestContentFilter::initTestCase()
{
    // Every test loads lists; the load summary would drown the corpus report.
    QLoggingCategory::setFilterRules(QStringLiteral("mythos.server.filter.info=false"));
}

void TestContentFilter::fold_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("folded");
    QTest::newRow("case") << QStringLiteral("FrAk") << QStringLiteral("frak");
    QTest::newRow("diacritics") << QStringLiteral("fück shît") << QStringLiteral("fuck shit");
    QTest::newRow("combining marks") << QStringLiteral("f\u0301r\u0338ak") << QStringLiteral("frak");
    QTest::newRow("cyrillic") << QStringLiteral("\u0455h\u0456t \u0430\u0441\u0435\u043e\u0440\u0445")
                              << QStringLiteral("shit aceopx");
    QTest::newRow("greek") << QStringLiteral("\u0391\u039f f\u03c5ck") << QStringLiteral("ao fuck");
    QTest::newRow("full-width") << QStringLiteral("\uff26\uff32\uff21\uff2b") << QStringLiteral("frak");
    QTest::newRow("math letters") << QStringLiteral("\U0001d41f\U0001d42e") << QStringLiteral("fu");
    QTest::newRow("zero-width") << QStringLiteral("fu\u200bck sh\u00adit") << QStringLiteral("fuck shit");
    QTest::newRow("no decomposition") << QStringLiteral("Straße ƒøø") << QStringLiteral("strasse foo");
    // Only look-alikes change: п and и have no Latin twin.
    QTest::newRow("other scripts") << QStringLiteral("Привет 日本") << QStringLiteral("пpиbet 日本");
}

void TestContentFilter::fold()
{
    QFETCH(QString, input);
    QFETCH(QString, folded);
    QCOMPARE(TextNormalizer::fold(input), folded);
}

void TestContentFilter::leetReadings_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("reading");
    QTest::newRow("digits") << QStringLiteral("5h1t") << QStringLiteral("shit");
    QTest::newRow("symbols") << QStringLiteral("@$$") << QStringLiteral("ass");
    QTest::newRow("bang") << QStringLiteral("sh!t") << QStringLiteral("shit");
    QTest::newRow("four three seven") << QStringLiteral("7w4t 3") << QStringLiteral("twat e");
    QTest::newRow("plus eight") << QStringLiteral("sh!+ 8itch") << QStringLiteral("shit bitch");
    QTest::newRow("zero") << QStringLiteral("d0g") << QStringLiteral("dog");
    QTest::newRow("one as l") << QStringLiteral("s1ut") << QStringLiteral("slut");
    QTest::newRow("one both ways") << QStringLiteral("bu11sh1t") << QStringLiteral("bullshit");
}

void TestContentFilter::leetReadings()
{
    QFETCH(QString, word);
    QFETCH(QString, reading);
    QVERIFY2(TextNormalizer::leetReadings(word).contains(reading),
             qPrintable(TextNormalizer::leetReadings(word).join(QLatin1Char(','))));
}

void TestContentFilter::squeezeKeepsRunLengths()
{
    QList<int> runs;
    QCOMPARE(TextNormalizer::squeeze(QStringLiteral("frrraaakk"), &runs), QStringLiteral("frak"));
    QCOMPARE(runs, (QList<int> { 1, 3, 3, 2 }));
    QCOMPARE(TextNormalizer::squeeze(QStringLiteral("ass"), &runs), QStringLiteral("as"));
    QCOMPARE(runs, (QList<int> { 1, 2 }));
}

void TestContentFilter::normalizedText_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("leet") << QStringLiteral("S3LL1NG  G0LD!!!") << QStringLiteral("selling gold!!!");
    QTest::newRow("numbers stay") << QStringLiteral("buy 500 gold for $5") << QStringLiteral("buy 500 gold for $5");
    QTest::newRow("mention stays") << QStringLiteral("@Bob  hi ") << QStringLiteral("@bob hi");
    QTest::newRow("homoglyphs") << QStringLiteral("k\u0456ll \u0443\u043eu") << QStringLiteral("kill you");
}

void TestContentFilter::normalizedText()
{
    QFETCH(QString, input);
    QFETCH(QString, normalized);
    QCOMPARE(TextNormalizer(input).normalizedText(), normalized);
}

void TestContentFilter::masking_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("content");
    auto row = [](const char *name, const QString &in, const QString &out) { QTest::newRow(name) << in << out; };
    row("plain", QStringLiteral("what the frak is this"), QStringLiteral("what the **** is this"));
    row("case", QStringLiteral("FRAK you"), QStringLiteral("**** you"));
    row("dots", QStringLiteral("what the f.r.a.k is this"), QStringLiteral("what the ******* is this"));
    row("spaces", QStringLiteral("what the f r a k is this"), QStringLiteral("what the ******* is this"));
    row("hyphens", QStringLiteral("f-r-a-k"), QStringLiteral("*******"));
    row("underscores", QStringLiteral("so f_r_a_k."), QStringLiteral("so *******."));
    row("split word", QStringLiteral("sh.it happens"), QStringLiteral("***** happens"));
    row("one-letter word before", QStringLiteral("what a d i c k"), QStringLiteral("what a *******"));
    row("stretched", QStringLiteral("fraaaak this"), QStringLiteral("******* this"));
    row("stretched twice", QStringLiteral("frrraaakk"), QStringLiteral("*********"));
    row("stretched double letter", QStringLiteral("you asssss"), QStringLiteral("you ******"));
    row("leet", QStringLiteral("5h1t, @$$ and fr@k"), QStringLiteral("****, *** and ****"));
    row("homoglyph", QStringLiteral("fr\u0430k it"), QStringLiteral("**** it"));
    row("full-width", QStringLiteral("\uff46\uff52\uff41\uff4b!"), QStringLiteral("****!"));
    row("surrogates", QStringLiteral("\U0001d41f\U0001d42b\U0001d41a\U0001d424"), QStringLiteral("********"));
    row("diacritics", QStringLiteral("fr\u00e2k"), QStringLiteral("****"));
    row("decomposed", QStringLiteral("fra\u0302k"), QStringLiteral("*****"));
    row("zero-width", QStringLiteral("fr\u200bak"), QStringLiteral("*****"));
    row("punctuation kept", QStringLiteral("frak! (shit)"), QStringLiteral("****! (****)"));
    row("phrase", QStringLiteral("you son of a bitch"), QStringLiteral("you **************"));
    row("phrase as one word", QStringLiteral("sonofabitch"), QStringLiteral("***********"));
    row("phrase of clean words", QStringLiteral("bull shit"), QStringLiteral("*********"));
    row("phrase stops at comma", QStringLiteral("the bull, shit"), QStringLiteral("the bull, ****"));
    row("scunthorpe", QStringLiteral("Scunthorpe"), QStringLiteral("Scunthorpe"));
    row("inside words", QStringLiteral("classic assassin grass shitake Dickens"),
        QStringLiteral("classic assassin grass shitake Dickens"));
    row("doubled letters are not stretching", QStringLiteral("as bobby"), QStringLiteral("as bobby"));
    row("numbers are numbers", QStringLiteral("I have 455 gold"), QStringLiteral("I have 455 gold"));
    row("mention", QStringLiteral("@Bob hi!"), QStringLiteral("@Bob hi!"));
    row("stretched into a symbol", QStringLiteral("@ass"), QStringLiteral("****"));
    row("spelled-out word", QStringLiteral("C L A S S"), QStringLiteral("C L A S S"));
    row("allow phrase", QStringLiteral("a bastard sword, you bastard"), QStringLiteral("a bastard sword, you *******"));
    row("allow word", QStringLiteral("Shiite, not shite"), QStringLiteral("Shiite, not *****"));
    row("allow name", QStringLiteral("read Moby Dick, dick"), QStringLiteral("read Moby Dick, ****"));
    row("empty", QString(), QString());
}

void TestContentFilter::masking()
{
    QFETCH(QString, input);
    QFETCH(QString, content);
    const FilterVerdict v = testFilter().check(input);
    QCOMPARE(v.content, content);
    QCOMPARE(v.content.size(), input.size());
    QCOMPARE(v.masked, content != input);
}

void TestContentFilter::matchedWordsAreListEntries()
{
    const FilterVerdict v = testFilter().check(QStringLiteral("f.r.a.k, 5h1t and fraaak, son of a b1tch"));
    QCOMPARE(v.matchedWords,
             (QStringList { QStringLiteral("frak"), QStringLiteral("shit"), QStringLiteral("son of a bitch"),
                            QStringLiteral("bitch") }));
    QVERIFY(!v.flagged);
    QVERIFY(!v.held);
}

void TestContentFilter::keywordsFlagAndHold_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("flagged");
    QTest::addColumn<bool>("held");
    QTest::newRow("clean") << QStringLiteral("selling my old sword") << false << false;
    QTest::newRow("flag") << QStringLiteral("Selling gold, cheap") << true << false;
    QTest::newRow("flag obfuscated") << QStringLiteral("s3ll1ng g0ld") << true << false;
    QTest::newRow("hold") << QStringLiteral("I will hurt u irl") << false << true;
    QTest::newRow("hold homoglyph") << QStringLiteral("k\u0456ll you IRL") << false << true;
    QTest::newRow("both") << QStringLiteral("buying accounts or I kill you irl") << true << true;
    QTest::newRow("game kill") << QStringLiteral("I'll kill you in the arena") << false << false;
}

void TestContentFilter::keywordsFlagAndHold()
{
    QFETCH(QString, input);
    QFETCH(bool, flagged);
    QFETCH(bool, held);
    const FilterVerdict v = testFilter().check(input);
    QCOMPARE(v.flagged, flagged);
    QCOMPARE(v.held, held);
    QCOMPARE(v.content, input); // keywords never change the text
    QCOMPARE(v.matchedPatterns.size(), int(flagged) + int(held));
    if (held)
        QVERIFY(v.matchedPatterns.contains(QStringLiteral("\\b(kill|hurt)\\s+(yo)?u\\s+irl\\b")));
}

void TestContentFilter::badRegexIsReportedWithItsLine()
{
    ContentFilter filter;
    const QString keywords = QStringLiteral("# comment\n\\bfoo\\b\n(unclosed\nhold:\\bbar\\b\nhold:[z-a]\na*\n");
    const auto errors = filter.loadFromText(QStringLiteral("frak\n---\n"), QString(), keywords);
    QCOMPARE(errors.size(), 4);
    QCOMPARE(errors[0].file, QStringLiteral("profanity"));
    QCOMPARE(errors[0].line, 2); // "---" has no letters
    QCOMPARE(errors[1].file, QStringLiteral("keywords"));
    QCOMPARE(errors[1].line, 3);
    QVERIFY(errors[1].message.contains(QStringLiteral("invalid regular expression")));
    QCOMPARE(errors[2].line, 5);
    QCOMPARE(errors[3].line, 6); // matches every message
    QCOMPARE(filter.keywordCount(), 2);
    QVERIFY(filter.check(QStringLiteral("a foo here")).flagged);
    QVERIFY(filter.check(QStringLiteral("a bar here")).held);
    QCOMPARE(filter.check(QStringLiteral("frak")).content, QStringLiteral("****"));
}

void TestContentFilter::rulesNameTheirExpressions()
{
    ContentFilter filter;
    const QString keywords = QStringLiteral("\\bunnamed\\b\n"
                                            "@rule scam: trading gold for money\n"
                                            "\\bgold\\b.*\\bpaypal\\b\n"
                                            "# a comment keeps the rule going\n"
                                            "\\bcheap\\s+gold\\b\n"
                                            "@rule threat: real-world violence\n"
                                            "hold:\\bhurt\\s+you\\s+irl\\b\n"
                                            "@rule no colon here\n"
                                            "\\bafter\\s+a\\s+bad\\s+rule\\b\n"
                                            "@rule two words: name\n"
                                            "@category scam\n");
    const auto errors = filter.loadFromText(QString(), QString(), keywords);
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors[0].line, 8);
    QVERIFY(errors[0].message.contains(QStringLiteral("@rule <category> [<severity>]: <name>")));
    QCOMPARE(errors[1].line, 10);
    QCOMPARE(errors[2].line, 11);
    QCOMPARE(filter.keywordCount(), 5);

    const FilterVerdict v = filter.check(QStringLiteral("cheap gold for paypal, or I hurt you irl"));
    QCOMPARE(v.matchedRules.size(), 3);
    QCOMPARE(v.matchedRules[0].category, QStringLiteral("scam"));
    QCOMPARE(v.matchedRules[0].name, QStringLiteral("trading gold for money"));
    QCOMPARE(v.matchedRules[0].pattern, QStringLiteral("\\bgold\\b.*\\bpaypal\\b"));
    QCOMPARE(v.matchedRules[1].name, QStringLiteral("trading gold for money"));
    QCOMPARE(v.matchedRules[2].category, QStringLiteral("threat"));
    QCOMPARE(v.matchedRules[2].pattern, QStringLiteral("\\bhurt\\s+you\\s+irl\\b"));
    QVERIFY(v.held && v.flagged);
    // Above any rule, and after a malformed one: no category, no name.
    const FilterVerdict unnamed = filter.check(QStringLiteral("unnamed, after a bad rule"));
    QCOMPARE(unnamed.matchedRules.size(), 2);
    for (const KeywordRule &r : unnamed.matchedRules)
        QVERIFY(r.category.isEmpty() && r.name.isEmpty());
}

void TestContentFilter::loadReportsUnreadableFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString profanity = dir.filePath(QStringLiteral("profanity.txt"));
    const QString keywords = dir.filePath(QStringLiteral("keywords.txt"));
    QFile file(profanity);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("frak\n");
    file.close();
    QFile kw(keywords);
    QVERIFY(kw.open(QIODevice::WriteOnly));
    kw.write("ok\n(bad\n");
    kw.close();

    ContentFilter filter;
    const QString missing = dir.filePath(QStringLiteral("missing.txt"));
    const auto errors = filter.load(profanity, missing, keywords);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].file, missing);
    QCOMPARE(errors[0].line, 0);
    QCOMPARE(errors[1].file, keywords);
    QCOMPARE(errors[1].line, 2);
    QCOMPARE(filter.check(QStringLiteral("frak")).content, QStringLiteral("****"));
    QVERIFY(filter.load(profanity, QString(), QString()).isEmpty()); // no allow list: fine
}

void TestContentFilter::switchesTurnPartsOff()
{
    ContentFilter filter = testFilter();
    const QString text = QStringLiteral("selling gold, frak");
    filter.setProfanityEnabled(false);
    FilterVerdict v = filter.check(text);
    QCOMPARE(v.content, text);
    QVERIFY(!v.masked);
    QVERIFY(v.flagged);
    filter.setProfanityEnabled(true);
    filter.setKeywordsEnabled(false);
    v = filter.check(text);
    QCOMPARE(v.content, QStringLiteral("selling gold, ****"));
    QVERIFY(!v.flagged);
}

void TestContentFilter::bundledListsLoad()
{
    if (sourceDir().isEmpty())
        QSKIP("MYTHOS_SOURCE_DIR is not set (run through ctest)");
    const QString dir = sourceDir() + QStringLiteral("/resources/filters/");
    ContentFilter filter;
    const auto errors = filter.load(dir + QStringLiteral("profanity.txt"), dir + QStringLiteral("allow.txt"),
                                    dir + QStringLiteral("keywords.txt"));
    for (const FilterListError &e : errors)
        qWarning().noquote() << e.file << e.line << e.message;
    QVERIFY(errors.isEmpty());
    QVERIFY(filter.profanityEntries() > 150);
    QVERIFY(filter.keywordCount() >= 10);
    QVERIFY(filter.check(QStringLiteral("I'm selling my account for paypal")).flagged);
    QVERIFY(filter.check(QStringLiteral("I know where you live")).held);
    QVERIFY(filter.check(QStringLiteral("mail me at bob@example.com")).flagged);
    QVERIFY(filter.check(QStringLiteral("I want to die")).held);
    // Every shipped expression belongs to a named rule.
    for (const KeywordRule &r : filter.keywordRules())
        QVERIFY2(!r.category.isEmpty() && !r.name.isEmpty(), qPrintable(r.pattern));
    for (const QString &line :
         QStringList { QStringLiteral("I'm selling my account for paypal"), QStringLiteral("I know where you live"),
                       QStringLiteral("mail me at bob@example.com"), QStringLiteral("I want to die") }) {
        const FilterVerdict v = filter.check(line);
        QVERIFY(!v.matchedRules.isEmpty());
        for (const KeywordRule &r : v.matchedRules)
            QVERIFY2(!r.category.isEmpty() && !r.name.isEmpty(), qPrintable(r.pattern));
    }
    QCOMPARE(filter.check(QStringLiteral("I know where you live")).matchedRules.first().name,
             QStringLiteral("doxxing or swatting"));
    // Found by running every dictionary word through the filter: contractions and possessives
    // must not join into listed words, and "assess" is not stretched "asses".
    const QString innocent = QStringLiteral("who're As's tit's; assess the bastard sword");
    QCOMPARE(filter.check(innocent).content, innocent);
}

void TestContentFilter::bundledListSections()
{
    if (sourceDir().isEmpty())
        QSKIP("MYTHOS_SOURCE_DIR is not set (run through ctest)");
    // Every section line names a known category and severity, and no entry (as the filter
    // reads it, a phrase also run together) sits in two categories.
    QStringList problems;
    const QHash<QString, QString> categories =
            entryCategories(sourceDir() + QStringLiteral("/resources/filters/profanity.txt"), &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QHash<QString, int> perCategory;
    for (const QString &c : categories)
        ++perCategory[c];
    for (const QString &c : { QStringLiteral("profanity"), QStringLiteral("sexual"), QStringLiteral("slur"),
                              QStringLiteral("harassment") })
        QVERIFY2(perCategory.value(c) >= 200, qPrintable(c));
}

void TestContentFilter::corpusAccuracy()
{
    if (sourceDir().isEmpty())
        QSKIP("MYTHOS_SOURCE_DIR is not set (run through ctest)");
    const QString dir = sourceDir() + QStringLiteral("/resources/filters/");
    ContentFilter filter;
    QVERIFY(filter.load(dir + QStringLiteral("profanity.txt"), dir + QStringLiteral("allow.txt"),
                        dir + QStringLiteral("keywords.txt"))
                    .isEmpty());
    QFile corpus(sourceDir() + QStringLiteral("/tests/data/filter_corpus.tsv"));
    QVERIFY(corpus.open(QIODevice::ReadOnly));

    const QStringList labels { QStringLiteral("clean"), QStringLiteral("trap"), QStringLiteral("limit"),
                               QStringLiteral("profane"), QStringLiteral("obfuscated") };
    const QStringList categories { QStringLiteral("profanity"), QStringLiteral("sexual"), QStringLiteral("slur"),
                                   QStringLiteral("harassment") };
    struct Counts
    {
        int lines = 0, masked = 0, inCategory = 0;
    };
    QHash<QString, Counts> perLabel, perCategory, perLabelCategory; // positives by "label/category"
    QHash<QString, int> falseMatches; // clean and trap lines with a match of the category
    QHash<QString, int> linesMatching, positivesMatching; // lines with a match of the category
    QStringList falsePositives;
    int negatives = 0, negativesMasked = 0, flaggedNegatives = 0;
    const QStringList lines = QString::fromUtf8(corpus.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList fields = line.split(QLatin1Char('\t'));
        QVERIFY2(fields.size() == 3, qPrintable(line));
        const QString &label = fields[0], &category = fields[1], &text = fields[2];
        QVERIFY2(labels.contains(label), qPrintable(line));
        const bool positive = label == QStringLiteral("profane") || label == QStringLiteral("obfuscated");
        QVERIFY2(positive ? categories.contains(category) : category == QStringLiteral("-"), qPrintable(line));

        const FilterVerdict v = filter.check(text);
        QSet<QString> matched; // categories of the words masked in this line
        for (const FilterMatch &m : v.matches) {
            if (!m.keyword && m.action.mask)
                matched.insert(m.category);
        }
        Counts &byLabel = perLabel[label];
        ++byLabel.lines;
        byLabel.masked += v.masked;
        for (const QString &c : std::as_const(matched)) {
            ++linesMatching[c];
            positivesMatching[c] += positive;
        }
        if (!positive) {
            if (label == QStringLiteral("limit")) {
                if (v.masked)
                    qInfo().noquote() << "known limit masked:" << text << "->" << v.content;
                continue;
            }
            ++negatives;
            negativesMasked += v.masked;
            if (v.flagged || v.held)
                ++flaggedNegatives;
            for (const QString &c : std::as_const(matched))
                ++falseMatches[c];
            if (v.masked)
                falsePositives.append(QStringLiteral("%1\t%2 -> %3 (%4)")
                                              .arg(label, text, v.content, v.matchedWords.join(QStringLiteral(", "))));
            continue;
        }
        for (Counts *counts : { &perCategory[category], &perLabelCategory[label + QLatin1Char('/') + category] }) {
            ++counts->lines;
            counts->masked += v.masked;
            counts->inCategory += matched.contains(category);
        }
        if (!v.masked)
            qInfo().noquote() << "missed:" << label << category << text;
    }

    auto ratio = [](int a, int b) { return b ? QString::number(double(a) / b, 'f', 3) : QStringLiteral("-"); };
    // The table docs/moderation.md reproduces: recall is the share of the category's lines masked
    // at all, "as category" the share where a word of that category was masked; the false-positive
    // rate is over the clean and trap lines; precision is the share of lines with a word of the
    // category masked that are offensive (limit lines count against it).
    qInfo().noquote() << QStringLiteral("| category | lines | recall | as category | profane recall | "
                                        "obfuscated recall | false-positive rate | precision |");
    Counts all;
    for (const QString &c : categories) {
        const Counts &k = perCategory.value(c);
        const Counts &p = perLabelCategory.value(QStringLiteral("profane/") + c);
        const Counts &o = perLabelCategory.value(QStringLiteral("obfuscated/") + c);
        all.lines += k.lines;
        all.masked += k.masked;
        all.inCategory += k.inCategory;
        qInfo().noquote() << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 |")
                                     .arg(c)
                                     .arg(k.lines)
                                     .arg(ratio(k.masked, k.lines), ratio(k.inCategory, k.lines),
                                          ratio(p.masked, p.lines), ratio(o.masked, o.lines),
                                          ratio(falseMatches.value(c), negatives),
                                          ratio(positivesMatching.value(c), linesMatching.value(c)));
    }
    int matchingAll = 0, positivesAll = 0;
    for (const QString &c : categories) {
        matchingAll += linesMatching.value(c);
        positivesAll += positivesMatching.value(c);
    }
    const Counts &profane = perLabel.value(QStringLiteral("profane"));
    const Counts &obfuscated = perLabel.value(QStringLiteral("obfuscated"));
    qInfo().noquote() << QStringLiteral("| all | %1 | %2 | %3 | %4 | %5 | %6 | %7 |")
                                 .arg(all.lines)
                                 .arg(ratio(all.masked, all.lines), ratio(all.inCategory, all.lines),
                                      ratio(profane.masked, profane.lines), ratio(obfuscated.masked, obfuscated.lines),
                                      ratio(negativesMasked, negatives), ratio(positivesAll, matchingAll));
    for (const QString &label : labels)
        qInfo().noquote() << QStringLiteral("%1: %2 lines, %3 masked")
                                     .arg(label)
                                     .arg(perLabel.value(label).lines)
                                     .arg(perLabel.value(label).masked);
    qInfo().noquote() << QStringLiteral("keywords flagged or held %1 of %2 clean and trap lines")
                                 .arg(flaggedNegatives)
                                 .arg(negatives);

    QVERIFY(perLabel.value(QStringLiteral("clean")).lines >= 400);
    QVERIFY(perLabel.value(QStringLiteral("trap")).lines >= 250);
    QVERIFY(profane.lines >= 350);
    QVERIFY(obfuscated.lines >= 250);
    for (const QString &c : categories)
        QVERIFY2(perCategory.value(c).lines >= 80, qPrintable(c));
    // Precision first: not one clean or trap line may be masked.
    QVERIFY2(falsePositives.isEmpty(),
             qPrintable(QStringLiteral("masked clean or trap lines:\n") + falsePositives.join(QLatin1Char('\n'))));
    // Measured on this corpus, set just below what the lists reach (see docs/moderation.md); the
    // misses are lines offensive only in clean words and disguises the normalizer cannot read.
    const double profaneRecall = double(profane.masked) / profane.lines;
    const double obfuscatedRecall = double(obfuscated.masked) / obfuscated.lines;
    QVERIFY2(profaneRecall >= kProfaneRecall, qPrintable(QString::number(profaneRecall)));
    QVERIFY2(obfuscatedRecall >= kObfuscatedRecall, qPrintable(QString::number(obfuscatedRecall)));
}

QTEST_GUILESS_MAIN(TestContentFilter)
#include "tst_contentfilter.moc"
