// The filter dry run: the engine that compares two filter setups over logged chat (a word
// added, a word removed, a stricter level on one channel, nothing changed, examples capped),
// the candidate levels file read over a configuration, and the whole run over audit-log files.
#include "audit/auditlog.h"
#include "config/filterleveloverlay.h"
#include "moderation/filterdryrun.h"
#include "moderation/filterdryrunjob.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;

namespace {

const QString kLists = QStringLiteral("frak\n@category slur severe\nslurword\n");

FilterSetup setup(const QString &profanity, const Config &config = {})
{
    FilterSetup s { {}, config.contentFiltering, config.channels };
    const auto errors = s.filter.loadFromText(profanity, QString(), QString());
    if (!errors.isEmpty())
        qWarning() << "unexpected list errors:" << errors.first().message;
    return s;
}

QJsonObject line(const QString &id, const QString &channel, const QString &content)
{
    return { { QStringLiteral("ts"), QStringLiteral("2026-12-01T10:00:00.000Z") },
             { QStringLiteral("event"), QStringLiteral("message") },
             { QStringLiteral("message_id"), id },
             { QStringLiteral("channel"), channel },
             { QStringLiteral("sender_id"), QStringLiteral("alice") },
             { QStringLiteral("sender_name"), QStringLiteral("Alice") },
             { QStringLiteral("content"), content } };
}

// report.outcomes.<outcome>.<field>
qint64 count(const QJsonObject &report, const char *outcome, const char *field)
{
    return qint64(report[QStringLiteral("outcomes")][QLatin1String(outcome)][QLatin1String(field)].toDouble());
}

QJsonArray examples(const QJsonObject &report, const char *outcome, const char *direction)
{
    return report[QStringLiteral("examples")][QLatin1String(outcome)][QLatin1String(direction)].toArray();
}

Config withLevels(const QByteArray &yaml)
{
    auto applied = applyFilterLevelOverlay(yaml, Config {}, QStringLiteral("levels.yaml"));
    if (!applied)
        qWarning().noquote() << applied.error();
    return applied ? applied.value() : Config {};
}

} // namespace

class TestFilterDryRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addedWordIsNewlyMasked();
    void removedWordStopsBeingMasked();
    void stricterLevelHoldsOnItsChannelOnly();
    void unchangedCandidateChangesNothing();
    void examplesAreCapped();
    void otherLinesAreSkipped();
    void levelsFile_data();
    void levelsFile();
    void levelsFileKeepsLevelsItDoesNotName();
    void runOverAuditFiles();
    void noLogsInRangeIsAnEmptyReport();
    void badCandidateListNamesFileAndLine();
    void candidateFolder();
};

void TestFilterDryRun::addedWordIsNewlyMasked()
{
    const FilterSetup current = setup(kLists),
                      candidate = setup(kLists + QStringLiteral("@category profanity mild\ngrue\n"));
    FilterDryRun run(current, candidate, 5);
    run.replay(line(QStringLiteral("m1"), QStringLiteral("say"), QStringLiteral("the grue bites")));
    run.replay(line(QStringLiteral("m2"), QStringLiteral("say"), QStringLiteral("frak this")));
    run.replay(line(QStringLiteral("m3"), QStringLiteral("say"), QStringLiteral("hello")));
    const QJsonObject r = run.report();
    QCOMPARE(r[QStringLiteral("messages")].toInt(), 3);
    QCOMPARE(r[QStringLiteral("changed")].toInt(), 1);
    QCOMPARE(count(r, "masked", "before"), 1);
    QCOMPARE(count(r, "masked", "after"), 2);
    QCOMPARE(count(r, "masked", "newly"), 1);
    QCOMPARE(count(r, "masked", "no_longer"), 0);
    QCOMPARE(r[QStringLiteral("categories")][QStringLiteral("profanity")][QStringLiteral("masked")]
              [QStringLiteral("newly")]
                      .toInt(),
             1);
    const QJsonArray newly = examples(r, "masked", "newly");
    QCOMPARE(newly.size(), 1);
    const QJsonObject e = newly[0].toObject();
    QCOMPARE(e[QStringLiteral("message_id")].toString(), QStringLiteral("m1"));
    QCOMPARE(e[QStringLiteral("sender_name")].toString(), QStringLiteral("Alice"));
    QCOMPARE(e[QStringLiteral("content")].toString(), QStringLiteral("the grue bites"));
    QCOMPARE(e[QStringLiteral("before")][QStringLiteral("content")].toString(), QStringLiteral("the grue bites"));
    QCOMPARE(e[QStringLiteral("before")][QStringLiteral("masked")].toBool(), false);
    QCOMPARE(e[QStringLiteral("after")][QStringLiteral("content")].toString(), QStringLiteral("the **** bites"));
    QCOMPARE(e[QStringLiteral("after")][QStringLiteral("matched")].toArray().first().toString(),
             QStringLiteral("profanity mild 'grue': mask"));
    QVERIFY(examples(r, "masked", "no_longer").isEmpty());
}

