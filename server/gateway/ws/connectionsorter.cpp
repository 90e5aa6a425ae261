#include "gateway/ws/connectionsorter.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcPoller)

namespace mythos::ws {

namespace {
// A request head larger than this is not a WebSocket handshake; Qt's HTTP side answers it.
constexpr qsizetype kMaxHead = 16 * 1024;
// A connection that has not finished its request head by then is dropped.
constexpr qint64 kHeadTimeoutMs = 10000;
// An incomplete head stays readable (it was only peeked at): look again after this pause
// instead of spinning on it.
constexpr int kRecheckMs = 100;
// Evictions are logged at most this often: under a flood there is one per new connection.
constexpr qint64 kEvictionLogMs = 10000;
} // namespace

ConnectionSorter::ConnectionSorter(ToHttp toHttp, ToWebSocket toWebSocket, QObject *parent)
    : QObject(parent), m_toHttp(std::move(toHttp)), m_toWebSocket(std::move(toWebSocket))
{
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionSorter::sweep);
}

void ConnectionSorter::sweep()
{
    QList<sockio::Fd> expired;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it.value()->since.hasExpired(kHeadTimeoutMs))
            expired.append(it.key());
    }
    for (sockio::Fd fd : std::as_const(expired))
        drop(fd);
    if (!expired.isEmpty())
        qCInfo(lcPoller) << "dropped" << expired.size() << "connections that sent no complete request head in"
                         << kHeadTimeoutMs / 1000 << "s";
    if (m_pending.isEmpty())
        m_sweep.stop();
}

ConnectionSorter::~ConnectionSorter()
{
    const auto fds = m_pending.keys();
    for (sockio::Fd fd : fds)
        drop(fd);
}

void ConnectionSorter::evict(sockio::Fd fd)
{
    if (!m_lastEvictionLog.isValid() || m_lastEvictionLog.hasExpired(kEvictionLogMs)) {
        m_lastEvictionLog.start();
        qCWarning(lcPoller) << m_pending.size() << "connections are still sending their request head (cap"
                            << m_limits.maxPending << "overall," << m_limits.maxPendingPerAddress
                            << "per address, 0: none); evicting the oldest to make room." << m_evictedAtCap
                            << "evicted at the cap and" << m_evictedPerAddress << "per address so far";
    }
    drop(fd);
}

void ConnectionSorter::sort(sockio::Fd fd)
{
    // A flood must not lock out whoever comes after it: the oldest silent connection makes
    // room for the newest (which, if it is a player, finishes its head within milliseconds).
    const QString address = m_limits.maxPendingPerAddress > 0 ? sockio::peerHost(fd) : QString();
    if (m_limits.maxPendingPerAddress > 0 && m_arrivals.countFrom(address) >= m_limits.maxPendingPerAddress) {
        if (const std::optional<sockio::Fd> oldest = m_arrivals.oldestFrom(address)) {
            ++m_evictedPerAddress;
            evict(*oldest);
        }
    }
    while (m_pending.size() >= std::max<qsizetype>(1, m_limits.maxPending)) {
        const std::optional<sockio::Fd> oldest = m_arrivals.oldest();
        if (!oldest)
            break;
        ++m_evictedAtCap;
        evict(*oldest);
    }
    if (!m_sweep.isActive())
        m_sweep.start();
    sockio::setNonBlocking(fd);
    auto pending = std::make_shared<Pending>();
    pending->notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    pending->since.start();
    connect(pending->notifier.get(), &QSocketNotifier::activated, this, [this, fd] { examine(fd); });
    m_pending.insert(fd, pending);
    m_arrivals.add(fd, address);
}

void ConnectionSorter::release(sockio::Fd fd)
{
    m_arrivals.remove(fd);
    const std::shared_ptr<Pending> pending = m_pending.take(fd);
    if (pending) {
        // Another notifier for this socket (Qt's own) must not coexist with ours.
        pending->notifier->setEnabled(false);
        pending->notifier.reset();
    }
}

void ConnectionSorter::drop(sockio::Fd fd)
{
    release(fd);
    sockio::closeSocket(fd);
}

void ConnectionSorter::examine(sockio::Fd fd)
{
    const auto it = m_pending.constFind(fd);
    if (it == m_pending.cend())
        return;
    const std::shared_ptr<Pending> pending = it.value();
    char buffer[kMaxHead];
    const qsizetype n = sockio::peek(fd, buffer, kMaxHead);
    if (n == sockio::WouldBlock)
        return;
    if (n <= 0)
        return drop(fd); // gone before saying anything
    const std::optional<RequestHead> head = parseHead(QByteArrayView(buffer, n));
    if (!head) {
        if (n >= kMaxHead) {
            release(fd);
            return m_toHttp(fd); // Qt answers an oversized head
        }
        pending->notifier->setEnabled(false);
        QTimer::singleShot(kRecheckMs, this, [this, fd, weak = std::weak_ptr<Pending>(pending)] {
            const std::shared_ptr<Pending> still = weak.lock();
            if (!still || !still->notifier)
                return;
            still->notifier->setEnabled(true);
            examine(fd);
        });
        return;
    }
    release(fd);
    if (!head->isWebSocketUpgrade() || head->path() != "/ws")
        return m_toHttp(fd);
    // Ours: consume exactly the head; the bytes after it (if any) are the first frames.
    qsizetype consumed = 0;
    while (consumed < head->length) {
        const qsizetype r = sockio::receive(fd, buffer, head->length - consumed);
        if (r <= 0) {
            sockio::closeSocket(fd);
            return;
        }
        consumed += r;
    }
    RequestHead owned = *head;
    m_toWebSocket(fd, std::move(owned));
}

} // namespace mythos::ws
