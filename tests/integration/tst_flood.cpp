// Connection floods against a real server (issue 11): thousands of connections that never send
// a byte, or only half a request head, must not lock a player out — the oldest of them is
// evicted to make room; upgraded sessions that never authenticate are evicted the same way at
// server.max_connections (authenticated players never are); and the optional per-address cap.
// Loopback only. Timings are printed, not asserted (beyond a generous "works at all" bound).
#include "app/metrics.h"
#include "app/serverapp.h"
#include "gateway/httpgateway.h"
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>
#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
constexpr int kSilent = 3000;
constexpr int kHalfHeads = 300;
constexpr int kPendingCap = 2048; // AdmissionLimits::maxPendingHeads, the default
// "Works at all", not a performance claim: the figure that matters is printed.
constexpr qint64 kGenerousMs = 10000;
const QByteArray kHalfHead = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n";

// Raw loopback sockets the test owns (closed in the destructor): no Qt object each, so
// thousands cost the test process nothing but their descriptors.
class RawSockets
{
public:
    ~RawSockets()
    {
        for (int fd : m_fds)
            ::close(fd);
    }
    // A connected blocking socket from `source` (a loopback address), or -1.
    int open(quint16 port, const char *source = "127.0.0.1")
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return -1;
        timeval timeout { 3, 0 }; // bounds connect() and send() if the backlog were full
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        sockaddr_in from {};
        from.sin_family = AF_INET;
        ::inet_pton(AF_INET, source, &from.sin_addr);
        sockaddr_in to {};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        if (::bind(fd, reinterpret_cast<sockaddr *>(&from), sizeof from) != 0
            || ::connect(fd, reinterpret_cast<sockaddr *>(&to), sizeof to) != 0) {
            ::close(fd);
            return -1;
        }
        m_fds.push_back(fd);
        return fd;
    }
    static bool send(int fd, const QByteArray &bytes)
    {
        return ::send(fd, bytes.constData(), bytes.size(), MSG_NOSIGNAL) == bytes.size();
    }
    // True once the server closed (or reset) `fd`; false while it is open and quiet.
    static bool closedByServer(int fd)
    {
        char byte;
        const ssize_t n = ::recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }
    const std::vector<int> &fds() const { return m_fds; }

private:
    std::vector<int> m_fds;
};

double evicted(ServerApp &app, const char *reason)
{
    const QString text = QString::fromUtf8(prometheusMetrics(app));
    const QRegularExpression line(
            QStringLiteral("^mythos_connections_evicted_total\\{reason=\"%1\"\\} (\\S+)$").arg(QLatin1String(reason)),
            QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = line.match(text);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

std::unique_ptr<TestClient> player(quint16 port, const QString &id, const QString &name)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(port) || c->authToken(tokenFor(id, name, QStringLiteral("player"), kFoyer)).isEmpty())
        return nullptr;
    return c;
}

bool acked(TestClient &c, const QString &text)
{
    return c.request(sendFrame(QStringLiteral("say"), text)).value(QStringLiteral("event_type")).toString()
            == QLatin1String("ack");
}
} // namespace

class TestFlood : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void playerGetsInThroughASilentFlood();
    void unauthenticatedSessionsAreEvictedAtMaxConnections();
    void perAddressCapEvictsThatAddressesOldest();

private:
    std::unique_ptr<TestServer> startServer(Config config);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
};

void TestFlood::initTestCase()
{
    // The flood's client ends and the server's ends live in this one process.
    rlimit files {};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &files) == 0);
    const rlim_t needed = 2 * (kSilent + kHalfHeads) + 1000;
    if (files.rlim_cur < needed) {
        files.rlim_cur = std::min<rlim_t>(files.rlim_max, 20000);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &files) == 0);
    }
    if (files.rlim_cur < needed)
        QSKIP("this process may not open enough files for the flood");
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void TestFlood::cleanup()
{
    m_server.reset();
}

std::unique_ptr<TestServer> TestFlood::startServer(Config config)
{
    auto server = std::make_unique<TestServer>(std::move(config));
    return server->start() ? std::move(server) : nullptr;
}

