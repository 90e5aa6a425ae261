#include "gateway/ws/poller.h"

#include <QHash>
#include <QLoggingCategory>
#include <QSocketNotifier>

#ifdef Q_OS_LINUX
#include <sys/epoll.h>
#include <unistd.h>
#endif

Q_LOGGING_CATEGORY(lcPoller, "mythos.server.ws")

namespace mythos::ws {

Poller::~Poller() = default;

void Poller::flushSoon(PollClient *client)
{
    m_toFlush.append(client);
    if (m_flushPosted)
        return;
    m_flushPosted = true;
    // Queued: runs after the handler that produced the frames, so a burst is one write.
    QMetaObject::invokeMethod(this, &Poller::flushAll, Qt::QueuedConnection);
}

void Poller::forgetFlush(PollClient *client)
{
    m_toFlush.removeAll(client);
}

void Poller::flushAll()
{
    m_flushPosted = false;
    // A flush may close a connection, which removes it from the list: take the list first.
    const QList<PollClient *> clients = std::exchange(m_toFlush, {});
    for (PollClient *client : clients)
        client->flush();
}

namespace {

// One pair of notifiers per socket: portable, and fine for modest numbers of connections.
class NotifierPoller final : public Poller
{
public:
    using Poller::Poller;
    const char *name() const override { return "qt"; }

    void add(sockio::Fd fd, PollClient *client) override
    {
        auto entry = std::make_shared<Entry>();
        entry->read = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
        connect(entry->read.get(), &QSocketNotifier::activated, this, [client] { client->readable(); });
        entry->write = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write);
        entry->write->setEnabled(false);
        connect(entry->write.get(), &QSocketNotifier::activated, this, [client] { client->writable(); });
        m_entries.insert(fd, std::move(entry));
    }
    void setWriteInterest(sockio::Fd fd, bool on) override
    {
        if (const auto entry = m_entries.value(fd))
            entry->write->setEnabled(on);
    }
    void remove(sockio::Fd fd, PollClient *client) override
    {
        forgetFlush(client);
        // Possibly called from inside one of these notifiers' own signal: delete them later.
        if (const auto entry = m_entries.take(fd)) {
            for (auto *notifier : { entry->read.release(), entry->write.release() }) {
                notifier->setEnabled(false);
                notifier->deleteLater();
            }
        }
    }

private:
    struct Entry
    {
        std::unique_ptr<QSocketNotifier> read;
        std::unique_ptr<QSocketNotifier> write;
    };
    QHash<sockio::Fd, std::shared_ptr<Entry>> m_entries;
};

#ifdef Q_OS_LINUX
class EpollPoller final : public Poller
{
public:
    explicit EpollPoller(QObject *parent) : Poller(parent), m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    {
        m_notifier = std::make_unique<QSocketNotifier>(m_epoll, QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &EpollPoller::dispatch);
    }
    ~EpollPoller() override
    {
        m_notifier.reset();
        ::close(m_epoll);
    }
    bool isValid() const { return m_epoll >= 0; }
    const char *name() const override { return "epoll"; }

    void add(sockio::Fd fd, PollClient *client) override
    {
        m_clients.insert(fd, client);
        control(EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLRDHUP);
    }
    void setWriteInterest(sockio::Fd fd, bool on) override
    {
        control(EPOLL_CTL_MOD, fd, EPOLLIN | EPOLLRDHUP | (on ? quint32(EPOLLOUT) : 0u));
    }
    void remove(sockio::Fd fd, PollClient *client) override
    {
        forgetFlush(client);
        m_clients.remove(fd);
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, static_cast<int>(fd), nullptr);
    }

private:
    void control(int op, sockio::Fd fd, quint32 events)
    {
        epoll_event ev {};
        ev.events = events;
        ev.data.fd = static_cast<int>(fd);
        if (::epoll_ctl(m_epoll, op, static_cast<int>(fd), &ev) != 0)
            qCWarning(lcPoller) << "epoll_ctl failed for socket" << fd << ":" << strerror(errno);
    }

    void dispatch()
    {
        epoll_event events[256];
        // A few rounds per wake-up, then back to the event loop so timers and NATS get a turn.
        for (int round = 0; round < 4; ++round) {
            const int n = ::epoll_wait(m_epoll, events, 256, 0);
            for (int i = 0; i < n; ++i) {
                // Looked up by descriptor, not by pointer: an earlier event of this batch may
                // have closed a connection.
                PollClient *client = m_clients.value(events[i].data.fd);
                if (!client)
                    continue;
                if (events[i].events & (EPOLLOUT | EPOLLERR))
                    client->writable();
                client = m_clients.value(events[i].data.fd);
                if (client && (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
                    client->readable();
            }
            if (n < 256)
                break;
        }
    }

    int m_epoll;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QHash<sockio::Fd, PollClient *> m_clients;
};
#endif

} // namespace

std::unique_ptr<Poller> Poller::create(QObject *parent)
{
#ifdef Q_OS_LINUX
    if (qgetenv("MYTHOS_POLLER") != "qt") {
        auto epoll = std::make_unique<EpollPoller>(parent);
        if (epoll->isValid())
            return epoll;
        qCWarning(lcPoller) << "epoll unavailable; using one notifier per socket";
    }
#endif
    return std::make_unique<NotifierPoller>(parent);
}

} // namespace mythos::ws
