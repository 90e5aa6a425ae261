#include "bus/natsbus.h"

#include "bus/natsbridge.h"

#include <QLoggingCategory>

#include <vector>

Q_LOGGING_CATEGORY(lcNats, "mythos.nats")

namespace mythos {

namespace {
// Pending limits per subscription: generous, because a slow consumer here means the event
// loop fell behind, and dropping chat silently is worse than using memory for a while.
constexpr int kPendingMsgs = 1000000;
constexpr int kPendingBytes = 512 * 1024 * 1024;
} // namespace

NatsBus::NatsBus(NatsBusOptions options, QObject *parent) : Bus(parent), m_options(std::move(options))
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(m_options.reconnectWaitMs);
    connect(&m_retryTimer, &QTimer::timeout, this, &NatsBus::connectNow);
    // A subscription the server refused (a permission being fixed, a transient error) is
    // tried again while the interest lasts; missing it would silently cut players off.
    m_subscribeRetry.setSingleShot(true);
    m_subscribeRetry.setInterval(m_options.reconnectWaitMs);
    connect(&m_subscribeRetry, &QTimer::timeout, this, [this] {
        const QSet<QByteArray> failed = std::exchange(m_failedSubscriptions, {});
        for (const QByteArray &subject : failed) {
            if (hasInterest(subject))
                subscribe(subject);
        }
    });
    m_drainDeadline.setSingleShot(true);
    connect(&m_drainDeadline, &QTimer::timeout, this, [this] {
        qCWarning(lcNats) << "drain did not complete in time; closing the NATS connection";
        m_openSubscriptions = 0;
        destroyConnection();
        finishDrainIfDone();
    });
}

NatsBus::~NatsBus()
{
    destroyConnection();
}

void NatsBus::releaseLibrary()
{
    nats_CloseAndWait(0);
}

void NatsBus::start()
{
    connectNow();
}

namespace {
// Credentials and TLS from the configuration (docs/trust.md). nats.c keeps the strings it is
// given, so the temporaries may go once the options are set.
natsStatus applySecurity(natsOptions *opts, const NatsBusOptions &o)
{
    natsStatus s = NATS_OK;
    if (!o.user.isEmpty())
        s = natsOptions_SetUserInfo(opts, o.user.toUtf8().constData(), o.password.toUtf8().constData());
    if (s == NATS_OK && !o.token.isEmpty())
        s = natsOptions_SetToken(opts, o.token.toUtf8().constData());
    if (s == NATS_OK && !o.credentialsFile.isEmpty())
        s = natsOptions_SetUserCredentialsFromFiles(opts, o.credentialsFile.toUtf8().constData(), nullptr);
    if (s != NATS_OK || !o.tls)
        return s;
    s = natsOptions_SetSecure(opts, true);
    if (s == NATS_OK && !o.tlsCaFile.isEmpty())
        s = natsOptions_LoadCATrustedCertificates(opts, o.tlsCaFile.toUtf8().constData());
    if (s == NATS_OK && !o.tlsCertFile.isEmpty())
        s = natsOptions_LoadCertificatesChain(opts, o.tlsCertFile.toUtf8().constData(),
                                              o.tlsKeyFile.toUtf8().constData());
    if (s == NATS_OK && !o.tlsVerify)
        s = natsOptions_SkipServerVerification(opts, true);
    return s;
}
} // namespace