void TestFlood::playerGetsInThroughASilentFlood()
{
    Config config = testConfig(m_nats.url());
    config.server.maxConnections = 100; // sessions; the flood never upgrades
    m_server = startServer(config);
    QVERIFY(m_server);
    const quint16 port = m_server->port();
    std::unique_ptr<TestClient> listener = player(port, QStringLiteral("lis"), QStringLiteral("Lis"));
    QVERIFY(listener);

    // Every eleventh connection sends half a request head and stops; the rest send nothing.
    RawSockets flood;
    QElapsedTimer floodTime;
    floodTime.start();
    for (int i = 0; i < kSilent + kHalfHeads; ++i) {
        const int fd = flood.open(port);
        QVERIFY2(fd >= 0, qPrintable(QStringLiteral("flood connection %1: %2").arg(i).arg(qt_error_string(errno))));
        if (i % 11 == 5)
            QVERIFY(RawSockets::send(fd, kHalfHead));
        if (i % 200 == 199)
            QTest::qWait(1); // let the server accept meanwhile (the backlog is 4,096)
    }
    const double expected = kSilent + kHalfHeads - kPendingCap;
    QVERIFY2(QTest::qWaitFor([&] { return evicted(m_server->app(), "pending_head") >= expected; }, 8000),
             qPrintable(QStringLiteral("evicted %1 of the expected %2")
                                .arg(evicted(m_server->app(), "pending_head"))
                                .arg(expected)));
    const qint64 floodMs = floodTime.elapsed();

    QElapsedTimer timer;
    timer.start();
    TestClient newcomer;
    QVERIFY(newcomer.open(port));
    const qint64 upgradedMs = timer.elapsed();
    QVERIFY(!newcomer.authToken(tokenFor(QStringLiteral("new"), QStringLiteral("Newcomer"), QStringLiteral("player"),
                                         kFoyer))
                     .isEmpty());
    const qint64 welcomeMs = timer.elapsed();
    QVERIFY(acked(newcomer, QStringLiteral("made it through")));
    const qint64 ackMs = timer.elapsed();
    QVERIFY(!listener->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("made it through"))).isEmpty());
    const qint64 deliveredMs = timer.elapsed();
    qInfo("flood of %d silent + %d half-head connections absorbed in %lld ms (%g evicted, "
          "pending_head)",
          kSilent, kHalfHeads, floodMs, evicted(m_server->app(), "pending_head"));
    qInfo("newcomer under the flood: upgraded %lld ms, welcome %lld ms, ack %lld ms, delivered to "
          "a listener %lld ms",
          upgradedMs, welcomeMs, ackMs, deliveredMs);
    QVERIFY2(deliveredMs < kGenerousMs, qPrintable(QStringLiteral("took %1 ms").arg(deliveredMs)));

    // The oldest made room; the newest are still waiting for their 10 s head deadline.
    QVERIFY(RawSockets::closedByServer(flood.fds().front()));
    QVERIFY(!RawSockets::closedByServer(flood.fds().back()));
    QVERIFY(evicted(m_server->app(), "pending_head") > 0);
    QCOMPARE(evicted(m_server->app(), "unauthenticated"), 0.0);
    QVERIFY(listener->isConnected());
}

