#pragma once
// An HTTP reply written after the route handler has returned (after a database commit, say).
// Qt 6.4's QHttpServerResponder keeps a raw pointer to its socket, and the socket is deleted
// when the client disconnects; writing through it then would touch freed memory. So the socket
// is watched, and a reply to a client that has gone is dropped (and counted by the caller).

#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>

#include <atomic>
#include <memory>

namespace mythos {

class PendingReply
{
public:
    using Counter = std::shared_ptr<std::atomic<quint64>>;

    PendingReply(QHttpServerResponder &&responder, Counter dropped)
        : m_responder(std::move(responder)), m_socket(m_responder.socket()), m_dropped(std::move(dropped))
    {
    }

    // The responder while its client is still connected; else nullptr, and the drop is counted.
    QHttpServerResponder *responder();

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    Counter m_dropped;
};

} // namespace mythos
