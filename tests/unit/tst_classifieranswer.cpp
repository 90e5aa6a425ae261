// The external classifier's answers and configuration without a bus: a reply is read strictly
// (anything else is "unreadable" and gets on_failure), scores map to actions by per-category
// thresholds or by severity and the channel's level, a verdict wins, and the configuration
// refuses what it cannot use with the key's path.
#include "config/configloader.h"
#include "moderation/classifieranswer.h"

#include <QTest>

using namespace mythos;

namespace {
FilterAction action(const char *text)
{
    return parseFilterAction(QString::fromLatin1(text)).value();
}

ClassifierSection withThreatThresholds()
{
    ClassifierSection c;
    c.thresholds.insert(QStringLiteral("threat"), { { 0.4, action("flag") }, { 0.8, action("hold") } });
    return c;
}

FilterLevel strictLevel()
{
    // Harassment: mild masked, moderate and up held; every other category what "listed" gives.
    FilterLevel level { QStringLiteral("strict"), {}, std::nullopt };
    level.categories.insert(
            QStringLiteral("harassment"),
            actionsFromSeverities({ { Severity::Mild, action("mask") }, { Severity::Moderate, action("mask+hold") } }));
    return level;
}
} // namespace

class TestClassifierAnswer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsReplies_data();
    void readsReplies();
    void mapsAnswers_data();
    void mapsAnswers();
    void failureTakesOnFailure();
    void masksTheWholeLine();
    void loadsConfiguration();
    void refusesBadConfiguration_data();
    void refusesBadConfiguration();
};

void TestClassifierAnswer::readsReplies_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");
    using K = ParsedClassifierReply::Kind;
    QTest::newRow("scores") << QByteArray(R"({"categories":{"threat":0.9}})") << int(K::Answer);
    QTest::newRow("verdict") << QByteArray(R"({"verdict":"mask+flag","reason":"x"})") << int(K::Answer);
    QTest::newRow("empty categories") << QByteArray(R"({"categories":{}})") << int(K::Answer);
    QTest::newRow("error") << QByteArray(R"({"error":"model not loaded"})") << int(K::ClassifierError);
    QTest::newRow("not json") << QByteArray("nope {") << int(K::Unreadable);
    QTest::newRow("array") << QByteArray("[1]") << int(K::Unreadable);
    QTest::newRow("empty") << QByteArray() << int(K::Unreadable);
    QTest::newRow("neither") << QByteArray(R"({"model":"m"})") << int(K::Unreadable);
    QTest::newRow("listed verdict") << QByteArray(R"({"verdict":"listed"})") << int(K::Unreadable);
    QTest::newRow("unknown verdict") << QByteArray(R"({"verdict":"ban"})") << int(K::Unreadable);
    QTest::newRow("score above 1") << QByteArray(R"({"categories":{"threat":1.5}})") << int(K::Unreadable);
    QTest::newRow("score as text") << QByteArray(R"({"categories":{"threat":"high"}})") << int(K::Unreadable);
    QTest::newRow("bad category") << QByteArray(R"({"categories":{"Threat Level":0.5}})") << int(K::Unreadable);
}

void TestClassifierAnswer::readsReplies()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);
    const ParsedClassifierReply r = parseClassifierReply(payload);
    QCOMPARE(int(r.kind), kind);
    if (r.kind != ParsedClassifierReply::Kind::Answer)
        QVERIFY(!r.problem.isEmpty());
}

void TestClassifierAnswer::mapsAnswers_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("level"); // the channel's level: 0 empty, 1 strict, 2 the built-in standard
    QTest::addColumn<QString>("expected");
    QTest::newRow("nothing found") << QByteArray(R"({"categories":{}})") << 0 << "allow";
    QTest::newRow("below mild") << QByteArray(R"({"categories":{"profanity":0.49}})") << 0 << "allow";
    QTest::newRow("standard level flags") << QByteArray(R"({"categories":{"profanity":0.5}})") << 0 << "flag";
    QTest::newRow("threshold below") << QByteArray(R"({"categories":{"threat":0.39}})") << 0 << "allow";
    QTest::newRow("threshold flag") << QByteArray(R"({"categories":{"threat":0.4}})") << 0 << "flag";
    QTest::newRow("threshold highest wins") << QByteArray(R"({"categories":{"threat":0.95}})") << 0 << "hold";
    QTest::newRow("level mild") << QByteArray(R"({"categories":{"harassment":0.6}})") << 1 << "mask";
    QTest::newRow("level moderate") << QByteArray(R"({"categories":{"harassment":0.8}})") << 1 << "mask+hold";
    QTest::newRow("categories combine") << QByteArray(R"({"categories":{"harassment":0.6,"threat":0.5}})") << 1
                                        << "mask+flag";
    QTest::newRow("verdict wins") << QByteArray(R"({"verdict":"allow","categories":{"threat":0.99}})") << 0 << "allow";
    QTest::newRow("built-in standard, mild harassment")
            << QByteArray(R"({"categories":{"harassment":0.6}})") << 2 << "allow";
    QTest::newRow("built-in standard, moderate harassment")
            << QByteArray(R"({"categories":{"harassment":0.8}})") << 2 << "flag";
    QTest::newRow("verdict alone") << QByteArray(R"({"verdict":"flag+hold"})") << 0 << "flag+hold";
}

