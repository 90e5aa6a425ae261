#include "moderation/filterservice.h"

#include "config/config.h"

#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcFilterService, "mythos.server.filter.lists")

namespace mythos {

FilterService::FilterService(const ContentFilteringSection &config, QObject *parent)
    : QObject(parent), m_config(config), m_profanityEnabled(config.enabled && config.profanityFilter),
      m_keywordsEnabled(config.enabled && config.keywordDetection)
{
    auto empty = std::make_shared<ContentFilter>();
    empty->setProfanityEnabled(m_profanityEnabled);
    empty->setKeywordsEnabled(m_keywordsEnabled);
    m_filter = std::move(empty);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &FilterService::reload);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        qCInfo(lcFilterService) << path << "changed; reloading the filter lists";
        m_debounce.start();
    });
}

FilterService::~FilterService()
{
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

bool FilterService::isActive() const
{
    return m_profanityEnabled || m_keywordsEnabled;
}

void FilterService::startWorkerThread()
{
    if (m_thread.isRunning())
        return;
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("content-filter"));
    m_thread.start();
}

void FilterService::checkInOrder(const QString &text, const ChannelSpec &channel, QObject *context,
                                 std::function<void(const FilterVerdict &)> done)
{
    if (!isActive() || !m_thread.isRunning()) {
        done(check(text, channel));
        return;
    }
    ++m_checksOffThread;
    m_slots.acquire(); // the worker needs nothing from this thread to free one: no deadlock
    // One worker thread and queued calls both ways: verdicts come back in the order asked, so
    // one sender's messages keep theirs. The lists and the level are copies the job owns.
    QMetaObject::invokeMethod(
            m_worker,
            [this, filter = m_filter, level = m_config.levelFor(channel), text, context = QPointer<QObject>(context),
             done = std::move(done)]() mutable {
                FilterVerdict verdict = filter->check(text, level);
                m_checksFinished.fetchAndAddRelease(1);
                m_slots.release();
                QMetaObject::invokeMethod(
                        this,
                        [context, done = std::move(done), verdict = std::move(verdict)] {
                            if (context) // checked here, on the thread that owns it
                                done(verdict);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

QString FilterService::pathFor(const QString &configured, const char *bundled) const
{
    return configured.isEmpty() ? QStringLiteral(":/mythos/filters/") + QLatin1String(bundled) : configured;
}

QList<FilterListError> FilterService::reload()
{
    const QString profanity = pathFor(m_config.profanityList, "profanity.txt");
    const QString allow = pathFor(m_config.allowList, "allow.txt");
    const QString keywords = pathFor(m_config.keywordList, "keywords.txt");
    // Load into a fresh filter and swap: an editor's half-written save (an unreadable file) must
    // not leave players unfiltered, so the lists in use stay until a complete set loads.
    auto fresh = std::make_shared<ContentFilter>();
    fresh->setProfanityEnabled(m_profanityEnabled);
    fresh->setKeywordsEnabled(m_keywordsEnabled);
    const QList<FilterListError> problems = fresh->load(profanity, allow, keywords);
    const bool unreadable =
            std::any_of(problems.begin(), problems.end(), [](const FilterListError &e) { return e.line == 0; });
    if (unreadable && m_reloads > 0)
        qCWarning(lcFilterService) << "keeping the previous filter lists: a list file could not be read";
    else
        m_filter = std::move(fresh); // checks in flight finish with the lists they started with
    ++m_reloads;
    for (const FilterListError &e : problems)
        qCWarning(lcFilterService).noquote() << QStringLiteral("%1:%2: %3").arg(e.file).arg(e.line).arg(e.message);
    // Watch what exists on disk (an editor may have replaced the file, which drops the watch).
    for (const QString &path : { profanity, allow, keywords }) {
        if (!path.startsWith(QLatin1Char(':')) && QFileInfo::exists(path) && !m_watcher.files().contains(path))
            m_watcher.addPath(path);
    }
    warnAboutUnusedCategories();
    qCInfo(lcFilterService) << "filter lists loaded:" << m_filter->profanityEntries() << "profanity entries,"
                            << m_filter->keywordCount() << "keyword patterns," << problems.size() << "problems";
    Q_EMIT reloaded(static_cast<int>(m_filter->profanityEntries()), static_cast<int>(m_filter->keywordCount()),
                    problems);
    return problems;
}

FilterVerdict FilterService::check(const QString &text) const
{
    if (!isActive())
        return { text };
    const auto level = m_config.levels.constFind(m_config.defaultLevel);
    return m_filter->check(text, level == m_config.levels.constEnd() ? FilterLevel::asListed() : *level);
}

FilterVerdict FilterService::check(const QString &text, const ChannelSpec &channel) const
{
    if (!isActive())
        return { text };
    return m_filter->check(text, m_config.levelFor(channel));
}

// A level naming a category no list files anything under is most likely a typo ("slurs"): it
// would silently do nothing. The built-in levels' categories are the documented ones.
void FilterService::warnAboutUnusedCategories() const
{
    const QStringList used = m_filter->categories();
    QStringList documented;
    for (const FilterLevel &level : builtInFilterLevels())
        documented += level.namedCategories();
    for (const FilterLevel &level : m_config.levels) {
        for (const QString &category : level.namedCategories()) {
            if (!used.contains(category) && !documented.contains(category))
                qCWarning(lcFilterService).noquote()
                        << QStringLiteral("filter level '%1' names category '%2', which no list entry is filed under")
                                   .arg(level.name, category);
        }
    }
}

} // namespace mythos
