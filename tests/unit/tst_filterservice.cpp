// The filter as the server runs it: lists from configured files, reloaded when a file changes,
// the previous lists kept while a file cannot be read, bad expressions reported by line.
#include "config/config.h"
#include "moderation/filterservice.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;

namespace {
void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
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
    ContentFilteringSection config;
    config.profanityList = dir.filePath(QStringLiteral("profanity.txt"));
    config.keywordList = dir.filePath(QStringLiteral("keywords.txt"));
    config.allowList = dir.filePath(QStringLiteral("allow.txt"));
    writeFile(config.profanityList, "grobble\n");
    writeFile(config.keywordList, "");
    writeFile(config.allowList, "");
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
    ContentFilteringSection config;
    config.profanityList = dir.filePath(QStringLiteral("profanity.txt"));
    config.keywordList = dir.filePath(QStringLiteral("keywords.txt"));
    config.allowList = dir.filePath(QStringLiteral("allow.txt"));
    writeFile(config.profanityList, "grobble\n");
    writeFile(config.keywordList, "");
    writeFile(config.allowList, "");
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

QTEST_GUILESS_MAIN(TestFilterService)
#include "tst_filterservice.moc"
