#include "storage/messagestore.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDb)

namespace mythos {

namespace {
// Enough to amortise a commit; small enough that one batch never stalls acks for long.
constexpr qsizetype kMaxBatch = 2000;
// How long the first message of a quiet period waits for company before it is written: until
// the end of the current event-loop pass, which already gathers every message read in it.
// Under load batches form by themselves while the previous one is being committed.
constexpr int kBatchWindowMs = 0;
} // namespace

// Owns one connection; lives on its own thread and is only called through queued invocations.
class MessageStore::Worker : public QObject
{
public:
    explicit Worker(std::unique_ptr<SqlStorage> storage) : m_storage(std::move(storage)) { }
    ~Worker() override = default;
    SqlStorage &storage() { return *m_storage; }

private:
    std::unique_ptr<SqlStorage> m_storage;
};

MessageStore::MessageStore(StorageFactory factory, QObject *parent) : QObject(parent), m_factory(std::move(factory))
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kBatchWindowMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &MessageStore::writeNextBatch);
    connect(&m_retentionTimer, &QTimer::timeout, this, &MessageStore::pruneNow);
    m_writerThread.setObjectName(QStringLiteral("db-writer"));
    m_readerThread.setObjectName(QStringLiteral("db-reader"));
}

MessageStore::~MessageStore()
{
    if (m_writer)
        flush();
    for (auto [worker, thread] : { std::pair { m_writer, &m_writerThread }, std::pair { m_reader, &m_readerThread } }) {
        if (!worker)
            continue;
        // The connection must be closed on the thread that opened it.
        QMetaObject::invokeMethod(
                worker, [w = worker] { w->storage().close(); }, Qt::BlockingQueuedConnection);
        thread->quit();
        thread->wait();
        delete worker; // its thread has stopped: nothing else can touch it
    }
}

Result<bool> MessageStore::open()
{
    auto writerStorage = m_factory();
    auto readerStorage = m_factory();
    m_shared = writerStorage->isShared();
    m_description = writerStorage->describe();
    m_writer = new Worker(std::move(writerStorage));
    m_reader = new Worker(std::move(readerStorage));
    m_writer->moveToThread(&m_writerThread);
    m_reader->moveToThread(&m_readerThread);
    m_writerThread.start();
    m_readerThread.start();

    Result<bool> result = true;
    // The writer migrates first; the reader then opens the finished schema.
    QMetaObject::invokeMethod(
            m_writer, [&] { result = m_writer->storage().open(true); }, Qt::BlockingQueuedConnection);
    if (result)
        QMetaObject::invokeMethod(
                m_reader, [&] { result = m_reader->storage().open(false); }, Qt::BlockingQueuedConnection);
    if (!result) {
        m_healthy = false;
        return Result<bool>::failure(m_description + QStringLiteral(": ") + result.error());
    }
    qCInfo(lcDb).noquote() << "database" << m_description << "ready (schema" << SqlStorage::latestSchemaVersion()
                           << ')';
    return true;
}

