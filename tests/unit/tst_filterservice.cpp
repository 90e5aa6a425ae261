// The filter as the server runs it: lists from configured files, reloaded when a file changes,
// the previous lists kept while a file cannot be read, bad expressions reported by line.
#include "config/config.h"
#include "moderation/filterservice.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <memory>

using namespace mythos;

namespace {
void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}
// A configuration whose three lists are files in `dir`: this profanity list, the others empty.
ContentFilteringSection listsIn(const QTemporaryDir &dir, const QByteArray &profanity)
{
    ContentFilteringSection config;
    config.profanityList = dir.filePath(QStringLiteral("profanity.txt"));
    config.keywordList = dir.filePath(QStringLiteral("keywords.txt"));
    config.allowList = dir.filePath(QStringLiteral("allow.txt"));
    writeFile(config.profanityList, profanity);
    writeFile(config.keywordList, "");
    writeFile(config.allowList, "");
    return config;
}

ChannelSpec sayChannel()
{
    ChannelSpec say;
    say.name = QStringLiteral("say");
    return say;
}
} // namespace

class TestFilterService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bundledListsLoad();
    void reloadsWhenAFileChanges();
    void keepsListsWhileAFileIsUnreadable();
    void badExpressionReportedWithItsLine();
    void switchedOffPassesEverything();
    void workerThreadKeepsTheOrder();
    void workerThreadFinishesWithTheListsItStarted();
    void workerThreadDropsAVerdictWhoseAskerIsGone();
    void aFloodWaitsForTheWorkerInsteadOfQueueingWithoutBound();
};

void TestFilterService::bundledListsLoad()
{
    ContentFilteringSection config;
    FilterService service(config);
    QVERIFY(service.reload().isEmpty());
    QVERIFY(service.check(QStringLiteral("oh fuck")).masked);
    QVERIFY(service.check(QStringLiteral("i know where you live")).held);
}

void TestFilterService::reloadsWhenAFileChanges()
{
    QTemporaryDir dir;
    ContentFilteringSection config = listsIn(dir, "grobble\n");
    FilterService service(config);
    service.reload();
    QVERIFY(service.check(QStringLiteral("you grobble")).masked);
    QVERIFY(!service.check(QStringLiteral("you snorgle")).masked);
    QSignalSpy reloaded(&service, &FilterService::reloaded);
    writeFile(config.profanityList, "grobble\nsnorgle\n");
    QVERIFY(reloaded.wait(5000));
    QVERIFY(service.check(QStringLiteral("you snorgle")).masked);
}

void TestFilterService::keepsListsWhileAFileIsUnreadable()
{
    QTemporaryDir dir;
    ContentFilteringSection config = listsIn(dir, "grobble\n");
    FilterService service(config);
    service.reload();
    QVERIFY(QFile::remove(config.profanityList));
    const QList<FilterListError> problems = service.reload();
    QVERIFY(!problems.isEmpty());
    QCOMPARE(problems.first().line, 0);
    QVERIFY(service.check(QStringLiteral("you grobble")).masked); // still the old lists
}

void TestFilterService::badExpressionReportedWithItsLine()
{
    QTemporaryDir dir;
    ContentFilteringSection config;
    config.keywordList = dir.filePath(QStringLiteral("keywords.txt"));
    writeFile(config.keywordList, "# comment\n\\bgood\\s+one\\b\n(unclosed\nhold:\\bworse\\b\n");
    FilterService service(config);
    const QList<FilterListError> problems = service.reload();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().line, 3);
    QVERIFY(problems.first().file.endsWith(QStringLiteral("keywords.txt")));
    QVERIFY(service.check(QStringLiteral("a good one")).flagged);
    QVERIFY(service.check(QStringLiteral("even worse")).held);
}

void TestFilterService::switchedOffPassesEverything()
{
    ContentFilteringSection config;
    config.enabled = false;
    FilterService service(config);
    service.reload();
    const FilterVerdict v = service.check(QStringLiteral("oh fuck, i know where you live"));
    QVERIFY(!v.masked && !v.flagged && !v.held);
    QCOMPARE(v.content, QStringLiteral("oh fuck, i know where you live"));
}

