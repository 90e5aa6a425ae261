#include "chat/catchupservice.h"

#include "chat/chatservice.h"
#include "chat/playerregistry.h"
#include "chat/recoveryrules.h"
#include "config/config.h"
#include "protocol/event.h"
#include "protocol/subjects.h"
#include "protocol/wirenames.h"
#include "util/ids.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <algorithm>

Q_LOGGING_CATEGORY(lcCatchUp, "mythos.server.catchup")

namespace mythos {

namespace {
const QLatin1String kOp("op");
const QLatin1String kMessages("messages");
const QLatin1String kComplete("complete");
const QLatin1String kReason = wire::field::reason;
const QLatin1String kSince("since");
const QLatin1String kOutage("outage");

// How long the answers to a request are gathered before they are delivered as one ordered
// stream; answers arriving later are delivered as they come.
constexpr int kCollectMs = 1000;
// Answers given this soon after our own outage also carry what we accepted during it: an
// instance that came back after our request went out never heard it.
constexpr qint64 kRepeatOwnOutageMs = 30000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString isoAt(qint64 ms)
{
    return isoTimestamp(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

// A server id as one subject token (configured ids may contain anything).
QByteArray subjectToken(const QString &serverId)
{
    if (isValidSubjectId(serverId))
        return serverId.toUtf8();
    return QCryptographicHash::hash(serverId.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
}

// A lower bound for message ids: a minted id or a messageIdFloor() (12 hex digits of ms).
bool isIdBound(const QString &since)
{
    if (since.size() < 12)
        return false;
    return std::all_of(since.cbegin(), since.cbegin() + 12,
                       [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

QString messageId(const QJsonValue &message)
{
    return message.toObject().value(QLatin1String("message_id")).toString();
}
} // namespace

CatchUpService::CatchUpService(const Config &config, QString serverId, Bus *bus, const Subjects &subjects,
                               ChatService *chat, PlayerRegistry *registry, QObject *parent)
    : QObject(parent), m_config(config), m_serverId(std::move(serverId)), m_bus(bus), m_chat(chat),
      m_registry(registry), m_requestSubject(subjects.control("catchup")),
      m_replySubject(m_requestSubject + '.' + subjectToken(m_serverId)),
      m_recent(config.recovery.maxMessages, config.recovery.maxAgeSeconds),
      m_downSinceMs(nowMs()) // until the first connect, what we accept reaches nobody else
{
    m_collectTimer.setSingleShot(true);
    m_collectTimer.setInterval(kCollectMs);
    connect(&m_collectTimer, &QTimer::timeout, this, &CatchUpService::deliverCollected);
    connect(bus, &Bus::stateChanged, this, &CatchUpService::onBusState);
    connect(chat, &ChatService::messageAccepted, this,
            [this](const QJsonObject &message) { m_recent.remember(message, nowMs()); });
}

bool CatchUpService::handles(const QByteArray &subject) const
{
    return subject == m_requestSubject || subject.startsWith(m_requestSubject + '.');
}

void CatchUpService::onBusState(Bus::State state)
{
    if (state == Bus::State::Disabled)
        return;
    if (state != Bus::State::Connected) {
        if (m_downSinceMs == 0)
            m_downSinceMs = nowMs();
        return;
    }
    if (m_downSinceMs == 0)
        return;
    const qint64 now = nowMs();
    requestCatchUp(m_downSinceMs, now);
    m_lastDownSinceMs = m_downSinceMs;
    m_lastBackAtMs = now;
    m_downSinceMs = 0;
}

QJsonObject CatchUpService::slicePayload(const QString &sinceId, qint64 now)
{
    // Room for the envelope within what NATS takes in one message.
    const RecentSlice slice = m_recent.after(sinceId, now, qsizetype(m_config.nats.maxPayload) * 3 / 4);
    QJsonArray messages;
    for (const QJsonObject &m : slice.messages)
        messages.append(m);
    QJsonObject payload { { kMessages, messages }, { kComplete, slice.complete } };
    if (!slice.complete)
        payload.insert(kReason, slice.reason);
    return payload;
}

qint64 CatchUpService::lookBackMs() const
{
    // The bus is noticed down only when it is: a silently dead server (frozen, cut cable) goes
    // unnoticed for up to ping_interval × (max_pings_out + 1), and whatever was published in
    // that time was lost too. Reach back that far, plus the clock window between instances.
    const double unnoticedMs = m_config.nats.pingIntervalS * 1000.0 * (m_config.nats.maxPingsOut + 1);
    return kResumeClockWindowMs + static_cast<qint64>(unnoticedMs);
}

void CatchUpService::requestCatchUp(qint64 downSinceMs, qint64 now)
{
    if (m_collectTimer.isActive())
        deliverCollected(); // the bus flapped: finish the previous round first
    const QString since = messageIdFloor(downSinceMs - lookBackMs());
    QJsonObject request = slicePayload(since, now);
    m_pendingSince = since;
    m_pendingOutage =
            QJsonObject { { QLatin1String("from"), isoAt(downSinceMs) }, { QLatin1String("to"), isoAt(now) } };
    request.insert(kOp, QLatin1String("request"));
    request.insert(QLatin1String("requester"), m_serverId);
    request.insert(QLatin1String("reply_to"), QString::fromUtf8(m_replySubject));
    request.insert(kSince, since);
    request.insert(kOutage, m_pendingOutage);
    m_collected.clear();
    ++m_stats.requestsSent;
    if (!m_bus->publish(m_requestSubject, QJsonDocument(request).toJson(QJsonDocument::Compact)))
        qCWarning(lcCatchUp) << "could not ask the other instances for what was missed since" << isoAt(downSinceMs);
    m_collectTimer.start();
    qCInfo(lcCatchUp).noquote() << "bus back after" << (now - downSinceMs) << "ms: catching up since" << since;
}

void CatchUpService::handleControl(const QByteArray &subject, const QByteArray &payload)
{
    if (subject != m_requestSubject && subject != m_replySubject)
        return; // an answer to another instance
    QJsonParseError error;
    const QJsonObject message = QJsonDocument::fromJson(payload, &error).object();
    if (error.error != QJsonParseError::NoError || !message.value(kMessages).isArray()) {
        qCWarning(lcCatchUp) << "dropping an unreadable catch-up message on" << subject << ':' << error.errorString();
        ++m_stats.rejected;
        return;
    }
    if (subject == m_requestSubject)
        answer(message);
    else
        collectReply(message);
}

void CatchUpService::answer(const QJsonObject &request)
{
    const QString requester = request.value(QLatin1String("requester")).toString();
    const QString since = request.value(kSince).toString();
    const QByteArray replyTo = request.value(QLatin1String("reply_to")).toString().toUtf8();
    if (requester == m_serverId)
        return; // our own request (no-echo makes this rare)
    if (requester.isEmpty() || !isIdBound(since) || !replyTo.startsWith(m_requestSubject + '.')) {
        qCWarning(lcCatchUp) << "dropping a catch-up request without requester, since or reply subject from"
                             << requester;
        ++m_stats.rejected;
        return;
    }
    // What the requester accepted while it was away, for our players.
    const QJsonObject outage = request.value(kOutage).toObject();
    deliver(request.value(kMessages).toArray(), requester);
    if (!request.value(kComplete).toBool(true))
        tellGap(outage, request.value(kReason).toString());

    // What we accepted, for its players.
    QString from = since;
    const qint64 now = nowMs();
    if (m_lastBackAtMs > 0 && now - m_lastBackAtMs < kRepeatOwnOutageMs)
        from = std::min(from, messageIdFloor(m_lastDownSinceMs - lookBackMs()));
    QJsonObject reply = slicePayload(from, now);
    reply.insert(kOp, QLatin1String("reply"));
    reply.insert(QLatin1String("responder"), m_serverId);
    reply.insert(kSince, since);
    reply.insert(kOutage, outage);
    ++m_stats.requestsAnswered;
    if (!m_bus->publish(replyTo, QJsonDocument(reply).toJson(QJsonDocument::Compact)))
        qCWarning(lcCatchUp) << "could not answer the catch-up request of" << requester;
}

void CatchUpService::collectReply(const QJsonObject &reply)
{
    if (m_collectTimer.isActive() && reply.value(kSince).toString() == m_pendingSince) {
        m_collected.append(reply);
        return;
    }
    const QString responder = reply.value(QLatin1String("responder")).toString();
    const QJsonObject outage = reply.value(kOutage).toObject();
    deliver(reply.value(kMessages).toArray(), responder);
    if (!reply.value(kComplete).toBool(true))
        tellGap(outage, reply.value(kReason).toString());
}

void CatchUpService::deliverCollected()
{
    m_collectTimer.stop();
    QList<QPair<QJsonObject, QString>> all;
    QString gapReason;
    for (const QJsonObject &reply : std::as_const(m_collected)) {
        const QString responder = reply.value(QLatin1String("responder")).toString();
        for (const QJsonValue &m : reply.value(kMessages).toArray())
            all.append({ m.toObject(), responder });
        if (!reply.value(kComplete).toBool(true) && gapReason.isEmpty())
            gapReason = reply.value(kReason).toString();
    }
    m_collected.clear();
    // One stream in acceptance order across the instances that answered.
    std::stable_sort(all.begin(), all.end(),
                     [](const auto &a, const auto &b) { return messageId(a.first) < messageId(b.first); });
    int delivered = 0;
    for (const auto &[message, origin] : std::as_const(all))
        delivered += m_chat->deliverLate(message, origin);
    if (!gapReason.isEmpty())
        tellGap(m_pendingOutage, gapReason);
    if (!all.isEmpty())
        qCInfo(lcCatchUp) << "caught up" << delivered << "of" << all.size() << "messages from other instances";
}

void CatchUpService::deliver(const QJsonArray &messages, const QString &origin)
{
    int delivered = 0;
    for (const QJsonValue &m : messages)
        delivered += m_chat->deliverLate(m.toObject(), origin);
    if (delivered > 0)
        qCInfo(lcCatchUp).noquote() << "caught up" << delivered << "messages" << origin << "accepted during an outage";
}

void CatchUpService::tellGap(const QJsonObject &outage, const QString &reason)
{
    QJsonObject data { { wire::field::from, outage.value(wire::field::from) },
                       { wire::field::to, outage.value(wire::field::to) },
                       { kReason, reason.isEmpty() ? QString(wire::recovery::tooMany) : reason } };
    const EncodedEvent event = EncodedEvent::encode(wire::event::gap, data);
    for (OnlinePlayer *player : m_registry->players()) {
        for (EventSink *sink : std::as_const(player->sinks))
            sink->deliver(event);
        ++m_stats.gapsSent;
    }
    qCWarning(lcCatchUp).noquote() << "could not catch up everything between"
                                   << data.value(wire::field::from).toString() << "and"
                                   << data.value(wire::field::to).toString() << '(' << data.value(kReason).toString()
                                   << ')';
}

} // namespace mythos