void NatsBus::connectNow()
{
    if (m_draining)
        return;
    abandonConnection();
    m_bridge = std::make_unique<NatsBridge>(this, [this] { processBridge(); });
    NatsBridge *bridge = m_bridge.get();

    natsOptions *opts = nullptr;
    natsStatus s = natsOptions_Create(&opts);
    // natsOptions_SetURL takes one URL; a cluster is given as a server list. Servers the
    // cluster announces (INFO connect_urls) are added by nats.c and kept: we never set
    // natsOptions_SetIgnoreDiscoveredServers.
    QList<QByteArray> urls;
    for (const QString &u : m_options.url.split(QLatin1Char(','), Qt::SkipEmptyParts))
        urls.append(u.trimmed().toUtf8());
    std::vector<const char *> servers;
    for (const QByteArray &u : std::as_const(urls))
        servers.push_back(u.constData());
    const QByteArray name = m_options.clientName.toUtf8();
    if (s == NATS_OK)
        s = natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
    if (s == NATS_OK)
        s = natsOptions_SetNoRandomize(opts, m_options.noRandomize);
    if (s == NATS_OK)
        s = natsOptions_SetName(opts, name.constData());
    // Our own messages are delivered locally before publishing; no echo means no duplicates.
    if (s == NATS_OK)
        s = natsOptions_SetNoEcho(opts, true);
    // One delivery pool instead of one thread per subscription: rooms come and go by thousands.
    if (s == NATS_OK)
        s = natsOptions_UseGlobalMessageDelivery(opts, true);
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(opts, m_options.maxReconnectAttempts);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(opts, m_options.reconnectWaitMs);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectBufSize(opts, m_options.reconnectBufferBytes);
    // nats.c's defaults (2 min pings, 2 outstanding) notice a silently dead server after ~6 min.
    if (s == NATS_OK)
        s = natsOptions_SetPingInterval(opts, m_options.pingIntervalMs);
    if (s == NATS_OK)
        s = natsOptions_SetMaxPingsOut(opts, m_options.maxPingsOut);
    // Small jitter: instances spread their reconnects without pushing resumption past a second.
    if (s == NATS_OK)
        s = natsOptions_SetReconnectJitter(opts, 100, 1000);
    if (s == NATS_OK)
        s = natsOptions_SetLameDuckModeCB(opts, &NatsBridge::onLameDuck, bridge);
    if (s == NATS_OK)
        s = natsOptions_SetRetryOnFailedConnect(opts, true, &NatsBridge::onConnectionEvent, bridge);
    if (s == NATS_OK)
        s = natsOptions_SetDisconnectedCB(opts, &NatsBridge::onDisconnected, bridge);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectedCB(opts, &NatsBridge::onConnectionEvent, bridge);
    if (s == NATS_OK)
        s = natsOptions_SetClosedCB(opts, &NatsBridge::onConnectionEvent, bridge);
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(opts, &NatsBridge::onError, bridge);
    if (s == NATS_OK)
        s = applySecurity(opts, m_options);
    if (s == NATS_OK) {
        s = natsConnection_Connect(&m_conn, opts);
        if (s == NATS_NOT_YET_CONNECTED)
            s = NATS_OK; // nats.c keeps trying in the background
    }
    natsOptions_Destroy(opts);
    if (s != NATS_OK) {
        qCWarning(lcNats) << "cannot create NATS connection to" << m_options.url << ':' << natsStatus_GetText(s)
                          << "- retrying in" << m_options.reconnectWaitMs << "ms";
        m_conn = nullptr;
        setState(State::Reconnecting);
        m_retryTimer.start();
        return;
    }
    m_connectionUp = false;
    refreshState();
}

bool NatsBus::publish(const QByteArray &subject, const QByteArray &payload)
{
    if (m_state != State::Connected || !m_conn)
        return false;
    const natsStatus s =
            natsConnection_Publish(m_conn, subject.constData(), payload.constData(), static_cast<int>(payload.size()));
    if (s != NATS_OK) {
        ++m_problems;
        qCWarning(lcNats) << "publish on" << subject << "failed:" << natsStatus_GetText(s);
        return false;
    }
    return true;
}

void NatsBus::subscribe(const QByteArray &subject)
{
    // Before this connection is first up, interest is only recorded; it is all subscribed at once
    // when the connection comes up (nats.c keeps it across its own reconnects after that).
    if (!m_conn || !m_connectionUp || m_draining || m_subs.contains(subject))
        return;
    natsSubscription *sub = nullptr;
    natsStatus s = natsConnection_Subscribe(&sub, m_conn, subject.constData(), &NatsBridge::onMessage, m_bridge.get());
    if (s == NATS_OK)
        s = natsSubscription_SetOnCompleteCB(sub, &NatsBridge::onSubscriptionComplete, m_bridge.get());
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, kPendingMsgs, kPendingBytes);
    if (s != NATS_OK) {
        ++m_problems;
        qCWarning(lcNats) << "subscribe to" << subject << "failed:" << natsStatus_GetText(s) << "- retrying in"
                          << m_options.reconnectWaitMs << "ms";
        if (sub)
            natsSubscription_Destroy(sub);
        m_failedSubscriptions.insert(subject);
        m_subscribeRetry.start();
        return;
    }
    ++m_openSubscriptions;
    m_subs.insert(subject, sub);
}

