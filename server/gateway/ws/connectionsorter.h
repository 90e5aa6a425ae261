#pragma once
// Decides what a new connection on the gateway port is before anyone reads from it: a
// WebSocket upgrade to /ws goes to our own transport (its request head consumed here), any
// other request goes to QHttpServer untouched. The head is looked at with MSG_PEEK, so HTTP
// clients' bytes stay in the socket for Qt to read.

#include "gateway/ws/sockio.h"
#include "gateway/ws/wsframing.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <functional>
#include <memory>

namespace mythos::ws {

class ConnectionSorter : public QObject
{
    Q_OBJECT
public:
    using ToHttp = std::function<void(sockio::Fd fd)>;
    using ToWebSocket = std::function<void(sockio::Fd fd, RequestHead &&head)>;

    ConnectionSorter(ToHttp toHttp, ToWebSocket toWebSocket, QObject *parent = nullptr);
    ~ConnectionSorter() override;

    void sort(sockio::Fd fd);
    qsizetype waiting() const { return m_pending.size(); }

private:
    struct Pending
    {
        std::unique_ptr<QSocketNotifier> notifier;
        QElapsedTimer since;
    };
    void examine(sockio::Fd fd);
    void drop(sockio::Fd fd);
    // Stops watching `fd` without closing it (it is being handed on).
    void release(sockio::Fd fd);

    void sweep();

    ToHttp m_toHttp;
    ToWebSocket m_toWebSocket;
    QHash<sockio::Fd, std::shared_ptr<Pending>> m_pending;
    QTimer m_sweep; // drops connections that never finish (or never start) their request head
};

} // namespace mythos::ws
