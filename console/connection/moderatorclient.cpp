#include "connection/moderatorclient.h"

#include "connection/backoff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcConsoleConnection, "mythos.console.connection")

namespace mythos::console {

namespace {
const QString kError = QStringLiteral("error");
const QString kTimeout = QStringLiteral("timeout");

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
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
            { { QStringLiteral("type"), QStringLiteral("auth") },
              { QStringLiteral("token"), QString::fromUtf8(m_token) } },
            [this](const QString &type, const QJsonObject &data) {
                if (type == kTimeout) {
                    if (!data.isEmpty() || !m_socket)
                        return; // the connection dropped; onDisconnected handles it
                    m_lastError = tr("The server did not answer the login.");
                    m_socket->abort(); // onDisconnected schedules the next attempt
                    return;
                }
                if (type == kError)
                    return refuse(tr("The server refused the token: %1").arg(str(data, "message")));
                const QString role = str(data, "role");
                if (role != QLatin1String("moderator") && role != QLatin1String("admin"))
                    return refuse(
                            tr("The token belongs to %1 (role '%2'); the console needs a moderator or admin token.")
                                    .arg(str(data, "player_name"), role));
                m_playerId = str(data, "player_id");
                m_playerName = str(data, "player_name");
                m_role = role;
                m_serverId = str(data, "server_id");
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
    const bool isAuth = frame.value(QLatin1String("type")).toString() == QLatin1String("auth");
    if (!m_socket || (m_state != State::Connected && !(isAuth && m_state == State::Authenticating)))
        return {};
    const QString ref = QStringLiteral("c%1").arg(++m_nextRef);
    frame.insert(QStringLiteral("ref"), ref);
    Pending p;
    p.handler = std::move(onReply);
    p.context = context;
    p.hasContext = context != nullptr;
    p.type = frame.value(QLatin1String("type")).toString();
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
        finish(ref, kTimeout, { { QStringLiteral("message"), why } });
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
    const QString eventType = str(envelope, "event_type");
    const QJsonObject data = envelope.value(QLatin1String("data")).toObject();
    const QString ref = str(data, "ref");
    const bool claimed = !ref.isEmpty() && m_pending.contains(ref);
    // Typed signals first, so models are up to date when a request's handler runs.
    if (!(eventType == kError && claimed))
        dispatch(eventType, data);
    if (claimed)
        finish(ref, eventType, data);
}

void ModeratorClient::dispatch(const QString &eventType, const QJsonObject &data)
{
    if (eventType == QLatin1String("monitor_message"))
        Q_EMIT monitorMessage(data);
    else if (eventType == QLatin1String("queue_item"))
        Q_EMIT queueItem(data);
    else if (eventType == QLatin1String("queue"))
        Q_EMIT queueList(data.value(QLatin1String("items")).toArray());
    else if (eventType == QLatin1String("stats"))
        Q_EMIT statsReceived(data);
    else if (eventType == QLatin1String("mutes"))
        Q_EMIT mutesReceived(data.value(QLatin1String("mutes")).toArray());
    else if (eventType == QLatin1String("logs"))
        Q_EMIT logsReceived(data);
    else if (eventType == QLatin1String("message_deleted"))
        Q_EMIT messageDeleted(str(data, "message_id"));
    else if (eventType == QLatin1String("mutes_changed"))
        Q_EMIT serverMutesChanged();
    else if (eventType == QLatin1String("gap"))
        Q_EMIT gapReported(data);
    else if (eventType == kError)
        Q_EMIT serverError(str(data, "code"), str(data, "message"));
}

} // namespace mythos::console
