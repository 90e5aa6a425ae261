#include "audit/auditlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QLoggingCategory>
#include <QMutex>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

Q_LOGGING_CATEGORY(lcAudit, "mythos.server.audit")

namespace mythos {

namespace {
constexpr std::array kCategories { AuditCategory::Chat, AuditCategory::Moderation, AuditCategory::System };
constexpr std::chrono::hours kPruneInterval(1);
const QLatin1String kSuffix(".jsonl");

QString categoryDir(const QString &root, AuditCategory category)
{
    return root + QLatin1Char('/') + auditCategoryName(category);
}

// QDir::mkpath says only "no"; the operator needs to know why (not a directory, no permission).
QString createDir(const QString &path)
{
    std::error_code ec;
    std::filesystem::create_directories(QFile::encodeName(path).toStdString(), ec);
    if (ec)
        return QString::fromStdString(ec.message());
    if (!QFileInfo(path).isWritable())
        return QStringLiteral("not writable");
    return {};
}

void warn(const char *failed, const QFile &file, quint64 linesLost)
{
    const QString lost = linesLost ? QStringLiteral(" - %1 lines lost").arg(linesLost) : QString();
    qCWarning(lcAudit).noquote().nospace() << failed << ' ' << file.fileName() << ": " << file.errorString() << lost;
}

// QJsonDocument serialises only containers: take the one element back out of an array.
QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}
} // namespace

QString auditCategoryName(AuditCategory category)
{
    static const char *const names[] = { "chat", "moderation", "system" }; // in enum order
    return QLatin1String(names[static_cast<size_t>(category)]);
}

QString auditFilePath(const QString &dir, AuditCategory category, QDate day)
{
    return categoryDir(dir, category) + QLatin1Char('/') + auditCategoryName(category) + QLatin1Char('_')
            + day.toString(Qt::ISODate) + kSuffix;
}

// What write() was given; the line is formatted on the writer's thread, off the event loop
// (formatting the time and the JSON was a tenth of the server's work per message).
struct AuditEntry
{
    AuditCategory category;
    QDateTime at; // UTC; its day picks the file
    QString event;
    QJsonObject fields;
};

// Lives on AuditLog's thread; only enqueue() and the counters are touched from other threads.
class AuditWriter : public QObject
{
public:
    AuditWriter(QString root, const QString &serverId, std::atomic<quint64> &lines, std::atomic<quint64> &errors)
        : m_root(std::move(root)), m_serverIdJson(jsonString(serverId)), m_lines(lines), m_errors(errors)
    {
    }

    // True when the caller must post a drain: one wake-up per burst, not one event per line.
    bool enqueue(AuditEntry entry)
    {
        QMutexLocker lock(&m_mutex);
        m_queue.append(std::move(entry));
        return !std::exchange(m_drainPosted, true);
    }
    void drain();
    int prune(QDate cutoff);
    QByteArray formatLine(const AuditEntry &entry) const;

private:
    struct Run // consecutive lines of one category and day
    {
        QDate day;
        QByteArray bytes;
        quint64 lines = 0;
    };
    void append(AuditCategory category, const Run &run);

    QString m_root;
    QByteArray m_serverIdJson;
    std::atomic<quint64> &m_lines; // AuditLog's, which outlives this
    std::atomic<quint64> &m_errors;
    QMutex m_mutex;
    QList<AuditEntry> m_queue;
    bool m_drainPosted = false;
    std::array<std::unique_ptr<QFile>, kCategories.size()> m_files; // open for m_days
    std::array<QDate, kCategories.size()> m_days;
};

void AuditWriter::drain()
{
    QList<AuditEntry> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_queue);
        m_drainPosted = false;
    }
    // One write per file and batch; a batch that spans midnight splits where the day changes.
    std::array<Run, kCategories.size()> runs;
    for (const AuditEntry &entry : std::as_const(batch)) {
        Run &run = runs[static_cast<size_t>(entry.category)];
        const QDate day = entry.at.date();
        if (run.lines > 0 && run.day != day)
            append(entry.category, std::exchange(run, {}));
        run.day = day;
        run.bytes += formatLine(entry);
        ++run.lines;
    }
    for (AuditCategory category : kCategories)
        append(category, runs[static_cast<size_t>(category)]);
}

void AuditWriter::append(AuditCategory category, const Run &run)
{
    if (run.lines == 0)
        return;
    std::unique_ptr<QFile> &file = m_files[static_cast<size_t>(category)];
    QDate &day = m_days[static_cast<size_t>(category)];
    if (!file || day != run.day) {
        file.reset();
        day = run.day;
        auto next = std::make_unique<QFile>(auditFilePath(m_root, category, day));
        // Made again here: an operator may have removed the folder while the server runs.
        QDir().mkpath(QFileInfo(next->fileName()).path());
        // Unbuffered: the one write() per batch is the flush, and its failure shows right here.
        if (!next->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            warn("cannot open", *next, run.lines);
            m_errors += run.lines;
            return; // the next batch tries again
        }
        file = std::move(next);
    }
    if (file->write(run.bytes) == run.bytes.size()) {
        m_lines += run.lines;
        return;
    }
    warn("cannot write", *file, run.lines);
    m_errors += run.lines;
    file.reset(); // reopened by the next batch
}

