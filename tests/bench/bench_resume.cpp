// What recovery costs (issue 12): N players drop at once, talkers go on in their rooms, and all N
// reconnect in one burst and resume. Starts its own nats-server and mythos-chatd (SQLite,
// rate limits off) on free loopback ports, prints a Markdown table: time until every player
// has its `resumed`, per-player latency (connect → resumed), the server's CPU time and peak
// memory for the burst, and whether every resume was complete and exact.
//   bench_resume --chatd build/server/mythos-chatd [--players 1000] [--rooms 100] [--missed 20]
#include "auth/jwt.h"
#include "natsserver.h" // freeLoopbackPort, waitForPort

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace mythos;
using namespace mythos::test;

namespace {
const QByteArray kSecret = "bench-resume-secret-not-for-production";

// The process's CPU time (user + system, ms) and peak resident set (KiB), from /proc.
struct ProcUsage
{
    double cpuMs = 0;
    qint64 peakKib = 0;
};
ProcUsage usageOf(qint64 pid)
{
    ProcUsage u;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> f = stat.readAll().split(')').value(1).trimmed().split(' ');
        u.cpuMs = (f.value(11).toDouble() + f.value(12).toDouble()) * 1000.0 / double(sysconf(_SC_CLK_TCK));
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("VmHWM:"))
                u.peakKib = line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return u;
}

QByteArray tokenFor(const QString &id, const QString &room)
{
    TokenClaims claims;
    claims.playerId = id;
    claims.name = id;
    claims.role = Role::Player;
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + 3600;
    claims.roomId = room;
    return jwt::mint(claims, kSecret);
}

QString frame(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// One connection: authenticates on connect, then either sends `resume` (a returning player)
// or just stays (a talker). Keeps what the bench asks about.
struct Client
{
    QString id;
    QString room;
    std::unique_ptr<QWebSocket> socket;
    bool welcomed = false;
    QString lastSeenId; // newest chat_message id while connected
    QString since; // set: resume with it once welcomed
    QJsonObject resumed;
    qint64 openedAtMs = 0, resumedAtMs = -1;
    int acks = 0;
};

void connectClient(Client &c, quint16 port, QElapsedTimer &clock)
{
    c.socket = std::make_unique<QWebSocket>();
    c.welcomed = false;
    c.openedAtMs = clock.elapsed();
    QWebSocket *s = c.socket.get();
    QObject::connect(s, &QWebSocket::connected, s, [&c, s] {
        s->sendTextMessage(frame({ { QStringLiteral("type"), QStringLiteral("auth") },
                                   { QStringLiteral("token"), QString::fromLatin1(tokenFor(c.id, c.room)) } }));
    });
    QObject::connect(s, &QWebSocket::textMessageReceived, s, [&c, s, &clock](const QString &text) {
        const QJsonObject event = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = event.value(QStringLiteral("event_type")).toString();
        const QJsonObject data = event.value(QStringLiteral("data")).toObject();
        if (type == QLatin1String("welcome")) {
            c.welcomed = true;
            if (!c.since.isEmpty())
                s->sendTextMessage(frame({ { QStringLiteral("type"), QStringLiteral("resume") },
                                           { QStringLiteral("since"), c.since },
                                           { QStringLiteral("ref"), QStringLiteral("r") } }));
        } else if (type == QLatin1String("chat_message")) {
            c.lastSeenId = std::max(c.lastSeenId, data.value(QStringLiteral("message_id")).toString());
        } else if (type == QLatin1String("resumed")) {
            c.resumed = data;
            c.resumedAtMs = clock.elapsed();
        } else if (type == QLatin1String("ack")) {
            ++c.acks;
        }
    });
    s->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port)));
}

