#pragma once
// The chat's memory, seen from the event loop: appends are group-committed on a writer
// thread (one transaction per batch; the next batch collects while one is being written), and
// history is read on a reader thread with its own connection, so database work never blocks
// the sockets. Each thread owns one connection, as QtSql requires.

#include "storage/sqlstorage.h"
#include "storage/storedmessage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>

namespace mythos {

struct StoreStats
{
    quint64 stored = 0;
    quint64 failed = 0;
    quint64 batches = 0;
    double batchSecondsSum = 0; // for a Prometheus summary: sum and count of batch latencies
    qsizetype largestBatch = 0;
    quint64 pruned = 0;
};

class MessageStore : public QObject
{
    Q_OBJECT
public:
    using StorageFactory = std::function<std::unique_ptr<SqlStorage>()>;
    using Done = std::function<void(bool stored)>;
    using HistoryDone = std::function<void(const Result<QList<StoredMessage>> &)>;

    explicit MessageStore(StorageFactory factory, QObject *parent = nullptr);
    ~MessageStore() override;

    // Opens both connections and migrates the schema; blocks (start-up only).
    Result<bool> open();
    void append(const StoredMessage &message, Done done = {});
    void history(const HistoryQuery &query, HistoryDone done);
    using RecoveryDone = std::function<void(const Result<RecoveryRows> &)>;
    // A resume's read, on the reader thread like history.
    void recover(const RecoveryQuery &query, RecoveryDone done);
    // Deletes expired messages now and then every `interval` ms.
    void startRetention(int retentionDays, int keepPerScope, int intervalMs = 3600 * 1000);
    void pruneNow();
    // Blocks until every message appended so far is committed (shutdown, tests).
    void flush();

    // Any other database work, in order with the appends, on the writer connection; `done`
    // runs on this thread. Failures are logged and reported through databaseError().
    template<typename T>
    void run(const char *operation, std::function<Result<T>(SqlStorage &)> job,
             std::function<void(const Result<T> &)> done = {});
    // The same, waiting for the result (start-up only).
    template<typename T>
    Result<T> runBlocking(std::function<Result<T>(SqlStorage &)> job);

    bool isShared() const { return m_shared; }
    bool isHealthy() const { return m_healthy; }
    QString describe() const { return m_description; }
    const StoreStats &stats() const { return m_stats; }
    qsizetype pendingCount() const { return m_pending.size() + m_inFlight; }

Q_SIGNALS:
    void databaseError(const QString &operation, const QString &error);

private:
    struct Pending
    {
        StoredMessage message;
        Done done;
    };
    void writeNextBatch();
    void batchFinished(QList<Done> callbacks, const Result<bool> &result, qint64 elapsedNs);

    class Worker;
    SqlStorage &writerStorage();
    void reportFailure(const char *operation, const QString &error);
    StorageFactory m_factory;
    QThread m_writerThread;
    QThread m_readerThread;
    Worker *m_writer = nullptr;
    Worker *m_reader = nullptr;
    QList<Pending> m_pending;
    qsizetype m_inFlight = 0;
    QTimer m_batchTimer;
    QTimer m_retentionTimer;
    int m_retentionDays = 30;
    int m_keepPerScope = 1000;
    bool m_shared = false;
    bool m_healthy = true;
    QString m_description;
    StoreStats m_stats;
};

template<typename T>
void MessageStore::run(const char *operation, std::function<Result<T>(SqlStorage &)> job,
                       std::function<void(const Result<T> &)> done)
{
    // Pending appends go first, so the order of database work follows the order of requests.
    writeNextBatch();
    QObject *writer = reinterpret_cast<QObject *>(m_writer);
    QMetaObject::invokeMethod(
            writer,
            [this, operation, job = std::move(job), done = std::move(done)] {
                Result<T> result = job(writerStorage());
                QMetaObject::invokeMethod(
                        this,
                        [this, operation, result = std::move(result), done] {
                            if (!result)
                                reportFailure(operation, result.error());
                            if (done)
                                done(result);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

template<typename T>
Result<T> MessageStore::runBlocking(std::function<Result<T>(SqlStorage &)> job)
{
    std::optional<Result<T>> result;
    QObject *writer = reinterpret_cast<QObject *>(m_writer);
    QMetaObject::invokeMethod(
            writer, [&] { result.emplace(job(writerStorage())); }, Qt::BlockingQueuedConnection);
    return *result;
}

} // namespace mythos
