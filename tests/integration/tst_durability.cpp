// Stored before acknowledged: acked messages survive the server being killed with SIGKILL
// right after the last ack. Runs the real binary against its SQLite database.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace mythos;
using namespace mythos::test;

class TestDurability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ackedMessagesSurviveSigkill();

private:
    bool startServer(QProcess &process);
    QSet<QString> storedIds(const QByteArray &token);
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QString m_config;
};

bool TestDurability::startServer(QProcess &process)
{
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(qEnvironmentVariable("MYTHOS_CHATD"), { QStringLiteral("--config"), m_config });
    return process.waitForStarted(5000) && waitForPort(m_port, 10000);
}

QSet<QString> TestDurability::storedIds(const QByteArray &token)
{
    QNetworkAccessManager nam;
    QSet<QString> ids;
    QString before;
    for (int page = 0; page < 100; ++page) {
        QString path = QStringLiteral("/chat/history/global?limit=200");
        if (!before.isEmpty())
            path += QStringLiteral("&before=") + before;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(10000);
        const QJsonArray messages =
                QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("messages")).toArray();
        reply->deleteLater();
        if (messages.isEmpty())
            break;
        for (const QJsonValue &m : messages)
            ids.insert(m.toObject().value(QStringLiteral("message_id")).toString());
        before = messages.first().toObject().value(QStringLiteral("message_id")).toString();
    }
    return ids;
}

void TestDurability::ackedMessagesSurviveSigkill()
{
    QVERIFY(m_dir.isValid());
    m_port = freeLoopbackPort();
    m_config = m_dir.filePath(QStringLiteral("durable.yaml"));
    QFile f(m_config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral(
                    "server:\n  port: %1\n  data_dir: %2\nauth:\n  jwt_secret: %3\nnats:\n  enabled: false\n"
                    "chat:\n  channels:\n    global:\n      rate_limit: 100000\n  message_history:\n    max_messages_per_channel: 100000\n")
                    .arg(m_port)
                    .arg(m_dir.filePath(QStringLiteral("data")), QString::fromUtf8(kTestSecret))
                    .toUtf8());
    f.close();

    QProcess server;
    QVERIFY(startServer(server));
    const QByteArray token = tokenFor(QStringLiteral("writer"), QStringLiteral("Writer"));
    TestClient client;
    QVERIFY(client.open(m_port));
    QVERIFY(!client.authToken(token).isEmpty());

    // Pipeline 2,000 sends without waiting, then kill the server the moment the last ack lands.
    constexpr int kCount = 2000;
    for (int i = 0; i < kCount; ++i)
        client.send({ { QStringLiteral("type"), QStringLiteral("send") },
                      { QStringLiteral("channel"), QStringLiteral("global") },
                      { QStringLiteral("content"), QStringLiteral("durable %1").arg(i) } });
    QVERIFY(QTest::qWaitFor(
            [&] {
                return client.eventsOfType(QStringLiteral("ack")).size()
                        + client.eventsOfType(QStringLiteral("error")).size()
                        >= kCount;
            },
            60000));
    ::kill(static_cast<pid_t>(server.processId()), SIGKILL);
    QVERIFY(server.waitForFinished(5000));
    QCOMPARE(server.exitStatus(), QProcess::CrashExit);

    QSet<QString> acked;
    for (const QJsonObject &ack : client.eventsOfType(QStringLiteral("ack")))
        acked.insert(ack.value(QStringLiteral("data")).toObject().value(QStringLiteral("message_id")).toString());
    QCOMPARE(acked.size(), kCount);

    QProcess restarted;
    QVERIFY(startServer(restarted));
    const QSet<QString> stored = storedIds(token);
    const QSet<QString> lost = acked - stored;
    QVERIFY2(lost.isEmpty(),
             qPrintable(QStringLiteral("%1 acknowledged messages were lost, e.g. %2")
                                .arg(lost.size())
                                .arg(lost.isEmpty() ? QString() : *lost.begin())));
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));
    QCOMPARE(restarted.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