int AuditWriter::prune(QDate cutoff)
{
    int deleted = 0;
    for (AuditCategory category : kCategories) {
        // Deleting an open file would send later lines to an unlinked inode.
        if (m_days[static_cast<size_t>(category)] < cutoff)
            m_files[static_cast<size_t>(category)].reset();
        const QString prefix = auditCategoryName(category) + QLatin1Char('_');
        const QDir dir(categoryDir(m_root, category));
        const auto names = dir.entryList({ prefix + QLatin1Char('*') + kSuffix }, QDir::Files);
        for (const QString &name : names) {
            // Only our own <category>_YYYY-MM-DD.jsonl; anything else an operator put there stays.
            const QDate day = QDate::fromString(name.mid(prefix.size(), 10), Qt::ISODate);
            if (name.size() != prefix.size() + 10 + kSuffix.size() || !day.isValid() || day >= cutoff)
                continue;
            QFile file(dir.filePath(name));
            if (file.remove()) {
                ++deleted;
                continue;
            }
            ++m_errors;
            warn("cannot delete expired", file, 0);
        }
    }
    if (deleted > 0)
        qCInfo(lcAudit).noquote() << "deleted" << deleted << "audit files from before" << cutoff.toString(Qt::ISODate);
    return deleted;
}

AuditLog::AuditLog(QString dir, QString serverId, int retentionDays, AuditClock clock, QObject *parent)
    : QObject(parent), m_dir(QDir::cleanPath(dir)), m_serverId(std::move(serverId)), m_retentionDays(retentionDays),
      m_clock(clock ? std::move(clock) : AuditClock(&QDateTime::currentDateTimeUtc)),
      m_writer(new AuditWriter(m_dir, m_serverId, m_lines, m_errors)), m_pruneTimer(this)
{
    m_thread.setObjectName(QStringLiteral("mythos-audit"));
    m_writer->moveToThread(&m_thread);
    // Running from construction on, so flush() and pruneExpired() can never wait on a dead thread.
    m_thread.start();
    m_pruneTimer.setInterval(kPruneInterval);
    connect(&m_pruneTimer, &QTimer::timeout, this, [this] {
        // Queued, not pruneExpired(): the hourly pass must not stall this thread's event loop.
        QMetaObject::invokeMethod(
                m_writer, [writer = m_writer, cutoff = cutoffDay()] { writer->prune(cutoff); }, Qt::QueuedConnection);
    });
}

AuditLog::~AuditLog()
{
    // Deleted on its own thread, where its files were opened; that closes them.
    QMetaObject::invokeMethod(
            m_writer,
            [writer = m_writer] {
                writer->drain();
                delete writer;
            },
            Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool AuditLog::open(QString *error)
{
    for (AuditCategory category : kCategories) {
        const QString path = categoryDir(m_dir, category);
        const QString reason = createDir(path);
        if (reason.isEmpty())
            continue;
        const QString message = QStringLiteral("cannot create audit folder %1: %2").arg(path, reason);
        qCWarning(lcAudit).noquote() << message;
        if (error)
            *error = message;
        return false;
    }
    pruneExpired();
    m_pruneTimer.start();
    return true;
}

QByteArray AuditWriter::formatLine(const AuditEntry &entry) const
{
    QJsonObject extra = entry.fields;
    for (const char *fixed : { "ts", "category", "event", "server_id" })
        extra.remove(QLatin1String(fixed));
    // Built by hand so that ts comes first and a file reads (and sorts) chronologically.
    QByteArray line = "{\"ts\":\"" + entry.at.toString(Qt::ISODateWithMs).toLatin1() + "\",\"category\":\""
            + auditCategoryName(entry.category).toLatin1() + "\",\"event\":" + jsonString(entry.event)
            + ",\"server_id\":" + m_serverIdJson;
    if (extra.isEmpty())
        line += '}';
    else
        line += ',' + QJsonDocument(extra).toJson(QJsonDocument::Compact).mid(1); // keeps its '}'
    line += '\n';
    return line;
}

void AuditLog::write(AuditCategory category, const QString &event, const QJsonObject &fields)
{
    write(category, event, fields, m_clock());
}

void AuditLog::write(AuditCategory category, const QString &event, const QJsonObject &fields, const QDateTime &at)
{
    if (m_writer->enqueue({ category, at.toUTC(), event, fields }))
        QMetaObject::invokeMethod(
                m_writer, [writer = m_writer] { writer->drain(); }, Qt::QueuedConnection);
}

void AuditLog::flush()
{
    QMetaObject::invokeMethod(
            m_writer, [writer = m_writer] { writer->drain(); }, Qt::BlockingQueuedConnection);
}

int AuditLog::pruneExpired()
{
    int deleted = 0;
    QMetaObject::invokeMethod(
            m_writer, [&deleted, writer = m_writer, cutoff = cutoffDay()] { deleted = writer->prune(cutoff); },
            Qt::BlockingQueuedConnection);
    return deleted;
}

QDate AuditLog::cutoffDay() const
{
    // A file is kept while its day is at most retentionDays before today.
    return m_clock().toUTC().date().addDays(-qint64(m_retentionDays));
}

} // namespace mythos