void TestClassifierAnswer::mapsAnswers()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, level);
    QFETCH(QString, expected);
    const ParsedClassifierReply r = parseClassifierReply(payload);
    QCOMPARE(int(r.kind), int(ParsedClassifierReply::Kind::Answer));
    const FilterLevel empty { QStringLiteral("empty"), {}, std::nullopt };
    const FilterLevel chosen = level == 1 ? strictLevel()
            : level == 2                  ? builtInFilterLevels().value(QStringLiteral("standard"))
                                          : empty;
    const ClassifierDecision d = decide(r.answer, withThreatThresholds(), chosen);
    QCOMPARE(d.action.toString(), expected);
    QVERIFY(!d.failed);
    QCOMPARE(d.matches.isEmpty(), expected == QLatin1String("allow") && !r.answer.verdict);
}

void TestClassifierAnswer::failureTakesOnFailure()
{
    ClassifierSection c;
    QCOMPARE(failureDecision(c, QStringLiteral("timeout")).action.toString(), QStringLiteral("allow"));
    c.onFailure = action("hold");
    const ClassifierDecision d = failureDecision(c, QStringLiteral("timeout"));
    QCOMPARE(d.action.toString(), QStringLiteral("hold"));
    QVERIFY(d.failed);
    QVERIFY(d.label.contains(QStringLiteral("timeout")));
}

void TestClassifierAnswer::masksTheWholeLine()
{
    QCOMPARE(maskedWhole(QStringLiteral("you  fool!")), QStringLiteral("***  *****"));
}

void TestClassifierAnswer::loadsConfiguration()
{
    const auto r = configloader::parse("chat:\n"
                                       "  content_filtering:\n"
                                       "    classifier:\n"
                                       "      enabled: true\n"
                                       "      subject: mud.moderation.classify\n"
                                       "      timeout_ms: 80\n"
                                       "      on_failure: hold\n"
                                       "      channels: [say, global]\n"
                                       "      severity_scores: {mild: 0.6, moderate: 0.7, severe: 0.95}\n"
                                       "      categories:\n"
                                       "        threat: {flag: 0.4, hold: 0.8}\n");
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const ClassifierSection &c = r->contentFiltering.classifier;
    QVERIFY(c.enabled);
    QCOMPARE(c.subject, QStringLiteral("mud.moderation.classify"));
    QCOMPARE(c.timeoutMs, 80);
    QCOMPARE(c.onFailure.toString(), QStringLiteral("hold"));
    QCOMPARE(c.channels, (QStringList { QStringLiteral("say"), QStringLiteral("global") }));
    QVERIFY(c.classifies(QStringLiteral("say")) && !c.classifies(QStringLiteral("zone")));
    QCOMPARE(c.severityScores[0], 0.6);
    QCOMPARE(c.thresholds.value(QStringLiteral("threat")).size(), 2);
    QCOMPARE(c.thresholds.value(QStringLiteral("threat")).last().action.toString(), QStringLiteral("hold"));
    // Off by default, with a 50 ms budget that fails open.
    const ClassifierSection defaults = configloader::parse({}).value().contentFiltering.classifier;
    QVERIFY(!defaults.enabled);
    QCOMPARE(defaults.timeoutMs, 50);
    QVERIFY(defaults.onFailure.isAllow());
}

void TestClassifierAnswer::refusesBadConfiguration_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("path");
    QTest::newRow("timeout") << QByteArray("timeout_ms: 0") << "classifier.timeout_ms";
    QTest::newRow("on_failure") << QByteArray("on_failure: drop") << "classifier.on_failure";
    QTest::newRow("on_failure listed") << QByteArray("on_failure: listed") << "classifier.on_failure";
    QTest::newRow("wildcard subject") << QByteArray("subject: chat.*") << "classifier.subject";
    QTest::newRow("unknown channel") << QByteArray("channels: [say, shout]") << "classifier.channels";
    QTest::newRow("scores out of order") << QByteArray("severity_scores: {mild: 0.9, moderate: 0.5}")
                                         << "classifier.severity_scores.moderate";
    QTest::newRow("score range") << QByteArray("categories: {threat: {hold: 2}}")
                                 << "classifier.categories.threat.hold";
    QTest::newRow("threshold action") << QByteArray("categories: {threat: {ban: 0.5}}")
                                      << "classifier.categories.threat.ban";
    QTest::newRow("category name") << QByteArray("categories: {Threat: {hold: 0.5}}") << "classifier.categories.Threat";
    QTest::newRow("unknown key") << QByteArray("budget: 50") << "classifier.budget";
}

void TestClassifierAnswer::refusesBadConfiguration()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, path);
    const auto r = configloader::parse("chat:\n  content_filtering:\n    classifier:\n      " + body + '\n');
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QStringLiteral("chat.content_filtering.") + path), qPrintable(r.error()));
}

QTEST_GUILESS_MAIN(TestClassifierAnswer)
#include "tst_classifieranswer.moc"
