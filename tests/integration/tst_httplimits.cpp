// The HTTP side under hostile or careless clients, against a real server: bodies over the cap
// are refused before they are buffered (declared or chunked), clients that vanish before
// their deferred reply do not crash the server, and requests during shutdown get 503.
#include "natsserver.h"
#include "testserver.h"

#include "app/serverapp.h"
#include "gateway/httpapi.h"
#include "gateway/httpgateway.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

// Everything the server sent until it closed the connection (or the timeout passed).
QByteArray readUntilClosed(QTcpSocket &socket, int timeoutMs = 10000)
{
    QByteArray all;
    (void)QTest::qWaitFor(
            [&] {
                all += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    return all + socket.readAll();
}
} // namespace

class TestHttpLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void declaredOversizedBodyIsRefusedAtOnce();
    void chunkedOversizedBodyIsCutOff();
    void keepAliveRequestsAreCountedSeparately();
    void clientsLeavingBeforeTheirReplyAreHarmless();
    void everyResponseSaysNosniff_data();
    void everyResponseSaysNosniff();
    void requestsDuringShutdownGet503();

private:
    bool connectRaw(QTcpSocket &socket);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    QByteArray m_token;
};

void TestHttpLimits::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    config.nats.maxPayload = 64 * 1024; // the cap is this plus 64 KiB for the head
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start());
    m_token = tokenFor(QStringLiteral("script"), QStringLiteral("Script"), QStringLiteral("player"), kFoyer);
}

void TestHttpLimits::cleanupTestCase()
{
    m_server.reset();
}

bool TestHttpLimits::connectRaw(QTcpSocket &socket)
{
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    return socket.waitForConnected(5000);
}

void TestHttpLimits::declaredOversizedBodyIsRefusedAtOnce()
{
    const quint64 before = m_server->app().gateway()->oversizedRequests();
    QTcpSocket socket;
    QVERIFY(connectRaw(socket));
    // No Authorization either: the size is refused before anything else is looked at.
    socket.write(
            "POST /chat/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{\"channel\":");
    const QByteArray reply = readUntilClosed(socket);
    QVERIFY2(reply.startsWith("HTTP/1.1 413"), reply.constData());
    const QJsonObject error = QJsonDocument::fromJson(reply.mid(reply.indexOf("\r\n\r\n") + 4))
                                      .object()
                                      .value(QStringLiteral("error"))
                                      .toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("payload_too_large"));
    QCOMPARE(m_server->app().gateway()->oversizedRequests(), before + 1);
}

void TestHttpLimits::chunkedOversizedBodyIsCutOff()
{
    QTcpSocket socket;
    QVERIFY(connectRaw(socket));
    socket.write("POST /chat/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token
                 + "\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray chunk = QByteArray::number(16384, 16) + "\r\n" + QByteArray(16384, 'x') + "\r\n";
    // 4 MiB offered; the server must stop it near 128 KiB.
    qint64 sent = 0;
    for (int i = 0; i < 256 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
        sent += socket.write(chunk);
        socket.waitForBytesWritten(1000);
        QCoreApplication::processEvents();
        if (socket.bytesAvailable())
            break;
    }
    const QByteArray reply = readUntilClosed(socket);
    QVERIFY2(reply.startsWith("HTTP/1.1 413"), reply.left(200).constData());
    QVERIFY2(sent < 4 * 1024 * 1024, qPrintable(QString::number(sent)));
    // The server is fine and still answers.
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> health(
            nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(m_server->port())))));
    QSignalSpy done(health.get(), &QNetworkReply::finished);
    QVERIFY(health->isFinished() || done.wait(5000));
    QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
}

void TestHttpLimits::keepAliveRequestsAreCountedSeparately()
{
    // Many requests on one connection, together far over the cap, each well under it.
    QNetworkAccessManager nam;
    const QByteArray body = R"({"channel":"say","content":")" + QByteArray(400, 'k') + R"("})";
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/chat/send").arg(m_server->port())));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    const QByteArray big = "{\"channel\":\"say\",\"content\":\"x\",\"pad\":\"" + QByteArray(60 * 1024, 'p') + "\"}";
    for (int i = 0; i < 5; ++i) {
        std::unique_ptr<QNetworkReply> reply(nam.post(request, big));
        QSignalSpy done(reply.get(), &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || done.wait(5000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }
}

void TestHttpLimits::clientsLeavingBeforeTheirReplyAreHarmless()
{
    // The send reply waits for the commit; the client is gone by then. Under ASan a write
    // through the responder's stale socket would be reported here.
    const QByteArray body = R"({"channel":"say","content":"fire and forget"})";
    for (int i = 0; i < 20; ++i) {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        socket.write("POST /chat/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token
                     + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                     + "\r\n\r\n" + body);
        QVERIFY(socket.waitForBytesWritten(1000));
        socket.abort();
    }
    // Let the commits finish and their replies find no one.
    QTest::qWait(300);
    const quint64 dropped = m_server->app().httpApi()->repliesDropped();
    qInfo() << "replies dropped because the client had left:" << dropped;
    QVERIFY(dropped > 0); // 20 of 20 here: each commit takes longer than noticing the reset
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> health(
            nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(m_server->port())))));
    QSignalSpy done(health.get(), &QNetworkReply::finished);
    QVERIFY(health->isFinished() || done.wait(5000));
    QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
}

void TestHttpLimits::everyResponseSaysNosniff_data()
{
    // Raw requests, so the answers the listener writes itself (413) are covered too.
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    const QByteArray bearer = "Authorization: Bearer " + m_token + "\r\n";
    QTest::newRow("health") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            << QByteArray("200");
    QTest::newRow("metrics") << QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                             << QByteArray("200");
    QTest::newRow("history") << QByteArray("GET /chat/history/say HTTP/1.1\r\nHost: x\r\n" + bearer
                                           + "Connection: close\r\n\r\n")
                             << QByteArray("200");
    QTest::newRow("401") << QByteArray("GET /chat/mutes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                         << QByteArray("401");
    QTest::newRow("404") << QByteArray(
            "GET /<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                         << QByteArray("404");
    QTest::newRow("ws without upgrade") << QByteArray("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                                        << QByteArray("400");
    QTest::newRow("413") << QByteArray("POST /chat/send HTTP/1.1\r\nHost: x\r\n" + bearer
                                       + "Content-Type: application/json\r\nContent-Length: 99999999\r\n\r\n")
                         << QByteArray("413");
}

void TestHttpLimits::everyResponseSaysNosniff()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    QTcpSocket socket;
    QVERIFY(connectRaw(socket));
    socket.write(request);
    // Only the head matters here (QHttpServer keeps the connection open despite "close").
    QByteArray response;
    QVERIFY(QTest::qWaitFor(
            [&] {
                response += socket.readAll();
                return response.contains("\r\n\r\n");
            },
            10000));
    QVERIFY2(response.startsWith("HTTP/1.1 " + status), response.left(200).constData());
    const QByteArray head = response.left(response.indexOf("\r\n\r\n")).toLower();
    QVERIFY2(head.contains("\r\nx-content-type-options: nosniff"), head.constData());
}

void TestHttpLimits::requestsDuringShutdownGet503()
{
    m_server->app().stop(); // draining NATS: the port is still open for a moment
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/chat/send").arg(m_server->port())));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    std::unique_ptr<QNetworkReply> reply(nam.post(request, QByteArray(R"({"channel":"say","content":"too late"})")));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    QVERIFY(reply->isFinished() || done.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll())
                     .object()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString(),
             QStringLiteral("unavailable"));
}

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "tst_httplimits.moc"