void NatsBus::unsubscribe(const QByteArray &subject)
{
    natsSubscription *sub = m_subs.take(subject);
    if (!sub)
        return;
    const natsStatus s = natsSubscription_Unsubscribe(sub);
    if (s != NATS_OK && s != NATS_CONNECTION_CLOSED)
        qCWarning(lcNats) << "unsubscribe from" << subject << "failed:" << natsStatus_GetText(s);
    // The bridge outlives the callback; destroying our handle now is safe.
    natsSubscription_Destroy(sub);
}

bool NatsBus::ensureInbox()
{
    if (m_inboxSub)
        return true;
    if (!m_conn || !m_connectionUp || m_draining)
        return false;
    natsInbox *inbox = nullptr;
    natsStatus s = natsInbox_Create(&inbox);
    if (s == NATS_OK)
        m_inbox = QByteArray(inbox);
    natsInbox_Destroy(inbox);
    natsSubscription *sub = nullptr;
    if (s == NATS_OK)
        s = natsConnection_Subscribe(&sub, m_conn, (m_inbox + ".*").constData(), &NatsBridge::onReply, m_bridge.get());
    if (s == NATS_OK)
        s = natsSubscription_SetOnCompleteCB(sub, &NatsBridge::onSubscriptionComplete, m_bridge.get());
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, kPendingMsgs, kPendingBytes);
    if (s != NATS_OK) {
        ++m_problems;
        qCWarning(lcNats) << "cannot subscribe to the reply inbox:" << natsStatus_GetText(s);
        if (sub)
            natsSubscription_Destroy(sub);
        return false;
    }
    ++m_openSubscriptions;
    m_inboxSub = sub;
    return true;
}

bool NatsBus::sendRequest(const QByteArray &subject, const QByteArray &payload, quint64 token)
{
    if (!ensureInbox())
        return false;
    const QByteArray reply = m_inbox + '.' + QByteArray::number(token);
    const natsStatus s = natsConnection_PublishRequest(m_conn, subject.constData(), reply.constData(),
                                                       payload.constData(), static_cast<int>(payload.size()));
    if (s != NATS_OK) {
        ++m_problems;
        qCWarning(lcNats) << "request on" << subject << "failed:" << natsStatus_GetText(s);
        return false;
    }
    return true;
}

void NatsBus::processBridge()
{
    if (!m_bridge)
        return;
    NatsBridge::Batch batch = m_bridge->take();
    for (const QByteArray &p : std::as_const(batch.problems)) {
        ++m_problems;
        qCWarning(lcNats) << "NATS reported:" << p;
        Q_EMIT problem(QString::fromUtf8(p));
    }
    for (int i = 0; i < batch.lameDuckNotices; ++i) {
        ++m_lameDucks;
        ++m_problems;
        const char *server = nullptr;
        char buf[256] = {};
        if (m_conn && natsConnection_GetConnectedUrl(m_conn, buf, sizeof buf) == NATS_OK)
            server = buf;
        qCWarning(lcNats) << "NATS server" << (server ? server : "?")
                          << "entered lame-duck mode; moving to another server of the list";
        Q_EMIT problem(
                QStringLiteral("NATS server %1 entered lame-duck mode").arg(QString::fromUtf8(server ? server : "?")));
    }
    if (batch.lameDuckNotices > 0 && !m_draining) {
        // The server closes its clients spread over its lame-duck duration (minutes) and
        // accepts no new ones; nats.c 3.4 has no "reconnect now", so the connection is rebuilt
        // at once: the lame server refuses it and the next one of the list takes it, with
        // every current interest subscribed again (the same path as after spent reconnects).
        // It is an outage however short: what was in flight on the old connection is lost,
        // and the catch-up that follows a reconnect is what brings it back.
        if (m_state == State::Connected)
            setState(State::Reconnecting);
        connectNow();
        return;
    }
    m_openSubscriptions -= batch.completedSubscriptions;
    if (batch.disconnects > 0 && m_state == State::Connected && !m_draining) {
        // nats.c reconnects on its own thread, often to another server of the cluster within
        // milliseconds, so the status read below may already be "connected" again. The link
        // was still lost (a silent one for seconds), so the outage is reported first: the
        // reconnect is counted and the catch-up asks for what went missing meanwhile.
        setState(State::Reconnecting);
    }
    if (batch.connectionChanged)
        refreshState();
    for (const auto &in : std::as_const(batch.messages))
        Q_EMIT messageReceived(in.subject, in.payload);
    for (const NatsBridge::Reply &r : std::as_const(batch.replies)) {
        const qsizetype dot = r.subject.lastIndexOf('.');
        bool numeric = false;
        const quint64 token = r.subject.mid(dot + 1).toULongLong(&numeric);
        const auto status = r.noResponders ? BusReply::Status::NoResponders : BusReply::Status::Ok;
        if (!numeric || !r.subject.startsWith(m_inbox) || !requests().resolve(token, status, r.payload))
            ++m_lateReplies;
    }
    finishDrainIfDone();
}