void TestFilterDryRun::removedWordStopsBeingMasked()
{
    const FilterSetup current = setup(kLists), candidate = setup(QStringLiteral("@category slur severe\nslurword\n"));
    FilterDryRun run(current, candidate, 5);
    run.replay(line(QStringLiteral("m1"), QStringLiteral("say"), QStringLiteral("frak this")));
    const QJsonObject r = run.report();
    QCOMPARE(count(r, "masked", "newly"), 0);
    QCOMPARE(count(r, "masked", "no_longer"), 1);
    const QJsonArray gone = examples(r, "masked", "no_longer");
    QCOMPARE(gone.size(), 1);
    QCOMPARE(gone[0][QStringLiteral("before")][QStringLiteral("content")].toString(), QStringLiteral("**** this"));
    QCOMPARE(gone[0][QStringLiteral("after")][QStringLiteral("content")].toString(), QStringLiteral("frak this"));
}

void TestFilterDryRun::stricterLevelHoldsOnItsChannelOnly()
{
    const Config family = withLevels("chat:\n  channels:\n    say:\n      filter_level: family\n");
    QCOMPARE(family.channel(u"say")->filterLevel, QStringLiteral("family"));
    const FilterSetup current = setup(kLists), candidate = setup(kLists, family);
    FilterDryRun run(current, candidate, 5);
    run.replay(line(QStringLiteral("m1"), QStringLiteral("say"), QStringLiteral("you slurword")));
    run.replay(line(QStringLiteral("m2"), QStringLiteral("global"), QStringLiteral("you slurword")));
    const QJsonObject r = run.report();
    // Masked under both (standard masks slurs); family also holds them, on `say` only.
    QCOMPARE(count(r, "masked", "newly"), 0);
    QCOMPARE(count(r, "masked", "after"), 2);
    QCOMPARE(count(r, "held", "before"), 0);
    QCOMPARE(count(r, "held", "newly"), 1);
    QCOMPARE(r[QStringLiteral("categories")][QStringLiteral("slur")][QStringLiteral("held")][QStringLiteral("newly")]
                     .toInt(),
             1);
    const QJsonArray held = examples(r, "held", "newly");
    QCOMPARE(held.size(), 1);
    QCOMPARE(held[0][QStringLiteral("message_id")].toString(), QStringLiteral("m1"));
    QCOMPARE(held[0][QStringLiteral("after")][QStringLiteral("held")].toBool(), true);
}

void TestFilterDryRun::unchangedCandidateChangesNothing()
{
    const FilterSetup current = setup(kLists), candidate = setup(kLists);
    FilterDryRun run(current, candidate, 5);
    for (const QString &text : { QStringLiteral("frak"), QStringLiteral("slurword"), QStringLiteral("hello") })
        run.replay(line(QStringLiteral("m"), QStringLiteral("say"), text));
    const QJsonObject r = run.report();
    QCOMPARE(r[QStringLiteral("messages")].toInt(), 3);
    QCOMPARE(r[QStringLiteral("changed")].toInt(), 0);
    for (const char *o : { "masked", "flagged", "held" }) {
        QCOMPARE(count(r, o, "newly"), 0);
        QCOMPARE(count(r, o, "no_longer"), 0);
        QCOMPARE(count(r, o, "before"), count(r, o, "after"));
        QVERIFY(examples(r, o, "newly").isEmpty());
        QVERIFY(examples(r, o, "no_longer").isEmpty());
    }
    QCOMPARE(count(r, "masked", "before"), 2);
    QVERIFY(r[QStringLiteral("categories")].toObject().isEmpty());
}

void TestFilterDryRun::examplesAreCapped()
{
    const FilterSetup current = setup(QString()), candidate = setup(kLists);
    FilterDryRun run(current, candidate, 3);
    for (int i = 0; i < 10; ++i)
        run.replay(line(QStringLiteral("m%1").arg(i), QStringLiteral("say"), QStringLiteral("frak")));
    const QJsonObject r = run.report();
    QCOMPARE(count(r, "masked", "newly"), 10);
    const QJsonArray kept = examples(r, "masked", "newly");
    QCOMPARE(kept.size(), 3);
    QCOMPARE(kept[0][QStringLiteral("message_id")].toString(), QStringLiteral("m0")); // the first ones, in order
}

