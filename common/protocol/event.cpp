#include "protocol/event.h"

#include <QJsonDocument>

namespace mythos {

QString isoTimestamp(const QDateTime &at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

EncodedEvent EncodedEvent::encode(const QString &eventType, const QJsonObject &data, const QDateTime &at)
{
    EncodedEvent e;
    const QByteArray dataJson = QJsonDocument(data).toJson(QJsonDocument::Compact);
    e.m_head.reserve(dataJson.size() + eventType.size() + 96);
    e.m_head += R"({"event_type":")";
    e.m_head += eventType.toUtf8();
    e.m_head += R"(","timestamp":")";
    e.m_head += isoTimestamp(at).toLatin1();
    e.m_head += R"(","data":)";
    e.m_head += dataJson;
    e.m_head += R"(,"sequence_number":)";
    return e;
}

QByteArray EncodedEvent::frame(quint64 sequenceNumber) const
{
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%llu}", static_cast<unsigned long long>(sequenceNumber));
    QByteArray out;
    out.reserve(m_head.size() + n);
    out.append(m_head).append(digits, n);
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