void TestFlood::unauthenticatedSessionsAreEvictedAtMaxConnections()
{
    constexpr int kMax = 10;
    Config config = testConfig(m_nats.url());
    config.server.maxConnections = kMax;
    m_server = startServer(config);
    QVERIFY(m_server);
    const quint16 port = m_server->port();
    std::vector<std::unique_ptr<TestClient>> players;
    for (int i = 0; i < 3; ++i) {
        players.push_back(player(port, QStringLiteral("p%1").arg(i), QStringLiteral("Player%1").arg(i)));
        QVERIFY(players.back());
    }
    // Upgraded, never authenticated, until the server is full.
    std::vector<std::unique_ptr<TestClient>> idle;
    for (int i = 3; i < kMax; ++i) {
        idle.push_back(std::make_unique<TestClient>());
        QVERIFY(idle.back()->open(port));
    }
    QTRY_COMPARE(m_server->app().gateway()->connectionCount(), kMax);

    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<TestClient> newcomer = player(port, QStringLiteral("late"), QStringLiteral("Late"));
    QVERIFY2(newcomer, "a player must get in while unauthenticated sessions hold the server full");
    QVERIFY(acked(*newcomer, QStringLiteral("room for me")));
    QVERIFY(!players.front()
                     ->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("room for me")))
                     .isEmpty());
    qInfo("newcomer at max_connections with %d unauthenticated sessions: welcome and ack in %lld ms", kMax - 3,
          timer.elapsed());

    // The oldest unauthenticated session went, told why; the others and every player stayed.
    QVERIFY(idle.front()->waitForDisconnected());
    QCOMPARE(int(idle.front()->closeCode()), 4013);
    QCOMPARE(idle.front()->closeReason(), QStringLiteral("server full: evicted before authenticating"));
    for (size_t i = 1; i < idle.size(); ++i)
        QVERIFY2(idle[i]->isConnected(), qPrintable(QStringLiteral("idle session %1 was evicted too").arg(i)));
    for (const auto &p : players)
        QVERIFY(p->isConnected());
    QCOMPARE(evicted(m_server->app(), "unauthenticated"), 1.0);

    // Once everyone is authenticated, nobody is evicted for a newcomer: it is refused.
    QTRY_COMPARE(m_server->app().gateway()->connectionCount(), kMax);
    for (size_t i = 1; i < idle.size(); ++i)
        QVERIFY(!idle[i]->authGuest(QStringLiteral("Idle%1").arg(i)).isEmpty());
    TestClient extra;
    QVERIFY(extra.open(port));
    QVERIFY(extra.waitForDisconnected());
    QCOMPARE(int(extra.closeCode()), 4013);
    QCOMPARE(extra.closeReason(), QStringLiteral("server full"));
    QCOMPARE(evicted(m_server->app(), "unauthenticated"), 1.0);
    for (const auto &p : players)
        QVERIFY(p->isConnected());
    QVERIFY(newcomer->isConnected());
    QVERIFY(acked(*newcomer, QStringLiteral("still here")));
}

void TestFlood::perAddressCapEvictsThatAddressesOldest()
{
    constexpr int kCap = 4;
    Config config = testConfig(m_nats.url());
    config.server.maxUnauthenticatedPerAddress = kCap;
    m_server = startServer(config);
    QVERIFY(m_server);
    const quint16 port = m_server->port();

    // Silent connections from 127.0.0.2: only its newest kCap stay.
    RawSockets other;
    for (int i = 0; i < 10; ++i) {
        if (other.open(port, "127.0.0.2") < 0)
            QSKIP("cannot bind 127.0.0.2 (loopback is not a /8 here)");
    }
    QTRY_COMPARE(evicted(m_server->app(), "per_address"), 6.0);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(RawSockets::closedByServer(other.fds()[i]), i < 10 - kCap);

    // 127.0.0.1 has its own count: a player gets in, then unauthenticated upgrades from it
    // push out only their own address's oldest, never the player.
    std::unique_ptr<TestClient> alice = player(port, QStringLiteral("alice"), QStringLiteral("Alice"));
    QVERIFY(alice);
    std::vector<std::unique_ptr<TestClient>> idle;
    for (int i = 0; i < kCap + 2; ++i) {
        idle.push_back(std::make_unique<TestClient>());
        QVERIFY(idle.back()->open(port));
    }
    QVERIFY(idle[0]->waitForDisconnected());
    QVERIFY(idle[1]->waitForDisconnected());
    QCOMPARE(idle[0]->closeReason(), QStringLiteral("too many unauthenticated connections from this address"));
    for (int i = 2; i < kCap + 2; ++i)
        QVERIFY(idle[i]->isConnected());
    QVERIFY(alice->isConnected());
    QCOMPARE(evicted(m_server->app(), "per_address"), 8.0);
    QCOMPARE(evicted(m_server->app(), "unauthenticated"), 0.0);
}

QTEST_GUILESS_MAIN(TestFlood)
#include "tst_flood.moc"
