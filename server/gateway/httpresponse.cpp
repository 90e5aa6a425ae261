#include "gateway/httpresponse.h"

#include <QJsonDocument>

namespace mythos {

void writeHttp(QHttpServerResponder &responder, HttpStatus status, const QByteArray &contentType,
               const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &extraHeaders)
{
    responder.writeStatusLine(status);
    responder.writeHeader("Content-Type", contentType);
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    for (const auto &[name, value] : extraHeaders)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

void writeHttpJson(QHttpServerResponder &responder, HttpStatus status, const QJsonObject &body)
{
    writeHttpJson(responder, status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void writeHttpJson(QHttpServerResponder &responder, HttpStatus status, const QByteArray &jsonBody)
{
    writeHttp(responder, status, "application/json", jsonBody);
}

} // namespace mythos
