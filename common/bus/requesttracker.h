#pragma once
// Requests waiting for a reply, each with a deadline: one timer for all of them (armed for the
// earliest), so a busy server does not run one QTimer per message. Lives on the bus's thread.

#include "bus/busreply.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMultiMap>
#include <QObject>
#include <QTimer>

namespace mythos {

class RequestTracker : public QObject
{
    Q_OBJECT
public:
    explicit RequestTracker(QObject *parent = nullptr);

    // A new request; its handler runs once: resolve(), its deadline or failAll().
    quint64 add(int timeoutMs, BusReplyHandler handler);
    // A reply for `token`. False when it is unknown (answered after its deadline, or twice).
    bool resolve(quint64 token, BusReply::Status status, const QByteArray &payload = {});
    // Resolves `token` on the next turn of the event loop: a handler never runs inside the
    // call that sent its request.
    void resolveLater(quint64 token, BusReply::Status status);
    // Every pending request ends with `status` (the connection is gone).
    void failAll(BusReply::Status status);
    int pendingCount() const { return static_cast<int>(m_pending.size()); }

private:
    struct Pending
    {
        BusReplyHandler handler;
        QElapsedTimer sent;
        qint64 deadline = 0;
    };
    void expire();
    void arm();

    QHash<quint64, Pending> m_pending;
    QMultiMap<qint64, quint64> m_deadlines; // monotonic ms -> token
    QElapsedTimer m_clock;
    QTimer m_timer;
    quint64 m_next = 0;
};

} // namespace mythos