void TestFilterDryRun::otherLinesAreSkipped()
{
    const FilterSetup current = setup(kLists), candidate = setup(QString());
    FilterDryRun run(current, candidate, 5);
    QJsonObject notAMessage = line(QStringLiteral("m1"), QStringLiteral("say"), QStringLiteral("frak"));
    notAMessage[QStringLiteral("event")] = QStringLiteral("import");
    run.replay(notAMessage);
    run.replay(QJsonObject { { QStringLiteral("event"), QStringLiteral("message") } }); // no content
    QCOMPARE(run.report()[QStringLiteral("skipped_lines")].toInt(), 2);
    QCOMPARE(run.messages(), 0);
}

void TestFilterDryRun::levelsFile_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::newRow("default level") << QByteArray("chat:\n  content_filtering:\n    default_level: adult\n")
                                   << QString();
    QTest::newRow("a new level used by a channel")
            << QByteArray("chat:\n  content_filtering:\n    levels:\n      teens:\n        slur: mask+hold\n"
                          "  channels:\n    global:\n      filter_level: teens\n")
            << QString();
    QTest::newRow("empty file") << QByteArray() << QString();
    QTest::newRow("another key") << QByteArray("chat:\n  content_filtering:\n    enabled: false\n")
                                 << QStringLiteral("levels.yaml: chat.content_filtering.enabled: unknown key");
    QTest::newRow("a channel key other than filter_level")
            << QByteArray("chat:\n  channels:\n    say:\n      scope: zone\n")
            << QStringLiteral("levels.yaml: chat.channels.say.scope: unknown key");
    QTest::newRow("unknown channel") << QByteArray("chat:\n  channels:\n    ooc:\n      filter_level: adult\n")
                                     << QStringLiteral("levels.yaml: chat.channels.ooc: no such channel");
    QTest::newRow("no such level") << QByteArray("chat:\n  content_filtering:\n    default_level: strict\n")
                                   << QStringLiteral("levels.yaml: chat.content_filtering.default_level: no level "
                                                     "named 'strict'");
    QTest::newRow("bad action")
            << QByteArray("chat:\n  content_filtering:\n    levels:\n      teens:\n        slur: censor\n")
            << QStringLiteral("levels.yaml: chat.content_filtering.levels.teens.slur: 'censor' is not an action");
    QTest::newRow("syntax") << QByteArray("chat: [\n") << QStringLiteral("levels.yaml: YAML syntax error at line");
    QTest::newRow("server key") << QByteArray("server:\n  port: 1\n")
                                << QStringLiteral("levels.yaml: server: unknown key");
}

void TestFilterDryRun::levelsFile()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    const auto applied = applyFilterLevelOverlay(yaml, Config {}, QStringLiteral("levels.yaml"));
    if (error.isEmpty())
        QVERIFY2(applied.ok(), qPrintable(applied.error()));
    else
        QVERIFY2(!applied && applied.error().contains(error), qPrintable(applied.error()));
}

void TestFilterDryRun::levelsFileKeepsLevelsItDoesNotName()
{
    Config running;
    running.contentFiltering.levels.insert(QStringLiteral("teens"), FilterLevel { QStringLiteral("teens"), {}, {} });
    running.contentFiltering.defaultLevel = QStringLiteral("teens");
    const auto applied = applyFilterLevelOverlay(
            "chat:\n  content_filtering:\n    levels:\n      kids:\n        profanity: mask+hold\n", running,
            QStringLiteral("levels.yaml"));
    QVERIFY2(applied.ok(), qPrintable(applied.error()));
    QVERIFY(applied.value().contentFiltering.levels.contains(QStringLiteral("teens")));
    QVERIFY(applied.value().contentFiltering.levels.contains(QStringLiteral("kids")));
    QCOMPARE(applied.value().contentFiltering.defaultLevel, QStringLiteral("teens"));
}

namespace {
// A configuration whose lists are files in `dir` and whose audit trail is dir/logs.
Config filesConfig(const QTemporaryDir &dir, const QString &profanity)
{
    Config c;
    c.logging.dir = dir.filePath(QStringLiteral("logs"));
    c.contentFiltering.profanityList = dir.filePath(QStringLiteral("profanity.txt"));
    c.contentFiltering.allowList = dir.filePath(QStringLiteral("allow.txt"));
    c.contentFiltering.keywordList = dir.filePath(QStringLiteral("keywords.txt"));
    for (const auto &[name, text] : { std::pair { QStringLiteral("profanity.txt"), profanity },
                                      std::pair { QStringLiteral("allow.txt"), QString() },
                                      std::pair { QStringLiteral("keywords.txt"), QString() } }) {
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(text.toUtf8());
    }
    return c;
}
} // namespace

