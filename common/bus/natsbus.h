#pragma once
// The bus over NATS (nats.c). Never gives up: nats.c reconnects on its own, and when its
// attempts are spent the connection is rebuilt every reconnect_time_wait with every current
// interest subscribed again. Shut down with drain().

#include "bus/bus.h"

#include <QHash>
#include <QSet>
#include <QTimer>

#include <memory>

struct __natsConnection;
struct __natsSubscription;

namespace mythos {

class NatsBridge;

struct NatsBusOptions
{
    QString url = QStringLiteral("nats://127.0.0.1:4222"); // one URL or several, comma-separated
    QString clientName = QStringLiteral("mythos-chatd");
    int reconnectWaitMs = 1000;
    int maxReconnectAttempts = 5; // per connection; -1 = nats.c retries forever itself
    int reconnectBufferBytes = 8 * 1024 * 1024;
    int drainTimeoutMs = 5000;
    int pingIntervalMs = 1000; // a silent server is noticed after pingIntervalMs * (maxPingsOut + 1)
    int maxPingsOut = 2;
    bool noRandomize = false; // keep the order of `url` (an instance's preferred node first)
    // Credentials and TLS, as in the `nats` configuration section (at most one kind of credential).
    QString user, password, token, credentialsFile;
    bool tls = false;
    QString tlsCaFile, tlsCertFile, tlsKeyFile;
    bool tlsVerify = true;
};

class NatsBus : public Bus
{
    Q_OBJECT
public:
    explicit NatsBus(NatsBusOptions options, QObject *parent = nullptr);
    ~NatsBus() override;

    void start() override;
    bool publish(const QByteArray &subject, const QByteArray &payload) override;
    State state() const override { return m_state; }
    void drain() override;

    quint64 problemCount() const { return m_problems; }
    // Times a server announced lame-duck mode (it is about to shut down; we move elsewhere).
    quint64 lameDuckCount() const { return m_lameDucks; }
    int failedSubscriptions() const { return static_cast<int>(m_failedSubscriptions.size()); }
    // Replies that came after their request had timed out (or for no request of ours).
    quint64 lateReplies() const { return m_lateReplies; }
    // Waits for nats.c's own threads to finish; once, at the very end of main().
    static void releaseLibrary();

protected:
    void subscribe(const QByteArray &subject) override;
    void unsubscribe(const QByteArray &subject) override;
    bool sendRequest(const QByteArray &subject, const QByteArray &payload, quint64 token) override;

private:
    void connectNow();
    void processBridge();
    void refreshState();
    void setState(State state);
    void abandonConnection();
    void finishDrainIfDone();
    void destroyConnection();
    bool ensureInbox();

    NatsBusOptions m_options;
    std::unique_ptr<NatsBridge> m_bridge; // one per connection
    __natsConnection *m_conn = nullptr;
    QHash<QByteArray, __natsSubscription *> m_subs;
    // One wildcard subscription per connection takes every reply: `<inbox>.<token>`.
    QByteArray m_inbox;
    __natsSubscription *m_inboxSub = nullptr;
    quint64 m_lateReplies = 0;
    int m_openSubscriptions = 0;
    State m_state = State::Connecting;
    bool m_draining = false;
    bool m_drained = false;
    QString m_lastCloseReason; // logged once until the next connect
    bool m_everConnected = false;
    bool m_connectionUp = false; // this connection object has been connected at least once
    QTimer m_retryTimer;
    QTimer m_drainDeadline;
    QTimer m_subscribeRetry;
    QSet<QByteArray> m_failedSubscriptions;
    quint64 m_problems = 0;
    quint64 m_lameDucks = 0;
};

} // namespace mythos
