#include "testclient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

namespace mythos::test {

QByteArray maskedFrame(quint8 firstByte, const QByteArray &payload, qint64 declaredLength)
{
    const qint64 n = declaredLength >= 0 ? declaredLength : payload.size();
    QByteArray frame;
    frame.append(char(firstByte));
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n <= 0xFFFF) {
        frame.append(char(0x80 | 126)).append(char(n >> 8)).append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((quint64(n) >> (8 * i)) & 0xff));
    }
    const char mask[4] = { 9, 8, 7, 6 };
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

QJsonObject sendFrame(const QString &channel, const QString &content, const QString &target)
{
    QJsonObject f { { QStringLiteral("type"), QStringLiteral("send") },
                    { QStringLiteral("channel"), channel },
                    { QStringLiteral("content"), content } };
    if (!target.isEmpty())
        f.insert(QStringLiteral("target"), target);
    return f;
}

QStringList numbered(const QString &prefix, int from, int to)
{
    QStringList out;
    for (int i = from; i <= to; ++i)
        out.append(QStringLiteral("%1 %2").arg(prefix).arg(i, 2, 10, QLatin1Char('0')));
    return out;
}

QJsonObject eventData(const QJsonObject &event)
{
    return event.value(QStringLiteral("data")).toObject();
}

QString eventField(const QJsonObject &event, const char *key)
{
    return eventData(event).value(QLatin1String(key)).toString();
}

std::function<bool(const QJsonObject &)> contentIs(const QString &text)
{
    return [text](const QJsonObject &d) { return d.value(QStringLiteral("content")).toString() == text; };
}

TestClient::TestClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_events.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
}

bool TestClient::open(quint16 port, const QByteArray &authorization)
{
    QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port)));
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    m_socket.open(request);
    return connected.wait(5000);
}

void TestClient::send(const QJsonObject &frame)
{
    sendRaw(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void TestClient::sendRaw(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void TestClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

QJsonObject TestClient::authGuest(const QString &name)
{
    const QJsonObject reply =
            request({ { QStringLiteral("type"), QStringLiteral("auth") }, { QStringLiteral("guest_name"), name } });
    return reply.value(QStringLiteral("event_type")) == QStringLiteral("welcome")
            ? reply.value(QStringLiteral("data")).toObject()
            : QJsonObject();
}

QJsonObject TestClient::authToken(const QByteArray &token)
{
    const QJsonObject reply = request({ { QStringLiteral("type"), QStringLiteral("auth") },
                                        { QStringLiteral("token"), QString::fromUtf8(token) } });
    return reply.value(QStringLiteral("event_type")) == QStringLiteral("welcome")
            ? reply.value(QStringLiteral("data")).toObject()
            : QJsonObject();
}

QJsonObject TestClient::request(QJsonObject frame, int timeoutMs)
{
    const QString ref = QStringLiteral("r%1").arg(++m_refCounter);
    frame.insert(QStringLiteral("ref"), ref);
    send(frame);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        for (const QJsonObject &e : std::as_const(m_events)) {
            if (e.value(QStringLiteral("data")).toObject().value(QStringLiteral("ref")).toString() == ref)
                return e;
        }
        QTest::qWait(5);
    }
    return {};
}

QJsonObject TestClient::waitFor(const QString &type, const std::function<bool(const QJsonObject &)> &match,
                                int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    do {
        for (qsizetype i = m_consumed; i < m_events.size(); ++i) {
            const QJsonObject &e = m_events[i];
            if (e.value(QStringLiteral("event_type")).toString() != type)
                continue;
            if (match && !match(e.value(QStringLiteral("data")).toObject()))
                continue;
            return e;
        }
        QTest::qWait(5);
    } while (!deadline.hasExpired());
    return {};
}

bool TestClient::staysQuiet(const QString &type, int ms)
{
    const qsizetype before = eventsOfType(type).size();
    QTest::qWait(ms);
    return eventsOfType(type).size() == before;
}

QList<QJsonObject> TestClient::eventsOfType(const QString &type) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &e : m_events) {
        if (e.value(QStringLiteral("event_type")).toString() == type)
            out.append(e);
    }
    return out;
}

bool TestClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy spy(&m_socket, &QWebSocket::disconnected);
    return spy.wait(timeoutMs);
}

} // namespace mythos::test
