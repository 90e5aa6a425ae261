#pragma once
// The message bus between server instances. Interest is reference-counted here so that each
// subject is subscribed once however many local players need it; implementations only see
// the first subscribe and the last unsubscribe.

#include "bus/busreply.h"
#include "bus/requesttracker.h"

#include <QByteArray>
#include <QHash>
#include <QObject>

namespace mythos {

class Bus : public QObject
{
    Q_OBJECT
public:
    enum class State { Disabled, Connecting, Connected, Reconnecting, Closed };
    Q_ENUM(State)

    using QObject::QObject;

    virtual void start() = 0;
    // Sends to the other instances. Returns false when the bus cannot take it right now; the
    // caller has already served its own players, so nothing is lost locally.
    virtual bool publish(const QByteArray &subject, const QByteArray &payload) = 0;
    virtual State state() const = 0;
    // Stops taking new work, lets in-flight messages finish, then emits drained().
    virtual void drain() = 0;

    // Asks whoever listens on `subject` and waits at most `timeoutMs` without blocking: the
    // handler runs exactly once on this thread, never inside this call (with the reply, a
    // timeout, no responders, or unavailable when the bus is down or disabled).
    void request(const QByteArray &subject, const QByteArray &payload, int timeoutMs, BusReplyHandler handler);
    int pendingRequests() const { return m_requests.pendingCount(); }

    bool isConnected() const { return state() == State::Connected; }
    void addInterest(const QByteArray &subject);
    void removeInterest(const QByteArray &subject);
    int interestCount() const { return static_cast<int>(m_interest.size()); }
    bool hasInterest(const QByteArray &subject) const { return m_interest.contains(subject); }
    quint64 reconnectCount() const { return m_reconnects; }

    static QString stateName(State state);

Q_SIGNALS:
    void messageReceived(const QByteArray &subject, const QByteArray &payload);
    void stateChanged(mythos::Bus::State state);
    void drained();
    // Asynchronous trouble worth an operator's attention (slow consumer, permission, …).
    void problem(const QString &description);

protected:
    virtual void subscribe(const QByteArray &subject) = 0;
    virtual void unsubscribe(const QByteArray &subject) = 0;
    const QHash<QByteArray, int> &interest() const { return m_interest; }
    // Sends a request whose reply is handed to resolveRequest(token, …). False when it cannot
    // be sent now (the default: a bus without request/reply).
    virtual bool sendRequest(const QByteArray &subject, const QByteArray &payload, quint64 token);
    RequestTracker &requests() { return m_requests; }
    quint64 m_reconnects = 0;

private:
    QHash<QByteArray, int> m_interest;
    RequestTracker m_requests;
};

} // namespace mythos
