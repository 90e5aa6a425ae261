#pragma once
// The console's one connection to a Mythos Chat server: opens the WebSocket, authenticates with
// a moderator/admin token, reconnects with backoff, matches replies to requests by `ref` and
// turns each server event into a typed signal the models listen to.

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcConsoleConnection)

namespace mythos::console {

class ModeratorClient : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Disconnected, // never connected, or closed by the user
        Connecting, // opening the socket
        Authenticating,
        Connected,
        Reconnecting, // lost; waiting for the next attempt
        Refused, // token refused or lacking the role: retrying would not help
    };
    Q_ENUM(State)

    // Called with the reply's event type and data; `error` events arrive here too, and a
    // request that got no answer (or whose connection dropped) gets event type "timeout".
    using ReplyHandler = std::function<void(const QString &eventType, const QJsonObject &data)>;

    explicit ModeratorClient(QObject *parent = nullptr);
    ~ModeratorClient() override;

    void connectTo(const QUrl &url, const QByteArray &token);
    void disconnectFromServer();

    // Sends `frame` with a fresh ref. Returns the ref, or empty when not connected.
    QString request(QJsonObject frame, ReplyHandler onReply = {}, QObject *context = nullptr, int timeoutMs = 15000);

    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    QString playerId() const { return m_playerId; }
    QString playerName() const { return m_playerName; }
    QString role() const { return m_role; }
    QString serverId() const { return m_serverId; }
    QString lastError() const { return m_lastError; }
    int reconnectAttempt() const { return m_attempt; }
    int nextRetryInMs() const { return m_retryTimer.isActive() ? m_retryTimer.remainingTime() : -1; }

    // Backoff between attempts: 0.5 s doubling to this cap (tests shorten it).
    void setMaxBackoffMs(int ms) { m_maxBackoffMs = ms; }
    static int backoffFor(int attempt, int maxMs);
    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(mythos::console::ModeratorClient::State state);
    // The token was refused, expired or lacks the role. `message` is meant for the moderator.
    void refused(const QString &message);
    void connectionLost(const QString &reason);
    void connectionRestored();
    void welcomed(const QJsonObject &welcome);

    void monitorMessage(const QJsonObject &message);
    // `gap` {from, to, reason}: after a bus outage the server could not catch up that span.
    void gapReported(const QJsonObject &gap);
    void messageDeleted(const QString &messageId);
    void queueItem(const QJsonObject &item);
    void queueList(const QJsonArray &items);
    void statsReceived(const QJsonObject &stats);
    // A `mutes` reply: every mute of `scope` in force ("server" or "shadow", as asked; the
    // console asks for no other, and a reply nobody waits for any more counts as "server").
    void mutesReceived(const QJsonArray &mutes, const QString &scope);
    // Another moderator (or this one) changed a server or shadow mute somewhere: stale lists.
    void serverMutesChanged();
    void logsReceived(const QJsonObject &logs);
    // An error event that no request handler claimed.
    void serverError(const QString &code, const QString &message);
    // An event that is neither a reply to a pending request nor one of the above: the server
    // speaks a newer protocol, or the two have drifted (tst_contract fails on it).
    void unreadEvent(const QString &eventType);

private:
    struct Pending
    {
        ReplyHandler handler;
        QObject *context = nullptr;
        bool hasContext = false;
        QTimer *timer = nullptr;
        QString type;
        QString scope; // a mute request's: which list its `mutes` reply is
    };

    void open();
    void setState(State state);
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    bool dispatch(const QString &eventType, const QJsonObject &data); // false: not an event read here
    // Which list a `mutes` reply is: the scope its request asked for.
    QString mutesScopeOf(const QString &ref) const;
    void finish(const QString &ref, const QString &eventType, const QJsonObject &data);
    void failAllPending(const QString &why);
    void scheduleReconnect();
    void refuse(const QString &message);

    QWebSocket *m_socket = nullptr;
    QUrl m_url;
    QByteArray m_token;
    State m_state = State::Disconnected;
    QTimer m_retryTimer;
    int m_attempt = 0;
    int m_maxBackoffMs = 30000;
    bool m_everConnected = false;
    bool m_wasConnected = false;
    quint64 m_nextRef = 0;
    QHash<QString, Pending> m_pending;
    QString m_playerId, m_playerName, m_role, m_serverId, m_lastError;
    QString m_authRef;
};

} // namespace mythos::console
