#include "bus/requesttracker.h"

namespace mythos {

RequestTracker::RequestTracker(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    // A 50 ms budget needs millisecond timers, not Qt's default coarse ones (±5 %).
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RequestTracker::expire);
}

quint64 RequestTracker::add(int timeoutMs, BusReplyHandler handler)
{
    const quint64 token = ++m_next;
    Pending p { std::move(handler), {}, m_clock.elapsed() + timeoutMs };
    p.sent.start();
    m_deadlines.insert(p.deadline, token);
    m_pending.insert(token, std::move(p));
    arm();
    return token;
}

bool RequestTracker::resolve(quint64 token, BusReply::Status status, const QByteArray &payload)
{
    auto it = m_pending.find(token);
    if (it == m_pending.end())
        return false;
    Pending p = std::move(it.value());
    m_pending.erase(it);
    m_deadlines.remove(p.deadline, token);
    arm();
    const BusReply reply { status, payload, p.sent.nsecsElapsed() / 1e6 };
    p.handler(reply); // last: the handler may send the next request
    return true;
}

void RequestTracker::resolveLater(quint64 token, BusReply::Status status)
{
    QMetaObject::invokeMethod(
            this, [this, token, status] { resolve(token, status); }, Qt::QueuedConnection);
}

void RequestTracker::failAll(BusReply::Status status)
{
    const QList<quint64> tokens = m_pending.keys();
    for (quint64 token : tokens)
        resolve(token, status);
}

void RequestTracker::expire()
{
    const qint64 now = m_clock.elapsed();
    QList<quint64> due;
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend() && it.key() <= now; ++it)
        due.append(it.value());
    for (quint64 token : std::as_const(due))
        resolve(token, BusReply::Status::Timeout);
    arm();
}

void RequestTracker::arm()
{
    if (m_deadlines.isEmpty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_deadlines.firstKey() - m_clock.elapsed());
    m_timer.start(static_cast<int>(wait));
}

} // namespace mythos
