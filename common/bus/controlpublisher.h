#pragma once
// Control messages between instances (mute changes, queue items, deletions) must not be lost
// to a NATS outage: the other instances would keep acting on stale state. What the bus cannot
// take right now is kept, in order, and sent when the bus is connected again. The backlog is
// bounded; what falls off is logged and counted. With the bus disabled there is no one to tell,
// and nothing is kept.

#include "bus/bus.h"

#include <QList>
#include <QObject>
#include <QPair>

namespace mythos {

class ControlPublisher : public QObject
{
    Q_OBJECT
public:
    ControlPublisher(Bus *bus, const char *what, qsizetype backlogLimit = 10000, QObject *parent = nullptr);

    void publish(const QByteArray &subject, const QByteArray &payload);

    qsizetype backlog() const { return m_backlog.size(); }
    quint64 delayed() const { return m_delayed; } // published late, after an outage
    quint64 dropped() const { return m_dropped; } // fell off a full backlog

private:
    void flush();

    Bus *m_bus;
    const char *m_what;
    qsizetype m_limit;
    QList<QPair<QByteArray, QByteArray>> m_backlog;
    quint64 m_delayed = 0;
    quint64 m_dropped = 0;
};

} // namespace mythos
