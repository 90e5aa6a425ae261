#pragma once
// The audit trail NATS does not keep: JSON lines in <dir>/<category>/<category>_YYYY-MM-DD.jsonl
// (UTC day), written on its own thread so callers never wait on the disk; expired days are pruned.

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <functional>

namespace mythos {

enum class AuditCategory { Chat, Moderation, System };
QString auditCategoryName(AuditCategory category);
// <dir>/<category>/<category>_YYYY-MM-DD.jsonl: the file a day's lines of a category go to.
QString auditFilePath(const QString &dir, AuditCategory category, QDate day);

// Returns "now" (converted to UTC by the log); injectable so tests can cross midnight.
using AuditClock = std::function<QDateTime()>;

class AuditWriter;

class AuditLog : public QObject
{
    Q_OBJECT
public:
    // retentionDays: a file is deleted once its day is more than this many days before today.
    AuditLog(QString dir, QString serverId, int retentionDays, AuditClock clock = {}, QObject *parent = nullptr);
    ~AuditLog() override;

    // Creates the category folders and prunes expired days; starts the hourly pruning.
    bool open(QString *error);

    // Thread-safe. Builds the line here (so `ts` is the caller's moment) and queues it for the
    // writer thread; lines reach each file in the order write() was called.
    void write(AuditCategory category, const QString &event, const QJsonObject &fields);
    // The same for an event that happened at `at` (imported history): its line goes to that
    // day's file, stamped with that time.
    void write(AuditCategory category, const QString &event, const QJsonObject &fields, const QDateTime &at);
    // Blocks until every line queued so far has been handed to the operating system.
    void flush();
    // Blocks until the files of expired days are deleted; returns how many were.
    int pruneExpired();

    // Thread-safe. errorCount: lines that could not be written plus files prune could not delete.
    quint64 linesWritten() const { return m_lines.load(); }
    quint64 errorCount() const { return m_errors.load(); }

    const QString &dir() const { return m_dir; }

private:
    QDate cutoffDay() const;

    QString m_dir;
    QString m_serverId;
    int m_retentionDays;
    AuditClock m_clock;
    std::atomic<quint64> m_lines { 0 };
    std::atomic<quint64> m_errors { 0 };
    QThread m_thread;
    AuditWriter *m_writer; // lives on m_thread; deleted once the thread has stopped
    QTimer m_pruneTimer;
};

} // namespace mythos
