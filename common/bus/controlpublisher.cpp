#include "bus/controlpublisher.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcControl, "mythos.nats.control")

namespace mythos {

ControlPublisher::ControlPublisher(Bus *bus, const char *what, qsizetype backlogLimit, QObject *parent)
    : QObject(parent), m_bus(bus), m_what(what), m_limit(backlogLimit)
{
    connect(bus, &Bus::stateChanged, this, [this](Bus::State state) {
        if (state == Bus::State::Connected)
            flush();
    });
}

void ControlPublisher::publish(const QByteArray &subject, const QByteArray &payload)
{
    if (m_bus->state() == Bus::State::Disabled)
        return;
    // Behind an unsent backlog, sending now would overtake it: the backlog goes first.
    if (!m_backlog.isEmpty() && m_bus->isConnected())
        flush();
    if (m_backlog.isEmpty() && m_bus->publish(subject, payload))
        return;
    if (m_backlog.isEmpty() && m_bus->isConnected()) {
        // Refused while connected (too large, say): it would be refused again every time and
        // hold everything behind it.
        ++m_dropped;
        qCWarning(lcControl) << "NATS refused a" << m_what << "control message on" << subject
                             << "while connected; dropped";
        return;
    }
    if (m_backlog.isEmpty())
        qCWarning(lcControl) << "NATS cannot take" << m_what
                             << "control messages right now; keeping them until it is back";
    if (m_backlog.size() >= m_limit) {
        ++m_dropped;
        qCWarning(lcControl) << "the" << m_what << "control backlog is full (" << m_limit
                             << "); the oldest message is dropped";
        m_backlog.removeFirst();
    }
    m_backlog.append({ subject, payload });
}

void ControlPublisher::flush()
{
    qsizetype sent = 0;
    while (sent < m_backlog.size() && m_bus->isConnected()) {
        if (!m_bus->publish(m_backlog.at(sent).first, m_backlog.at(sent).second)) {
            if (!m_bus->isConnected())
                break; // the connection went again: keep the rest
            ++m_dropped; // refused while connected: it would block the rest forever
            qCWarning(lcControl) << "NATS refused a held" << m_what << "control message while connected; dropped";
        }
        ++sent;
    }
    if (sent == 0)
        return;
    m_backlog.remove(0, sent);
    m_delayed += sent;
    qCInfo(lcControl) << "sent" << sent << m_what << "control messages held during the NATS outage;" << m_backlog.size()
                      << "left";
}

} // namespace mythos
