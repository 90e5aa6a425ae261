// The shipped alert rules and dashboard (resources/monitoring) only use metrics a live server
// exports: scrape one (real NATS, SQLite) and look up every `mythos_*` name they mention. The
// rules' logic itself is tested by `promtool test rules` (ctest entry monitoring_rules).
#include "natsserver.h"
#include "testserver.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
QSet<QString> metricNamesIn(const QString &text)
{
    static const QRegularExpression name(QStringLiteral("\\bmythos_[a-z_]+"));
    QSet<QString> names;
    for (auto it = name.globalMatch(text); it.hasNext();)
        names.insert(it.next().captured(0));
    return names;
}

QString readSource(const QString &relative)
{
    QFile f(qEnvironmentVariable("MYTHOS_SOURCE_DIR") + QLatin1Char('/') + relative);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
} // namespace

class TestMonitoring : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rulesAndDashboardUseExportedMetrics_data();
    void rulesAndDashboardUseExportedMetrics();

private:
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    QSet<QString> m_exported;
};

void TestMonitoring::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    m_server = std::make_unique<TestServer>(testConfig(m_nats.url()));
    QVERIFY(m_server->start());
    QVERIFY(m_server->waitForNats());
    QNetworkAccessManager nam;
    QNetworkReply *reply =
            nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(m_server->port()))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(reply->isFinished() || done.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    // Sample lines only (not HELP text): a name counts when the server writes a value for it.
    for (const QByteArray &line : reply->readAll().split('\n')) {
        if (line.startsWith("mythos_"))
            m_exported.insert(QString::fromUtf8(line.left(line.indexOf(line.contains('{') ? '{' : ' '))));
    }
    reply->deleteLater();
    QVERIFY(m_exported.size() > 20);
}

void TestMonitoring::rulesAndDashboardUseExportedMetrics_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("alert rules") << QStringLiteral("resources/monitoring/alerts.yml");
    QTest::newRow("dashboard") << QStringLiteral("resources/monitoring/grafana-dashboard.json");
}

void TestMonitoring::rulesAndDashboardUseExportedMetrics()
{
    QFETCH(QString, file);
    const QString text = readSource(file);
    QVERIFY2(!text.isEmpty(), qPrintable(file));
    const QSet<QString> used = metricNamesIn(text);
    QVERIFY(used.size() >= 10);
    for (const QString &name : used)
        QVERIFY2(m_exported.contains(name),
                 qPrintable(QStringLiteral("%1 uses %2, which /metrics does not export").arg(file, name)));
}

QTEST_GUILESS_MAIN(TestMonitoring)
#include "tst_monitoring.moc"
