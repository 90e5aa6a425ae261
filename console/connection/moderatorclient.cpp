#include "connection/moderatorclient.h"

#include "connection/backoff.h"
#include "model/role.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcConsoleConnection, "mythos.console.connection")

namespace mythos::console {

namespace {
using namespace wire;
// Not a wire name: what a request's handler gets when no reply came.
const QString kTimeout = QStringLiteral("timeout");

QString str(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toString();
}
} // namespace

ModeratorClient::ModeratorClient(QObject *parent) : QObject(parent)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ModeratorClient::open);
}

ModeratorClient::~ModeratorClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

int ModeratorClient::backoffFor(int attempt, int maxMs)
{
    return console::backoffFor(attempt, maxMs);
}

QString ModeratorClient::stateName(State state)
{
    switch (state) {
    case State::Disconnected: return QStringLiteral("Disconnected");
    case State::Connecting: return QStringLiteral("Connecting");
    case State::Authenticating: return QStringLiteral("Authenticating");
    case State::Connected: return QStringLiteral("Connected");
    case State::Reconnecting: return QStringLiteral("Reconnecting");
    case State::Refused: return QStringLiteral("Refused");
    }
    return {};
}

void ModeratorClient::connectTo(const QUrl &url, const QByteArray &token)
{
    disconnectFromServer();
    m_url = url;
    m_token = token.trimmed();
    m_attempt = 0;
    m_everConnected = false;
    m_lastError.clear();
    open();
}

void ModeratorClient::disconnectFromServer()
{
    m_retryTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    failAllPending(QStringLiteral("disconnected"));
    if (m_state != State::Refused)
        setState(State::Disconnected);
}

void ModeratorClient::open()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &ModeratorClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ModeratorClient::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ModeratorClient::onText);
    setState(State::Connecting);
    qCDebug(lcConsoleConnection) << "connecting to" << m_url << "attempt" << m_attempt;
    m_socket->open(m_url);
}

void ModeratorClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ModeratorClient::onConnected()
{
    setState(State::Authenticating);
    m_authRef = request(
            frames::auth(QString::fromUtf8(m_token)),
            [this](const QString &type, const QJsonObject &data) {
                if (type == kTimeout) {
                    if (!data.isEmpty() || !m_socket)
                        return; // the connection dropped; onDisconnected handles it
                    m_lastError = tr("The server did not answer the login.");
                    m_socket->abort(); // onDisconnected schedules the next attempt
                    return;
                }
                if (type == event::error)
                    return refuse(tr("The server refused the token: %1").arg(str(data, field::message)));
                const QString role = str(data, field::role);
                if (!hasRole(parseRole(role).value_or(Role::Player), Role::Moderator))
                    return refuse(
                            tr("The token belongs to %1 (role '%2'); the console needs a moderator or admin token.")
                                    .arg(str(data, field::playerName), role));
                m_playerId = str(data, field::playerId);
                m_playerName = str(data, field::playerName);
                m_role = role;
                m_serverId = str(data, field::serverId);
                const bool restored = m_wasConnected;
                m_attempt = 0;
                m_everConnected = true;
                m_wasConnected = true;
                m_lastError.clear();
                setState(State::Connected);
                Q_EMIT welcomed(data);
                if (restored)
                    Q_EMIT connectionRestored();
            },
            this, 10000);
    // request() refuses while not Connected; the auth frame is the one exception.
}

void ModeratorClient::refuse(const QString &message)
{
    qCWarning(lcConsoleConnection) << "refused:" << message;
    m_lastError = message;
    m_retryTimer.stop();
    setState(State::Refused);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    failAllPending(QStringLiteral("refused"));
    Q_EMIT refused(message);
}

void ModeratorClient::onDisconnected()
{
    const QString reason = m_socket && !m_socket->closeReason().isEmpty() ? m_socket->closeReason()
            : m_socket                                                    ? m_socket->errorString()
                                                                          : QString();
    failAllPending(QStringLiteral("connection lost"));
    if (m_state == State::Refused || m_state == State::Disconnected)
        return;
    if (m_state == State::Connected)
        Q_EMIT connectionLost(reason);
    if (m_lastError.isEmpty() || m_state == State::Connected)
        m_lastError = reason;
    scheduleReconnect();
}

