#pragma once
// A WebSocket player for tests: keeps every event it receives and waits for the ones a test
// expects, running the event loop meanwhile.

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QWebSocket>

#include <functional>

namespace mythos::test {

// Frames and event fields the suites build and read over and over.
QJsonObject sendFrame(const QString &channel, const QString &content, const QString &target = {});
QJsonObject eventData(const QJsonObject &event);
QString eventField(const QJsonObject &event, const char *key);
// A client WebSocket frame as raw bytes (masked, as RFC 6455 requires of clients), for
// suites that send what a well-behaved client never would. `firstByte` is FIN|opcode (0x81:
// a whole text frame); `declaredLength` >= 0 announces a length other than the payload's.
QByteArray maskedFrame(quint8 firstByte, const QByteArray &payload, qint64 declaredLength = -1);
// A waitFor() matcher for chat_message data with this content.
std::function<bool(const QJsonObject &)> contentIs(const QString &text);
// "prefix 01" … "prefix NN": the lines a suite sends in a burst, in the order sent.
QStringList numbered(const QString &prefix, int from, int to);

class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    bool open(quint16 port, const QByteArray &authorization = {});
    void send(const QJsonObject &frame);
    void sendRaw(const QString &text);
    void sendBinary(const QByteArray &data);

    // Authenticates and returns the welcome data (empty on failure).
    QJsonObject authGuest(const QString &name);
    QJsonObject authToken(const QByteArray &token);
    // Sends and waits for the reply carrying the same ref (any event type).
    QJsonObject request(QJsonObject frame, int timeoutMs = 5000);

    // Waits for an event of `type` whose data satisfies `match`, received after `from`
    // (an index into events()). Returns the whole envelope, or an empty object on timeout.
    QJsonObject waitFor(const QString &type, const std::function<bool(const QJsonObject &data)> &match = {},
                        int timeoutMs = 5000);
    // True when no event of `type` arrives for `ms` milliseconds.
    bool staysQuiet(const QString &type, int ms);
    QList<QJsonObject> eventsOfType(const QString &type) const;
    const QList<QJsonObject> &events() const { return m_events; }
    void clear()
    {
        m_events.clear();
        m_consumed = 0;
    }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool waitForDisconnected(int timeoutMs = 5000);
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_events;
    qsizetype m_consumed = 0;
    int m_refCounter = 0;
};

} // namespace mythos::test
