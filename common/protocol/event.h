#pragma once
// Server → client envelopes. An event's JSON is produced once and shared by every recipient;
// only the per-connection sequence number is spliced in when it is sent.

#include "protocol/errorcode.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QSharedData>

namespace mythos {

class EncodedEvent
{
public:
    EncodedEvent() = default;
    static EncodedEvent encode(const QString &eventType, const QJsonObject &data,
                               const QDateTime &at = QDateTime::currentDateTimeUtc());

    // The complete frame for one connection.
    QByteArray frame(quint64 sequenceNumber) const;
    bool isNull() const { return m_head.isEmpty(); }
    // Everything before the sequence number; a frame is head + number + '}'.
    const QByteArray &head() const { return m_head; }
    qsizetype size() const { return m_head.size() + 24; }

private:
    QByteArray m_head; // everything up to the sequence number; implicitly shared
};

QString isoTimestamp(const QDateTime &at);

// Builders for the data objects of the events the protocol defines.
namespace events {
QJsonObject error(const ChatError &error, const QString &ref);
QJsonObject withRef(QJsonObject data, const QString &ref);
// The HTTP API's error body (PROTOCOL §6): {"error": {"code", "message"}}.
QByteArray httpErrorBody(const QString &code, const QString &message);
// A whole HTTP response carrying that body, for replies written straight to a socket before
// or instead of QHttpServer; `extraHeaders` are complete "Name: value\r\n" lines.
QByteArray httpErrorResponse(int status, const char *reason, const QString &code, const QString &message,
                             const QByteArray &extraHeaders = {});
} // namespace events

} // namespace mythos
