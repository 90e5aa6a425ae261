#include "bus/natsbridge.h"

#include <QMetaObject>

#include <vector>

namespace mythos {

NatsBridge::NatsBridge(QObject *owner, std::function<void()> wake) : m_owner(owner), m_wake(std::move(wake))
{
}

template<typename F>
void NatsBridge::enqueue(F &&change)
{
    QMutexLocker lock(&m_mutex);
    if (!m_owner)
        return;
    change(m_pending);
    if (m_wakePosted)
        return;
    m_wakePosted = true;
    // One posted call per burst: the owner takes everything queued so far in one go.
    QMetaObject::invokeMethod(m_owner, m_wake, Qt::QueuedConnection);
}

NatsBridge::Batch NatsBridge::take()
{
    QMutexLocker lock(&m_mutex);
    m_wakePosted = false;
    return std::exchange(m_pending, Batch {});
}

void NatsBridge::retire(std::unique_ptr<NatsBridge> bridge)
{
    static QMutex graveyardMutex;
    static std::vector<std::unique_ptr<NatsBridge>> graveyard;
    {
        QMutexLocker lock(&bridge->m_mutex);
        bridge->m_owner = nullptr;
    }
    QMutexLocker lock(&graveyardMutex);
    graveyard.push_back(std::move(bridge));
}

void NatsBridge::onMessage(natsConnection *, natsSubscription *, natsMsg *msg, void *closure)
{
    Incoming in { QByteArray(natsMsg_GetSubject(msg)), QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)) };
    natsMsg_Destroy(msg);
    static_cast<NatsBridge *>(closure)->enqueue([&](Batch &b) { b.messages.append(std::move(in)); });
}

void NatsBridge::onReply(natsConnection *, natsSubscription *, natsMsg *msg, void *closure)
{
    // The server's "no responders" status (503, no payload) comes to the reply subject like
    // an answer; only the message itself can tell them apart.
    Reply r { QByteArray(natsMsg_GetSubject(msg)), QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)),
              natsMsg_IsNoResponders(msg) };
    natsMsg_Destroy(msg);
    static_cast<NatsBridge *>(closure)->enqueue([&](Batch &b) { b.replies.append(std::move(r)); });
}

void NatsBridge::onConnectionEvent(natsConnection *, void *closure)
{
    static_cast<NatsBridge *>(closure)->enqueue([](Batch &b) { b.connectionChanged = true; });
}

void NatsBridge::onDisconnected(natsConnection *, void *closure)
{
    static_cast<NatsBridge *>(closure)->enqueue([](Batch &b) {
        b.connectionChanged = true;
        ++b.disconnects;
    });
}

void NatsBridge::onLameDuck(natsConnection *, void *closure)
{
    static_cast<NatsBridge *>(closure)->enqueue([](Batch &b) { ++b.lameDuckNotices; });
}

void NatsBridge::onError(natsConnection *, natsSubscription *sub, natsStatus status, void *closure)
{
    QByteArray text = natsStatus_GetText(status);
    if (sub)
        text += QByteArray(" on subject ") + natsSubscription_GetSubject(sub);
    static_cast<NatsBridge *>(closure)->enqueue([&](Batch &b) { b.problems.append(std::move(text)); });
}

void NatsBridge::onSubscriptionComplete(void *closure)
{
    static_cast<NatsBridge *>(closure)->enqueue([](Batch &b) { ++b.completedSubscriptions; });
}

} // namespace mythos
