#include "gateway/webpage.h"

#include "gateway/httpresponse.h"
#include "protocol/event.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHttpServer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcWeb, "mythos.server.web")

namespace mythos {

namespace {
const QString kResourceDir = QStringLiteral(":/mythos/web");

// The page loads only its own files and talks only to its own host's WebSocket; nothing may
// frame it. Sent with every file, so a stray asset cannot be used to run foreign script.
constexpr const char *kContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'";

QByteArray notFoundBody(const QString &path)
{
    return events::httpErrorBody(errorCodeName(ErrorCode::NotFound),
                                 QStringLiteral("nothing is served at %1").arg(path));
}

bool etagMatches(const QByteArray &ifNoneMatch, const QByteArray &etag)
{
    if (ifNoneMatch.trimmed() == "*")
        return true;
    for (const QByteArray &candidate : ifNoneMatch.split(',')) {
        QByteArray tag = candidate.trimmed();
        if (tag.startsWith("W/"))
            tag = tag.mid(2); // weak comparison is what If-None-Match asks for
        if (tag == etag)
            return true;
    }
    return false;
}

void serve(const WebFile &file, const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    using Status = QHttpServerResponder::StatusCode;
    const bool unchanged = etagMatches(request.value("If-None-Match"), file.etag);
    responder.writeStatusLine(unchanged ? Status::NotModified : Status::Ok);
    // The names are not content-hashed, so the browser keeps a copy but asks every time; the
    // ETag makes that a 304 without a body until the server is upgraded.
    responder.writeHeader("Cache-Control", "no-cache");
    responder.writeHeader("ETag", file.etag);
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    responder.writeHeader("Referrer-Policy", "no-referrer");
    responder.writeHeader("Content-Security-Policy", kContentSecurityPolicy);
    if (unchanged)
        return responder.writeBody(QByteArray());
    responder.writeHeader("Content-Type", file.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(file.body.size()));
    responder.writeBody(request.method() == QHttpServerRequest::Method::Head ? QByteArray() : file.body);
}
} // namespace

QByteArray WebPage::contentTypeFor(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("html"))
        return "text/html; charset=utf-8";
    if (suffix == QLatin1String("js") || suffix == QLatin1String("mjs"))
        return "text/javascript; charset=utf-8";
    if (suffix == QLatin1String("css"))
        return "text/css; charset=utf-8";
    if (suffix == QLatin1String("svg"))
        return "image/svg+xml";
    if (suffix == QLatin1String("png"))
        return "image/png";
    if (suffix == QLatin1String("webmanifest"))
        return "application/manifest+json";
    if (suffix == QLatin1String("json"))
        return "application/json";
    if (suffix == QLatin1String("txt"))
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::vector<WebFile> WebPage::embeddedFiles()
{
    std::vector<WebFile> files;
    QDirIterator it(kResourceDir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString resourcePath = it.next();
        QFile file(resourcePath);
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcWeb) << "cannot read embedded" << resourcePath << file.errorString();
            continue;
        }
        WebFile web;
        web.urlPath = resourcePath.mid(kResourceDir.size()); // keeps the leading '/'
        web.contentType = contentTypeFor(resourcePath);
        web.body = file.readAll();
        web.etag = '"' + QCryptographicHash::hash(web.body, QCryptographicHash::Sha256).toHex().left(20) + '"';
        files.push_back(std::move(web));
    }
    return files;
}

void WebPage::addRoutes(QHttpServer &http)
{
    using Method = QHttpServerRequest::Method;
    const std::vector<WebFile> files = embeddedFiles();
    if (files.empty())
        qCWarning(lcWeb) << "the player web page is not embedded in this build; / answers 404";
    for (const WebFile &file : files) {
        auto handler = [file](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            serve(file, request, responder);
        };
        // Route patterns are regular expressions in Qt 6.4: escape the name so only it matches.
        http.route(QRegularExpression::escape(file.urlPath), Method::Get | Method::Head, handler);
        if (file.urlPath == QLatin1String("/index.html"))
            http.route(QStringLiteral("/"), Method::Get | Method::Head, handler);
    }
    http.setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        writeHttpJson(responder, HttpStatus::NotFound, notFoundBody(request.url().path()));
    });
}

} // namespace mythos