void MessageStore::append(const StoredMessage &message, Done done)
{
    m_pending.append({ message, std::move(done) });
    if (m_inFlight)
        return; // batchFinished() picks it up
    if (m_pending.size() >= kMaxBatch)
        writeNextBatch();
    else if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void MessageStore::writeNextBatch()
{
    m_batchTimer.stop();
    if (m_inFlight || m_pending.isEmpty())
        return;
    const qsizetype n = std::min(m_pending.size(), kMaxBatch);
    QList<StoredMessage> batch;
    QList<Done> callbacks;
    batch.reserve(n);
    callbacks.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        batch.append(std::move(m_pending[i].message));
        callbacks.append(std::move(m_pending[i].done));
    }
    m_pending.remove(0, n);
    m_inFlight = n;
    Worker *writer = m_writer;
    QMetaObject::invokeMethod(
            writer,
            [this, writer, batch = std::move(batch), callbacks = std::move(callbacks)]() mutable {
                QElapsedTimer timer;
                timer.start();
                const Result<bool> result = writer->storage().insert(batch);
                const qint64 elapsed = timer.nsecsElapsed();
                QMetaObject::invokeMethod(
                        this,
                        [this, callbacks = std::move(callbacks), result, elapsed]() mutable {
                            batchFinished(std::move(callbacks), result, elapsed);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

void MessageStore::batchFinished(QList<Done> callbacks, const Result<bool> &result, qint64 elapsedNs)
{
    m_inFlight = 0;
    ++m_stats.batches;
    m_stats.batchSecondsSum += elapsedNs / 1e9;
    m_stats.largestBatch = std::max(m_stats.largestBatch, callbacks.size());
    m_healthy = result.ok();
    if (result.ok()) {
        m_stats.stored += callbacks.size();
    } else {
        m_stats.failed += callbacks.size();
        qCCritical(lcDb).noquote() << "storing" << callbacks.size() << "messages in" << m_description
                                   << "failed:" << result.error();
        Q_EMIT databaseError(QStringLiteral("store"), result.error());
    }
    for (const Done &done : callbacks) {
        if (done)
            done(result.ok());
    }
    writeNextBatch();
}

void MessageStore::history(const HistoryQuery &query, HistoryDone done)
{
    Worker *reader = m_reader;
    QMetaObject::invokeMethod(
            reader,
            [this, reader, query, done = std::move(done)]() mutable {
                auto result = reader->storage().history(query);
                QMetaObject::invokeMethod(
                        this,
                        [this, result = std::move(result), done = std::move(done)] {
                            if (!result) {
                                qCWarning(lcDb).noquote() << "history query failed:" << result.error();
                                Q_EMIT databaseError(QStringLiteral("history"), result.error());
                            }
                            done(result);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

void MessageStore::recover(const RecoveryQuery &query, RecoveryDone done)
{
    Worker *reader = m_reader;
    QMetaObject::invokeMethod(
            reader,
            [this, reader, query, done = std::move(done)]() mutable {
                auto result = reader->storage().recover(query);
                QMetaObject::invokeMethod(
                        this,
                        [this, result = std::move(result), done = std::move(done)] {
                            if (!result) {
                                qCWarning(lcDb).noquote() << "resume query failed:" << result.error();
                                Q_EMIT databaseError(QStringLiteral("resume"), result.error());
                            }
                            done(result);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

void MessageStore::startRetention(int retentionDays, int keepPerScope, int intervalMs)
{
    m_retentionDays = retentionDays;
    m_keepPerScope = keepPerScope;
    m_retentionTimer.start(intervalMs);
    pruneNow();
}

void MessageStore::pruneNow()
{
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-m_retentionDays);
    const int keep = m_keepPerScope;
    Worker *writer = m_writer;
    QMetaObject::invokeMethod(
            writer,
            [this, writer, cutoff, keep] {
                const Result<int> removed = writer->storage().prune(cutoff, keep);
                QMetaObject::invokeMethod(
                        this,
                        [this, removed] {
                            if (removed) {
                                m_stats.pruned += removed.value();
                                if (removed.value() > 0)
                                    qCInfo(lcDb) << "retention removed" << removed.value() << "messages";
                            } else {
                                qCWarning(lcDb).noquote() << "retention failed:" << removed.error();
                                Q_EMIT databaseError(QStringLiteral("retention"), removed.error());
                            }
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

SqlStorage &MessageStore::writerStorage()
{
    return m_writer->storage();
}

void MessageStore::reportFailure(const char *operation, const QString &error)
{
    m_healthy = false;
    qCWarning(lcDb).noquote() << operation << "failed:" << error;
    Q_EMIT databaseError(QString::fromLatin1(operation), error);
}

void MessageStore::flush()
{
    // Hand everything over, then wait on the writer's queue; replies are delivered from here.
    while (m_inFlight || !m_pending.isEmpty()) {
        writeNextBatch();
        QMetaObject::invokeMethod(
                m_writer, [] {}, Qt::BlockingQueuedConnection);
        QCoreApplication::sendPostedEvents(this);
    }
}

} // namespace mythos
