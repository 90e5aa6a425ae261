// The bus is a trust boundary (issue 17, docs/trust.md): an instance reaches a nats-server that
// demands credentials — user and password, a token, TLS with a private CA — with what its
// configuration says, and stays off the bus (saying so in /health) with wrong ones.
#include "natsserver.h"
#include "processrun.h"
#include "testserver.h"

#include "config/configloader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

class TestBusCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void userAndPassword();
    void token();
    void tlsWithAPrivateCa();
    void badCredentialSettingsAreRefused_data();
    void badCredentialSettingsAreRefused();

private:
    // Starts an instance with `nats` changed by `configure`; true when it got on the bus.
    bool connects(const NatsServer &nats, const std::function<void(NatsSection &)> &configure, int timeoutMs);
};

bool TestBusCredentials::connects(const NatsServer &nats, const std::function<void(NatsSection &)> &configure,
                                  int timeoutMs)
{
    Config c = testConfig(nats.url());
    configure(c.nats);
    TestServer server(c);
    if (!server.start())
        return false;
    const bool connected = server.waitForNats(timeoutMs);
    int status = 0;
    const QJsonObject health = getJson(server.port(), QStringLiteral("/health"), &status);
    // /health must tell the same story as the bus.
    const QString expected = connected ? QStringLiteral("connected") : QStringLiteral("disconnected");
    if (health.value(QStringLiteral("nats")).toString() != expected) {
        qWarning() << "health says" << health << "while the bus is" << expected;
        return !connected; // a mismatch fails either expectation
    }
    return connected;
}

void TestBusCredentials::userAndPassword()
{
    NatsServer nats;
    nats.setExtraArguments(
            { QStringLiteral("--user"), QStringLiteral("chat"), QStringLiteral("--pass"), QStringLiteral("s3cret") });
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    QVERIFY(connects(
            nats,
            [](NatsSection &n) {
                n.user = QStringLiteral("chat");
                n.password = QStringLiteral("s3cret");
            },
            10000));
    QVERIFY(!connects(
            nats,
            [](NatsSection &n) {
                n.user = QStringLiteral("chat");
                n.password = QStringLiteral("wrong");
            },
            2000));
    QVERIFY(!connects(
            nats, [](NatsSection &) {}, 2000));
}

void TestBusCredentials::token()
{
    NatsServer nats;
    nats.setExtraArguments({ QStringLiteral("--auth"), QStringLiteral("t0ken-for-chat") });
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    QVERIFY(connects(
            nats, [](NatsSection &n) { n.token = QStringLiteral("t0ken-for-chat"); }, 10000));
    QVERIFY(!connects(
            nats, [](NatsSection &n) { n.token = QStringLiteral("guess"); }, 2000));
}

void TestBusCredentials::tlsWithAPrivateCa()
{
    // A self-signed certificate for 127.0.0.1 is its own CA: trusting it is trusting the server.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath(QStringLiteral("server.pem")), key = dir.filePath(QStringLiteral("server.key"));
    const ProcessResult made = runProcess(
            QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
              QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
              QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
              QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert },
            30000);
    QVERIFY2(made.exitCode == 0, made.err.constData());
    NatsServer nats;
    nats.setExtraArguments(
            { QStringLiteral("--tls"), QStringLiteral("--tlscert"), cert, QStringLiteral("--tlskey"), key });
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    QVERIFY(connects(
            nats,
            [&](NatsSection &n) {
                n.tls.enabled = true;
                n.tls.caFile = cert;
            },
            10000));
    // Without the CA the server's certificate is not trusted; without TLS the server refuses.
    QVERIFY(!connects(
            nats, [](NatsSection &n) { n.tls.enabled = true; }, 2000));
    QVERIFY(!connects(
            nats, [](NatsSection &) {}, 2000));
}

void TestBusCredentials::badCredentialSettingsAreRefused_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("path");
    QTest::newRow("user without password")
            << QByteArrayLiteral("nats:\n  user: chat\n") << QStringLiteral("nats.password");
    QTest::newRow("two kinds") << QByteArrayLiteral("nats:\n  token: a\n  user: b\n  password: c\n")
                               << QStringLiteral("nats.token");
    QTest::newRow("missing creds file") << QByteArrayLiteral("nats:\n  credentials_file: /nonexistent/chat.creds\n")
                                        << QStringLiteral("nats.credentials_file");
    QTest::newRow("cert without key") << QByteArrayLiteral("nats:\n  tls:\n    cert_file: /etc/hostname\n")
                                      << QStringLiteral("nats.tls.key_file");
    QTest::newRow("unreadable ca") << QByteArrayLiteral("nats:\n  tls:\n    ca_file: /nonexistent/ca.pem\n")
                                   << QStringLiteral("nats.tls.ca_file");
    QTest::newRow("unknown tls key") << QByteArrayLiteral("nats:\n  tls:\n    verify_peer: true\n")
                                     << QStringLiteral("nats.tls.verify_peer");
}

void TestBusCredentials::badCredentialSettingsAreRefused()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, path);
    const auto r = configloader::parse(yaml);
    QVERIFY(!r);
    QVERIFY2(r.error().contains(path), qPrintable(r.error()));
}

QTEST_GUILESS_MAIN(TestBusCredentials)
#include "tst_buscredentials.moc"
