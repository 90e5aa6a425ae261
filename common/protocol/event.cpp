#include "protocol/event.h"

#include <QJsonDocument>
#include <QThread>

namespace mythos {

QString isoTimestamp(const QDateTime &at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

EncodedEvent EncodedEvent::encode(const QString &eventType, const QJsonObject &data, const QDateTime &at)
{
    EncodedEvent e;
    e.d = new Data;
    QByteArray &head = e.d->head;
    const QByteArray dataJson = QJsonDocument(data).toJson(QJsonDocument::Compact);
    head.reserve(dataJson.size() + eventType.size() + 96);
    head += R"({"event_type":")";
    head += eventType.toUtf8();
    head += R"(","timestamp":")";
    head += isoTimestamp(at).toLatin1();
    head += R"(","data":)";
    head += dataJson;
    head += R"(,"sequence_number":)";
    return e;
}

const QByteArray &EncodedEvent::head() const
{
    static const QByteArray none;
    return d ? d->head : none;
}

QByteArray EncodedEvent::derived(int key, Derive derive) const
{
    if (!d)
        return {};
#ifndef QT_NO_DEBUG
    if (!d->thread)
        d->thread = QThread::currentThreadId();
    Q_ASSERT_X(d->thread == QThread::currentThreadId(), "EncodedEvent::derived",
               "an event's derived form is shared without a lock: one thread only");
#endif
    if (d->derivedKey == key)
        return d->derived;
    QByteArray bytes = derive(d->head, key);
    if (d->derivedKey < 0) {
        d->derivedKey = key;
        d->derived = bytes;
    }
    return bytes;
}

QByteArray EncodedEvent::frame(quint64 sequenceNumber) const
{
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%llu}", static_cast<unsigned long long>(sequenceNumber));
    const QByteArray &bytes = head();
    QByteArray out;
    out.reserve(bytes.size() + n);
    out.append(bytes).append(digits, n);
    return out;
}

namespace events {

QJsonObject withRef(QJsonObject data, const QString &ref)
{
    if (!ref.isEmpty())
        data.insert(QLatin1String("ref"), ref);
    return data;
}

QByteArray httpErrorBody(const QString &code, const QString &message)
{
    return QJsonDocument(QJsonObject { { QLatin1String("error"),
                                         QJsonObject { { QLatin1String("code"), code },
                                                       { QLatin1String("message"), message } } } })
            .toJson(QJsonDocument::Compact);
}

QByteArray httpErrorResponse(int status, const char *reason, const QString &code, const QString &message,
                             const QByteArray &extraHeaders)
{
    const QByteArray body = httpErrorBody(code, message);
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
            + "\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n" + extraHeaders
            + "Connection: close\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QJsonObject error(const ChatError &error, const QString &ref)
{
    QJsonObject data { { QLatin1String("code"), errorCodeName(error.code) },
                       { QLatin1String("message"), error.message } };
    if (error.code == ErrorCode::RateLimited)
        data.insert(QLatin1String("retry_after_ms"), static_cast<double>(std::max<qint64>(0, error.retryAfterMs)));
    if (error.code == ErrorCode::Muted)
        data.insert(QLatin1String("muted_until"),
                    error.mutedUntil.isEmpty() ? QJsonValue() : QJsonValue(error.mutedUntil));
    return withRef(data, ref);
}

} // namespace events
} // namespace mythos