void ModeratorClient::scheduleReconnect()
{
    ++m_attempt;
    const int base = backoffFor(m_attempt, m_maxBackoffMs);
    // A little jitter so a room full of consoles does not hammer a restarted server in step.
    const int delay = base + static_cast<int>(QRandomGenerator::global()->bounded(base / 10 + 1));
    qCInfo(lcConsoleConnection) << "connection lost; retrying in" << delay << "ms (attempt" << m_attempt << ")";
    setState(State::Reconnecting);
    m_retryTimer.start(delay);
}

QString ModeratorClient::request(QJsonObject frame, ReplyHandler onReply, QObject *context, int timeoutMs)
{
    const bool isAuth = frame.value(field::type).toString() == request::auth;
    if (!m_socket || (m_state != State::Connected && !(isAuth && m_state == State::Authenticating)))
        return {};
    const QString ref = QStringLiteral("c%1").arg(++m_nextRef);
    frame.insert(field::ref, ref);
    Pending p;
    p.handler = std::move(onReply);
    p.context = context;
    p.hasContext = context != nullptr;
    p.type = frame.value(field::type).toString();
    p.scope = frame.value(field::scope).toString();
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, ref] { finish(ref, kTimeout, {}); });
    p.timer->start(timeoutMs);
    m_pending.insert(ref, p);
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    return ref;
}

void ModeratorClient::finish(const QString &ref, const QString &eventType, const QJsonObject &data)
{
    const auto it = m_pending.find(ref);
    if (it == m_pending.end())
        return;
    Pending p = it.value();
    m_pending.erase(it);
    p.timer->deleteLater();
    // A handler whose owner (a view) is gone must not run.
    if (p.handler && (!p.hasContext || p.context))
        p.handler(eventType, data);
}

void ModeratorClient::failAllPending(const QString &why)
{
    const QStringList refs = m_pending.keys();
    for (const QString &ref : refs)
        finish(ref, kTimeout, { { field::message, why } });
}

void ModeratorClient::onText(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject()) {
        qCWarning(lcConsoleConnection) << "unreadable frame from the server:" << error.errorString();
        return;
    }
    const QJsonObject envelope = doc.object();
    const QString eventType = str(envelope, field::eventType);
    const QJsonObject data = envelope.value(field::data).toObject();
    const QString ref = str(data, field::ref);
    const bool claimed = !ref.isEmpty() && m_pending.contains(ref);
    // Typed signals first, so models are up to date when a request's handler runs.
    const bool read = eventType == event::error && claimed ? true : dispatch(eventType, data);
    if (claimed)
        finish(ref, eventType, data);
    else if (!read) {
        qCDebug(lcConsoleConnection) << "an event the console does not read:" << eventType;
        Q_EMIT unreadEvent(eventType);
    }
}

QString ModeratorClient::mutesScopeOf(const QString &ref) const
{
    const QString scope = m_pending.value(ref).scope;
    return scope.isEmpty() ? QString(wire::value::server) : scope;
}

bool ModeratorClient::dispatch(const QString &eventType, const QJsonObject &data)
{
    if (eventType == event::monitorMessage)
        Q_EMIT monitorMessage(data);
    else if (eventType == event::queueItem)
        Q_EMIT queueItem(data);
    else if (eventType == event::queue)
        Q_EMIT queueList(data.value(field::items).toArray());
    else if (eventType == event::stats)
        Q_EMIT statsReceived(data);
    else if (eventType == event::mutes)
        Q_EMIT mutesReceived(data.value(event::mutes).toArray(), mutesScopeOf(str(data, field::ref)));
    else if (eventType == event::logs)
        Q_EMIT logsReceived(data);
    else if (eventType == event::messageDeleted)
        Q_EMIT messageDeleted(str(data, field::messageId));
    else if (eventType == event::mutesChanged)
        Q_EMIT serverMutesChanged();
    else if (eventType == event::gap)
        Q_EMIT gapReported(data);
    else if (eventType == event::error)
        Q_EMIT serverError(str(data, field::code), str(data, field::message));
    else if (eventType == event::chatMessage || eventType == event::presence) {
        // The moderator's own chat: the console shows every line through the monitor feed.
    } else
        return false;
    return true;
}

} // namespace mythos::console