void NatsBus::refreshState()
{
    if (!m_conn)
        return;
    switch (natsConnection_Status(m_conn)) {
    case NATS_CONN_STATUS_CONNECTED:
        if (m_everConnected && m_state != State::Connected)
            ++m_reconnects;
        m_everConnected = true;
        m_lastCloseReason.clear();
        if (!m_connectionUp) {
            m_connectionUp = true;
            for (auto it = interest().cbegin(); it != interest().cend(); ++it)
                subscribe(it.key());
        }
        setState(State::Connected);
        break;
    case NATS_CONN_STATUS_CONNECTING: setState(m_everConnected ? State::Reconnecting : State::Connecting); break;
    case NATS_CONN_STATUS_DISCONNECTED:
    case NATS_CONN_STATUS_RECONNECTING: setState(State::Reconnecting); break;
    case NATS_CONN_STATUS_DRAINING_SUBS:
    case NATS_CONN_STATUS_DRAINING_PUBS: break;
    case NATS_CONN_STATUS_CLOSED:
        if (m_draining) {
            setState(State::Closed);
        } else {
            // nats.c spent its attempts; we never give up. Say why once, not at every retry.
            // nats.c reports a refused login or an untrusted certificate only as "no server
            // available", so the hint names what to check.
            const char *detail = nullptr;
            const natsStatus why = m_conn ? natsConnection_GetLastError(m_conn, &detail) : NATS_OK;
            const QString reason = why == NATS_OK
                    ? QStringLiteral("no error reported")
                    : QString::fromUtf8(detail && *detail ? detail : natsStatus_GetText(why));
            if (reason != m_lastCloseReason) {
                qCWarning(lcNats).noquote()
                        << "NATS connection to" << m_options.url << "closed after its reconnect attempts (" << reason
                        << "; check nats.url, the credentials and TLS settings); trying again every"
                        << m_options.reconnectWaitMs << "ms";
                m_lastCloseReason = reason;
            }
            setState(State::Reconnecting);
            m_retryTimer.start();
        }
        break;
    }
}

void NatsBus::setState(State state)
{
    if (state == m_state)
        return;
    qCInfo(lcNats) << "NATS" << m_options.url << stateName(m_state) << "->" << stateName(state);
    m_state = state;
    Q_EMIT stateChanged(state);
}

void NatsBus::drain()
{
    if (m_draining)
        return;
    m_draining = true;
    m_retryTimer.stop();
    if (m_conn && natsConnection_Status(m_conn) == NATS_CONN_STATUS_CONNECTED
        && natsConnection_DrainTimeout(m_conn, m_options.drainTimeoutMs) == NATS_OK) {
        m_drainDeadline.start(m_options.drainTimeoutMs + 1000);
        return;
    }
    // Not connected: nothing in flight can be delivered anyway.
    destroyConnection();
    m_openSubscriptions = 0;
    finishDrainIfDone();
}

void NatsBus::finishDrainIfDone()
{
    if (!m_draining || m_drained)
        return;
    if (m_conn && natsConnection_Status(m_conn) != NATS_CONN_STATUS_CLOSED)
        return;
    if (m_openSubscriptions > 0)
        return;
    m_drained = true;
    m_drainDeadline.stop();
    destroyConnection();
    setState(State::Closed);
    Q_EMIT drained();
}

void NatsBus::abandonConnection()
{
    destroyConnection();
    m_openSubscriptions = 0;
}

void NatsBus::destroyConnection()
{
    for (natsSubscription *sub : std::as_const(m_subs))
        natsSubscription_Destroy(sub);
    m_subs.clear();
    if (m_inboxSub) {
        natsSubscription_Destroy(m_inboxSub);
        m_inboxSub = nullptr;
    }
    // Replies addressed to this connection's inbox can no longer arrive.
    requests().failAll(BusReply::Status::Unavailable);
    if (m_conn) {
        natsConnection_Close(m_conn);
        natsConnection_Destroy(m_conn);
        m_conn = nullptr;
    }
    if (m_bridge)
        NatsBridge::retire(std::move(m_bridge));
}

} // namespace mythos
