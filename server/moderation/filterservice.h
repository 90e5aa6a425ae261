#pragma once
// Owns the content filter as configured: loads the lists (configured files, else the bundled
// ones), reloads them when a file changes or an admin asks, and reports every bad line. With
// its worker thread started, the checks the pipeline asks for run there, off the event loop.

#include "moderation/contentfilter.h"

#include <QAtomicInteger>
#include <QFileSystemWatcher>
#include <QObject>
#include <QPointer>
#include <QSemaphore>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>

namespace mythos {

struct ChannelSpec;
struct ContentFilteringSection;

class FilterService : public QObject
{
    Q_OBJECT
public:
    explicit FilterService(const ContentFilteringSection &config, QObject *parent = nullptr);
    ~FilterService() override;

    // Loads the lists now; returns the problems found (also logged and signalled).
    QList<FilterListError> reload();
    FilterVerdict check(const QString &text) const; // at the default level
    FilterVerdict check(const QString &text, const ChannelSpec &channel) const; // at the channel's level
    bool isActive() const;

    // From now on checkInOrder() runs the checks on a thread of its own: the filter is the
    // largest part of accepting a message, and it only reads the lists.
    void startWorkerThread();
    // The verdict at the channel's level, handed to `done` on this object's thread: from the
    // worker thread when it runs (later, in the order asked; not at all if `context` is gone by
    // then), at once otherwise. At most kMaxInFlight checks wait for the worker: past that the
    // caller waits too, so a flood slows reading from the sockets as it did before the thread
    // instead of queueing without bound.
    void checkInOrder(const QString &text, const ChannelSpec &channel, QObject *context,
                      std::function<void(const FilterVerdict &)> done);
    quint64 checksOffThread() const { return m_checksOffThread; }
    // Asked of the worker and not finished there yet.
    quint64 checksInFlight() const { return m_checksOffThread - m_checksFinished.loadAcquire(); }
    static constexpr int maxChecksInFlight() { return kMaxInFlight; }
    quint64 reloads() const { return m_reloads; }

Q_SIGNALS:
    void reloaded(int profanityEntries, int keywordCount, const QList<mythos::FilterListError> &problems);

private:
    QString pathFor(const QString &configured, const char *bundled) const;
    void warnAboutUnusedCategories() const;

    const ContentFilteringSection &m_config;
    // Shared with the checks in flight on the worker thread; a reload swaps in a new one.
    std::shared_ptr<const ContentFilter> m_filter;
    bool m_profanityEnabled = false, m_keywordsEnabled = false;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread
    quint64 m_checksOffThread = 0;
    // 2048: about 70 ms of checks at 100 characters. 256 made the event loop wait for a worker
    // the scheduler had not run yet whenever 200 senders had 32 sends each in flight (store
    // bench 11,500 -> 8,400 msgs/s); the bound is for floods, not for ordinary load.
    static constexpr int kMaxInFlight = 2048;
    QSemaphore m_slots { kMaxInFlight }; // one per check the worker has not finished
    QAtomicInteger<quint64> m_checksFinished = 0; // by the worker
    QFileSystemWatcher m_watcher;
    QTimer m_debounce; // editors write files in several steps; reload once they are done
    quint64 m_reloads = 0;
};

} // namespace mythos
