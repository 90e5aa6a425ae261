#pragma once
// Owns the content filter as configured: loads the lists (configured files, else the bundled
// ones), reloads them when a file changes or an admin asks, and reports every bad line.

#include "moderation/contentfilter.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace mythos {

struct ChannelSpec;
struct ContentFilteringSection;

class FilterService : public QObject
{
    Q_OBJECT
public:
    explicit FilterService(const ContentFilteringSection &config, QObject *parent = nullptr);

    // Loads the lists now; returns the problems found (also logged and signalled).
    QList<FilterListError> reload();
    FilterVerdict check(const QString &text) const; // at the default level
    FilterVerdict check(const QString &text, const ChannelSpec &channel) const; // at the channel's level
    bool isActive() const;
    quint64 reloads() const { return m_reloads; }

Q_SIGNALS:
    void reloaded(int profanityEntries, int keywordCount, const QList<mythos::FilterListError> &problems);

private:
    QString pathFor(const QString &configured, const char *bundled) const;
    void warnAboutUnusedCategories() const;

    const ContentFilteringSection &m_config;
    ContentFilter m_filter;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce; // editors write files in several steps; reload once they are done
    quint64 m_reloads = 0;
};

} // namespace mythos
