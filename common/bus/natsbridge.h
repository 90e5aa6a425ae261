#pragma once
// The one crossing from nats.c's threads into Qt. Callbacks copy what they need out of the
// natsMsg, destroy it, queue the copy and post a single wake-up to the owning QObject; the
// owner drains the queue on its own thread. Connection callbacks only post.
// Private to the bus implementation: only .cpp files include it.

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QObject>

#include <memory>

#include <nats/nats.h>

#include <functional>

namespace mythos {

class NatsBridge
{
public:
    struct Incoming
    {
        QByteArray subject;
        QByteArray payload;
    };
    // A reply to one of our requests; a no-responders notice has no payload.
    struct Reply
    {
        QByteArray subject;
        QByteArray payload;
        bool noResponders = false;
    };
    // What the owner must look at after a wake-up.
    struct Batch
    {
        QList<Incoming> messages;
        QList<Reply> replies;
        bool connectionChanged = false;
        // Counted apart: by the time the owner looks, nats.c may be connected again.
        int disconnects = 0;
        int lameDuckNotices = 0;
        int completedSubscriptions = 0;
        QList<QByteArray> problems;
    };

    explicit NatsBridge(QObject *owner, std::function<void()> wake);

    Batch take();

    // Once retired, callbacks still in flight do nothing; the bridge itself is kept until the
    // process ends so a callback returning late never touches freed memory.
    static void retire(std::unique_ptr<NatsBridge> bridge);

    // nats.c callback signatures; the closure is the NatsBridge.
    static void onMessage(natsConnection *, natsSubscription *, natsMsg *msg, void *closure);
    static void onReply(natsConnection *, natsSubscription *, natsMsg *msg, void *closure);
    static void onConnectionEvent(natsConnection *, void *closure);
    static void onDisconnected(natsConnection *, void *closure);
    static void onLameDuck(natsConnection *, void *closure);
    static void onError(natsConnection *, natsSubscription *, natsStatus status, void *closure);
    static void onSubscriptionComplete(void *closure);

private:
    template<typename F>
    void enqueue(F &&change);

    QMutex m_mutex;
    QObject *m_owner;
    std::function<void()> m_wake;
    Batch m_pending;
    bool m_wakePosted = false;
};

} // namespace mythos