template<typename Pred>
bool spinUntil(Pred done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

qint64 percentile(QList<qint64> v, double p)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[std::min<qsizetype>(v.size() - 1, qsizetype(p * double(v.size())))];
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({ QStringLiteral("chatd"), QStringLiteral("mythos-chatd to start"), QStringLiteral("path") });
    cli.addOption({ QStringLiteral("players"), QStringLiteral("players who drop and resume"), QStringLiteral("n"),
                    QStringLiteral("1000") });
    cli.addOption({ QStringLiteral("rooms"), QStringLiteral("rooms they are spread over"), QStringLiteral("n"),
                    QStringLiteral("100") });
    cli.addOption({ QStringLiteral("missed"), QStringLiteral("lines said in each room while they are away"),
                    QStringLiteral("n"), QStringLiteral("20") });
    cli.process(app);
    const int players = cli.value(QStringLiteral("players")).toInt();
    const int rooms = std::max(1, cli.value(QStringLiteral("rooms")).toInt());
    const int missed = cli.value(QStringLiteral("missed")).toInt();
    if (!cli.isSet(QStringLiteral("chatd")) || players < 1) {
        std::fprintf(stderr, "usage: bench_resume --chatd PATH [--players N] [--rooms N] [--missed N]\n");
        return 2;
    }

    QTemporaryDir dir;
    const quint16 natsPort = freeLoopbackPort();
    QProcess nats;
    nats.start(QStringLiteral("nats-server"),
               { QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(natsPort) });
    if (!nats.waitForStarted(5000) || !waitForPort(natsPort, 10000)) {
        std::fprintf(stderr, "nats-server did not start\n");
        return 1;
    }
    const quint16 port = freeLoopbackPort();
    QFile config(dir.filePath(QStringLiteral("config.yaml")));
    config.open(QIODevice::WriteOnly);
    config.write(
            QStringLiteral("server:\n  host: 127.0.0.1\n  port: %1\n  server_id: bench-resume\n  data_dir: \"%2\"\n"
                           "  max_connections: 19000\nauth:\n  jwt_secret: \"%3\"\nnats:\n  url: nats://127.0.0.1:%4\n"
                           "chat:\n  rate_limiting:\n    enabled: false\n")
                    .arg(port)
                    .arg(dir.filePath(QStringLiteral("data")), QString::fromLatin1(kSecret))
                    .arg(natsPort)
                    .toUtf8());
    config.close();
    QProcess chatd;
    chatd.setStandardOutputFile(dir.filePath(QStringLiteral("chatd.log")));
    chatd.setStandardErrorFile(dir.filePath(QStringLiteral("chatd.log")), QIODevice::Append);
    chatd.start(cli.value(QStringLiteral("chatd")), { QStringLiteral("--config"), config.fileName() });
    if (!chatd.waitForStarted(5000) || !waitForPort(port, 15000)) {
        std::fprintf(stderr, "mythos-chatd did not start (log: %s)\n",
                     qPrintable(dir.filePath(QStringLiteral("chatd.log"))));
        return 1;
    }
    auto finish = [&](int code) {
        chatd.terminate();
        chatd.waitForFinished(10000);
        nats.terminate();
        nats.waitForFinished(5000);
        return code;
    };

    QElapsedTimer clock;
    clock.start();
    // One talker per room stays online; the players join their rooms and hear one line first.
    std::vector<Client> talkers(static_cast<size_t>(rooms)), returning(static_cast<size_t>(players));
    for (int r = 0; r < rooms; ++r) {
        talkers[size_t(r)] = { QStringLiteral("talker%1").arg(r), QStringLiteral("bench_room_%1").arg(r) };
        connectClient(talkers[size_t(r)], port, clock);
    }
    for (int p = 0; p < players; ++p) {
        returning[size_t(p)] = { QStringLiteral("player%1").arg(p), QStringLiteral("bench_room_%1").arg(p % rooms) };
        connectClient(returning[size_t(p)], port, clock);
    }
    auto allWelcomed = [](const std::vector<Client> &v) {
        return std::all_of(v.begin(), v.end(), [](const Client &c) { return c.welcomed; });
    };
    if (!spinUntil([&] { return allWelcomed(talkers) && allWelcomed(returning); }, 60000)) {
        const auto welcomed =
                std::count_if(returning.begin(), returning.end(), [](const Client &c) { return c.welcomed; });
        std::fprintf(stderr, "only %d of %d players were welcomed\n", int(welcomed), players);
        return finish(1);
    }
    auto say = [&](int lines) {
        for (Client &t : talkers)
            for (int i = 0; i < lines; ++i)
                t.socket->sendTextMessage(frame({ { QStringLiteral("type"), QStringLiteral("send") },
                                                  { QStringLiteral("channel"), QStringLiteral("say") },
                                                  { QStringLiteral("content"), QStringLiteral("line %1").arg(i) },
                                                  { QStringLiteral("ref"), QString::number(i) } }));
        const int target = talkers.front().acks + lines;
        return spinUntil(
                [&] {
                    return std::all_of(talkers.begin(), talkers.end(),
                                       [&](const Client &c) { return c.acks >= target; });
                },
                60000);
    };
    if (!say(1)
        || !spinUntil(
                [&] {
                    return std::all_of(returning.begin(), returning.end(),
                                       [](const Client &c) { return !c.lastSeenId.isEmpty(); });
                },
                30000)) {
        std::fprintf(stderr, "the first line did not reach every player\n");
        return finish(1);
    }

    // Everyone drops; the rooms go on talking.
    for (Client &c : returning) {
        c.since = c.lastSeenId;
        c.socket->close();
    }
    spinUntil(
            [&] {
                return std::all_of(returning.begin(), returning.end(), [](const Client &c) {
                    return c.socket->state() == QAbstractSocket::UnconnectedState;
                });
            },
            30000);
    QThread::msleep(300); // the server notices every close before the talk starts
    QCoreApplication::processEvents();
    if (!say(missed)) {
        std::fprintf(stderr, "the talkers' lines were not all acknowledged\n");
        return finish(1);
    }

    // The burst: every player reconnects at once and resumes.
    const ProcUsage before = usageOf(chatd.processId());
    const qint64 burstStart = clock.elapsed();
    for (Client &c : returning)
        connectClient(c, port, clock);
    const bool done = spinUntil(
            [&] {
                return std::all_of(returning.begin(), returning.end(),
                                   [](const Client &c) { return c.resumedAtMs >= 0; });
            },
            120000);
    const qint64 burstMs = clock.elapsed() - burstStart;
    const ProcUsage after = usageOf(chatd.processId());

    QList<qint64> latencies;
    int complete = 0, exact = 0;
    for (const Client &c : returning) {
        if (c.resumedAtMs < 0)
            continue;
        latencies.append(c.resumedAtMs - c.openedAtMs);
        complete += c.resumed.value(QStringLiteral("recovered")).toBool() ? 1 : 0;
        int after = 0;
        for (const QJsonValue &m : c.resumed.value(QStringLiteral("messages")).toArray())
            after += m.toObject().value(QStringLiteral("message_id")).toString() > c.since ? 1 : 0;
        exact += after == missed ? 1 : 0;
    }
    std::printf(
            "| players resuming at once | rooms | missed each | all resumed in | connect → resumed p50 / p99 | complete | exact | server CPU for the burst | server peak RSS |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    std::printf("| %d | %d | %d | %lld ms | %lld / %lld ms | %d | %d | %.0f ms | %.1f MiB |\n", players, rooms, missed,
                static_cast<long long>(burstMs), static_cast<long long>(percentile(latencies, 0.5)),
                static_cast<long long>(percentile(latencies, 0.99)), complete, exact, after.cpuMs - before.cpuMs,
                double(after.peakKib) / 1024.0);
    return finish(done && complete == players && exact == players ? 0 : 1);
}