void TestFilterDryRun::runOverAuditFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FilterDryRunInput in;
    in.config = filesConfig(dir, kLists);
    in.today = QDate(2026, 12, 7);
    in.days = 2; // 6 and 7 December
    AuditLog audit(in.config.logging.dir, QStringLiteral("node-1"), 36500);
    QString error;
    QVERIFY2(audit.open(&error), qPrintable(error));
    auto chat = [&](const QString &id, const QString &channel, const QString &content, int day) {
        audit.write(AuditCategory::Chat, QStringLiteral("message"),
                    { { QStringLiteral("message_id"), id },
                      { QStringLiteral("channel"), channel },
                      { QStringLiteral("sender_id"), QStringLiteral("bob") },
                      { QStringLiteral("sender_name"), QStringLiteral("Bob") },
                      { QStringLiteral("content"), content } },
                    QDateTime(QDate(2026, 12, day), QTime(12, 0), Qt::UTC));
    };
    chat(QStringLiteral("old"), QStringLiteral("say"), QStringLiteral("grue"), 5); // before the range
    chat(QStringLiteral("w1"), QStringLiteral("whisper"), QStringLiteral("a grue, quietly"), 6);
    chat(QStringLiteral("s1"), QStringLiteral("say"), QStringLiteral("frak"), 7);
    audit.flush();
    in.lists[0] = CandidateList { kLists + QStringLiteral("grue\n"), QStringLiteral("cand/profanity.txt") };

    const auto report = runFilterDryRun(in);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    const QJsonObject r = report.value();
    QCOMPARE(r[QStringLiteral("from")].toString(), QStringLiteral("2026-12-06"));
    QCOMPARE(r[QStringLiteral("to")].toString(), QStringLiteral("2026-12-07"));
    QCOMPARE(r[QStringLiteral("day_files")].toInt(), 2);
    QCOMPARE(r[QStringLiteral("messages")].toInt(), 2);
    QCOMPARE(count(r, "masked", "newly"), 1);
    QCOMPARE(examples(r, "masked", "newly")[0][QStringLiteral("message_id")].toString(), QStringLiteral("w1"));
    QCOMPARE(r[QStringLiteral("whispers_included")].toBool(), true);
    QCOMPARE(r[QStringLiteral("candidate")][QStringLiteral("profanity")].toString(),
             QStringLiteral("cand/profanity.txt"));
    QVERIFY(r[QStringLiteral("candidate")][QStringLiteral("allow")].isNull());
    QVERIFY(!r.contains(QStringLiteral("note")));
    QVERIFY(filterDryRunText(r).contains(QStringLiteral("newly masked (1 of 1):")));
}

void TestFilterDryRun::noLogsInRangeIsAnEmptyReport()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FilterDryRunInput in;
    in.config = filesConfig(dir, kLists);
    QVERIFY(QDir().mkpath(in.config.logging.dir));
    in.lists[0] = CandidateList { QString(), QStringLiteral("request") };
    const auto report = runFilterDryRun(in);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value()[QStringLiteral("messages")].toInt(), 0);
    QVERIFY(report.value()[QStringLiteral("note")].toString().startsWith(QStringLiteral("no chat messages logged")));
    QVERIFY(filterDryRunText(report.value()).contains(QStringLiteral("note: no chat messages logged")));

    in.config.logging.dir = dir.filePath(QStringLiteral("missing"));
    const auto missing = runFilterDryRun(in);
    QVERIFY(!missing);
    QVERIFY2(missing.error().contains(QStringLiteral("no audit trail at")), qPrintable(missing.error()));
}

void TestFilterDryRun::badCandidateListNamesFileAndLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FilterDryRunInput in;
    in.config = filesConfig(dir, kLists);
    QVERIFY(QDir().mkpath(in.config.logging.dir));
    in.lists[2] =
            CandidateList { QStringLiteral("# rules\n\\bok\\b\n(unclosed\n"), QStringLiteral("cand/keywords.txt") };
    const auto report = runFilterDryRun(in);
    QVERIFY(!report);
    QVERIFY2(report.error().startsWith(QStringLiteral("cand/keywords.txt:3: invalid regular expression")),
             qPrintable(report.error()));
}

void TestFilterDryRun::candidateFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(!readCandidateFolder(dir.filePath(QStringLiteral("nope"))));
    const auto empty = readCandidateFolder(dir.path());
    QVERIFY(!empty);
    QVERIFY2(empty.error().contains(QStringLiteral("holds none of profanity.txt, allow.txt, keywords.txt")),
             qPrintable(empty.error()));
    QFile f(dir.filePath(QStringLiteral("allow.txt")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("grue pie\n");
    f.close();
    const auto lists = readCandidateFolder(dir.path());
    QVERIFY2(lists.ok(), qPrintable(lists.error()));
    QVERIFY(!lists.value()[0] && !lists.value()[2]);
    QCOMPARE(lists.value()[1]->text, QStringLiteral("grue pie\n"));
    QCOMPARE(lists.value()[1]->origin, dir.filePath(QStringLiteral("allow.txt")));
}

QTEST_GUILESS_MAIN(TestFilterDryRun)
#include "tst_filterdryrun.moc"
