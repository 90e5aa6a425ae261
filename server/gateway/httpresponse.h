#pragma once
// Every HTTP answer the server writes goes through here, so each carries the same safety
// headers (X-Content-Type-Options: nosniff: a JSON error echoing a path is never sniffed into
// HTML) and an exact Content-Length.

#include <QByteArray>
#include <QHttpServerResponder>
#include <QJsonObject>

namespace mythos {

using HttpStatus = QHttpServerResponder::StatusCode;

void writeHttp(QHttpServerResponder &responder, HttpStatus status, const QByteArray &contentType,
               const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {});
void writeHttpJson(QHttpServerResponder &responder, HttpStatus status, const QJsonObject &body);
void writeHttpJson(QHttpServerResponder &responder, HttpStatus status, const QByteArray &jsonBody);

} // namespace mythos
