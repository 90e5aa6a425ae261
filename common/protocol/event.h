#pragma once
// Server → client envelopes. An event's JSON is produced once and shared by every recipient;
// only the per-connection sequence number is spliced in when it is sent.

#include "protocol/errorcode.h"

#include <QByteArray>
#include <QDateTime>
#include <QExplicitlySharedDataPointer>
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
    bool isNull() const { return head().isEmpty(); }
    // Everything before the sequence number; a frame is head + number + '}'.
    const QByteArray &head() const;
    qsizetype size() const { return head().size() + 24; }

    // A transformation of head() computed once per event and shared by every copy of it (the
    // gateway keeps the event's permessage-deflate form here, made for the first recipient that
    // wants it). `key` tells forms apart; one form is kept, a different key is computed on
    // every call. Not thread-safe, by design: events are delivered on the event-loop thread
    // only (debug builds assert that every call comes from one thread).
    using Derive = QByteArray (*)(QByteArrayView head, int key);
    QByteArray derived(int key, Derive derive) const;

private:
    struct Data : QSharedData
    {
        QByteArray head; // everything up to the sequence number
        QByteArray derived;
        int derivedKey = -1; // -1: not computed yet
#ifndef QT_NO_DEBUG
        Qt::HANDLE thread = nullptr;
#endif
    };
    QExplicitlySharedDataPointer<Data> d; // copies share the bytes and the derived form
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
