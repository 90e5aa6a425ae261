// Store throughput with store-before-ack semantics: how many messages per second the
// MessageStore commits and acknowledges (each append's callback is its ack). SQLite always;
// PostgreSQL too when MYTHOS_TEST_PG_URL is set (scripts/with-postgres.sh).
//   bench_store [messages=200000]
#include "storage/messagestore.h"
#include "storage/postgresstorage.h"
#include "storage/sqlitestorage.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace mythos;

namespace {

double run(const char *label, MessageStore::StorageFactory factory, int count)
{
    MessageStore store(std::move(factory));
    if (auto opened = store.open(); !opened) {
        std::fprintf(stderr, "%s: %s\n", label, qPrintable(opened.error()));
        return 0;
    }
    StoredMessage m;
    m.channel = QStringLiteral("say");
    m.senderId = QStringLiteral("bench");
    m.senderName = QStringLiteral("Bench");
    m.content = QStringLiteral(
            "The most merciful thing in the world is the inability of the mind to correlate its contents.");
    m.roomId = m.scopeKey = QStringLiteral("earth_arkham_sanitarium_foyer");
    m.timestamp = QDateTime::currentDateTimeUtc();
    int acked = 0, failed = 0;
    QElapsedTimer timer;
    timer.start();
    // Arrive in bursts of 500, as accepted messages would from many sockets between event-loop turns.
    for (int i = 0; i < count; ++i) {
        m.id = QStringLiteral("%1-bench").arg(i, 10, 10, QLatin1Char('0'));
        store.append(m, [&](bool ok) { ok ? ++acked : ++failed; });
        if (i % 500 == 499)
            QCoreApplication::processEvents();
    }
    while (acked + failed < count)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = timer.nsecsElapsed() / 1e9;
    const StoreStats &s = store.stats();
    std::printf("%-11s %8d msgs  %6.2f s  %9.0f msgs/s  batches %llu (largest %lld, mean commit %.2f ms)  failed %d\n",
                label, count, seconds, count / seconds, static_cast<unsigned long long>(s.batches),
                static_cast<long long>(s.largestBatch), s.batches ? 1000 * s.batchSecondsSum / s.batches : 0.0, failed);
    return count / seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 200000;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.db"));
    run(
            "sqlite", [path] { return std::make_unique<SqliteStorage>(path); }, count);
    const QString pg = qEnvironmentVariable("MYTHOS_TEST_PG_URL");
    if (!pg.isEmpty())
        run(
                "postgresql", [pg] { return std::make_unique<PostgresStorage>(pg); }, count / 4);
    else
        std::printf("postgresql  skipped (set MYTHOS_TEST_PG_URL, e.g. via scripts/with-postgres.sh)\n");
    return 0;
}