void TestFilterService::workerThreadKeepsTheOrder()
{
    ContentFilteringSection config;
    FilterService service(config);
    service.reload();
    service.startWorkerThread();
    QObject asker;
    const ChannelSpec say = sayChannel();
    QList<int> order;
    QList<bool> masked;
    bool onOwnThread = true;
    for (int i = 0; i < 200; ++i) {
        const QString text = i % 3 == 0 ? QStringLiteral("line %1 you shit").arg(i) : QStringLiteral("line %1").arg(i);
        service.checkInOrder(text, say, &asker, [&, i](const FilterVerdict &v) {
            onOwnThread = onOwnThread && QThread::currentThread() == asker.thread();
            order.append(i);
            masked.append(v.masked);
        });
    }
    QVERIFY(order.isEmpty()); // asked of the worker, not answered in place
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 200, 5000);
    QVERIFY(onOwnThread);
    for (int i = 0; i < 200; ++i) {
        QCOMPARE(order[i], i);
        QCOMPARE(masked[i], i % 3 == 0);
    }
    QCOMPARE(service.checksOffThread(), quint64(200));
}

void TestFilterService::workerThreadFinishesWithTheListsItStarted()
{
    QTemporaryDir dir;
    ContentFilteringSection config = listsIn(dir, "grobble\n");
    FilterService service(config);
    service.reload();
    service.startWorkerThread();
    QObject asker;
    QList<bool> masked;
    const ChannelSpec say = sayChannel();
    for (int i = 0; i < 50; ++i)
        service.checkInOrder(QStringLiteral("you grobble"), say, &asker,
                             [&](const FilterVerdict &v) { masked.append(v.masked); });
    // New lists while those are in flight: the checks already asked keep the lists they had.
    writeFile(config.profanityList, "snorgle\n");
    service.reload();
    service.checkInOrder(QStringLiteral("you grobble"), say, &asker,
                         [&](const FilterVerdict &v) { masked.append(v.masked); });
    QTRY_COMPARE_WITH_TIMEOUT(masked.size(), 51, 5000);
    QVERIFY(std::all_of(masked.begin(), masked.end() - 1, [](bool m) { return m; }));
    QVERIFY(!masked.last());
}

void TestFilterService::workerThreadDropsAVerdictWhoseAskerIsGone()
{
    ContentFilteringSection config;
    FilterService service(config);
    service.reload();
    service.startWorkerThread();
    int answered = 0;
    auto asker = std::make_unique<QObject>();
    QObject stays;
    const ChannelSpec say = sayChannel();
    service.checkInOrder(QStringLiteral("gone"), say, asker.get(), [&](const FilterVerdict &) { ++answered; });
    asker.reset();
    bool last = false;
    service.checkInOrder(QStringLiteral("still here"), say, &stays, [&](const FilterVerdict &) { last = true; });
    QTRY_VERIFY_WITH_TIMEOUT(last, 5000);
    QCOMPARE(answered, 0);
}

void TestFilterService::aFloodWaitsForTheWorkerInsteadOfQueueingWithoutBound()
{
    ContentFilteringSection config;
    FilterService service(config);
    service.reload();
    service.startWorkerThread();
    QObject asker;
    const ChannelSpec say = sayChannel();
    const QString text = QString(400, QLatin1Char('z')) + QStringLiteral(" you shit");
    QList<int> order;
    quint64 mostInFlight = 0;
    const int checks = 3 * FilterService::maxChecksInFlight(); // well past the bound
    for (int i = 0; i < checks; ++i) {
        service.checkInOrder(text, say, &asker, [&, i](const FilterVerdict &) { order.append(i); });
        mostInFlight = std::max(mostInFlight, service.checksInFlight());
    }
    QVERIFY2(mostInFlight <= quint64(FilterService::maxChecksInFlight()), qPrintable(QString::number(mostInFlight)));
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), checks, 30000);
    for (int i = 0; i < checks; ++i)
        QCOMPARE(order[i], i);
    QCOMPARE(service.checksInFlight(), quint64(0));
}

QTEST_GUILESS_MAIN(TestFilterService)
#include "tst_filterservice.moc"
