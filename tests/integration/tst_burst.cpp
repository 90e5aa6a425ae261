// A burst is not a slow consumer (issue 11): a player who reads promptly keeps their connection
// when 20 MB of 50 KB `global` messages arrive within a few seconds — each burst of 2 MB is
// twice `server.outbound_queue_limit_kb`, half the hard cap, one every 0.8 s — and gets every one.
// The server is the real binary, so its writes and the reader's reads do not share an event
// loop; the bursts come over NATS as another instance would relay them.
#include "bus/natsbus.h"
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
constexpr int kMessageBytes = 50 * 1024;
constexpr int kBursts = 10;
constexpr int kPerBurst = 40; // 2 MB: twice the soft limit, half the hard cap
constexpr int kBurstIntervalMs = 800;

QByteArray relayedGlobal(qint64 ms, int counter, const QString &content)
{
    const QString id =
            QStringLiteral("%1%2-burst-peer").arg(ms, 12, 16, QLatin1Char('0')).arg(counter, 6, 16, QLatin1Char('0'));
    const QJsonObject message { { QStringLiteral("message_id"), id },
                                { QStringLiteral("channel"), QStringLiteral("global") },
                                { QStringLiteral("sender_id"), QStringLiteral("herald") },
                                { QStringLiteral("sender_name"), QStringLiteral("Herald") },
                                { QStringLiteral("content"), content },
                                { QStringLiteral("message"), QStringLiteral("Herald (global): ") + content },
                                { QStringLiteral("timestamp"),
                                  QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) },
                                { QStringLiteral("filtered"), false },
                                { QStringLiteral("origin"), QStringLiteral("burst-peer") } };
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

// Prometheus text: the sum of every sample of `name` (0 when absent).
double metricSum(const QByteArray &text, const QByteArray &name)
{
    double sum = 0;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(name + '{') || line.startsWith(name + ' '))
            sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return sum;
}
} // namespace

class TestBurst : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void promptReaderSurvivesATwentyMegabyteBurst();
};

void TestBurst::promptReaderSurvivesATwentyMegabyteBurst()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    NatsServer nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    const quint16 port = freeLoopbackPort();
    const QString config = dir.filePath(QStringLiteral("burst.yaml"));
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // The shipped limits (1 MiB soft, 4 MiB hard, 5 s grace), spelled out so the test says what it relies on.
    f.write(QStringLiteral(
                    "server:\n  port: %1\n  server_id: burst-a\n  data_dir: \"%2\"\n"
                    "  outbound_queue_limit_kb: 1024\n  outbound_queue_hard_limit_kb: 4096\n  slow_client_seconds: 5\n"
                    "auth:\n  jwt_secret: \"%3\"\nnats:\n  url: \"%4\"\n")
                    .arg(port)
                    .arg(dir.filePath(QStringLiteral("data")), QString::fromUtf8(kTestSecret), nats.url())
                    .toUtf8());
    f.close();
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedChannels);
    server.start(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), config });
    QVERIFY(server.waitForStarted(5000) && waitForPort(port, 15000));

    TestClient reader;
    QVERIFY(reader.open(port));
    QVERIFY(!reader.authToken(tokenFor(QStringLiteral("reader"), QStringLiteral("Reader"))).isEmpty());

    NatsBusOptions options;
    options.url = nats.url();
    NatsBus peer(options);
    peer.start();
    QVERIFY(QTest::qWaitFor([&] { return peer.isConnected(); }, 5000));
    // The server subscribes to chat.global once it is on the bus: probe until a line lands.
    int counter = 0;
    QVERIFY(QTest::qWaitFor(
            [&] {
                peer.publish("chat.global",
                             relayedGlobal(QDateTime::currentMSecsSinceEpoch(), counter++, QStringLiteral("probe")));
                return !reader.waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("probe")), 300)
                                .isEmpty();
            },
            15000));
    reader.clear();

    const QString filler(kMessageBytes, QLatin1Char('x'));
    QElapsedTimer clock;
    clock.start();
    for (int burst = 0; burst < kBursts; ++burst) {
        for (int i = 0; i < kPerBurst; ++i) {
            const QString content = QStringLiteral("%1:").arg(burst * kPerBurst + i) + filler;
            QVERIFY(peer.publish("chat.global",
                                 relayedGlobal(QDateTime::currentMSecsSinceEpoch(), counter++, content)));
        }
        QTest::qWait(kBurstIntervalMs);
    }
    constexpr int kTotal = kBursts * kPerBurst;
    QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return reader.eventsOfType(QStringLiteral("chat_message")).size() >= kTotal
                                 || !reader.isConnected();
                     },
                     60000),
             qPrintable(QStringLiteral("%1 of %2 arrived")
                                .arg(reader.eventsOfType(QStringLiteral("chat_message")).size())
                                .arg(kTotal)));
    qInfo("%d messages (%.1f MB) arrived in %lld ms", kTotal, kTotal * double(kMessageBytes) / 1e6, clock.elapsed());
    QVERIFY2(reader.isConnected(),
             qPrintable(QStringLiteral("closed %1: %2").arg(int(reader.closeCode())).arg(reader.closeReason())));

    // Every one of them, once, in the order they were published.
    const QList<QJsonObject> received = reader.eventsOfType(QStringLiteral("chat_message"));
    QCOMPARE(received.size(), kTotal);
    for (int i = 0; i < kTotal; ++i)
        QVERIFY2(eventField(received[i], "content").startsWith(QStringLiteral("%1:").arg(i)),
                 qPrintable(QString::number(i)));

    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(reply->isFinished() || done.wait(10000));
    const QByteArray metrics = reply->readAll();
    QVERIFY(metrics.contains("mythos_slow_clients_dropped_total"));
    QCOMPARE(metricSum(metrics, "mythos_slow_clients_dropped_total"), 0.0);

    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TestBurst)
#include "tst_burst.moc"
