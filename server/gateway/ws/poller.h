#pragma once
// Readiness of many sockets, delivered on the Qt event loop, and the end-of-pass flush that
// lets every frame a connection gets during one pass go out in one write. On Linux one epoll
// set sits behind a single QSocketNotifier, so fifteen thousand idle players cost nothing per
// loop pass (Qt's own dispatchers poll() every notifier on every pass); elsewhere, and with
// MYTHOS_POLLER=qt, each socket gets QSocketNotifiers.

#include "gateway/ws/sockio.h"

#include <QList>
#include <QObject>

#include <memory>

namespace mythos::ws {

class PollClient
{
public:
    virtual ~PollClient() = default;
    virtual void readable() = 0;
    virtual void writable() = 0;
    // Called once per pass for clients that asked with Poller::flushSoon().
    virtual void flush() = 0;
};

class Poller : public QObject
{
    Q_OBJECT
public:
    static std::unique_ptr<Poller> create(QObject *parent = nullptr);
    ~Poller() override;

    virtual void add(sockio::Fd fd, PollClient *client) = 0;
    virtual void setWriteInterest(sockio::Fd fd, bool on) = 0;
    // Also forgets a pending flush; call before the client is destroyed.
    virtual void remove(sockio::Fd fd, PollClient *client) = 0;
    virtual const char *name() const = 0;

    // Asks for client->flush() once the current event has been handled.
    void flushSoon(PollClient *client);

protected:
    using QObject::QObject;
    void forgetFlush(PollClient *client);

private:
    void flushAll();
    QList<PollClient *> m_toFlush;
    bool m_flushPosted = false;
};

} // namespace mythos::ws
