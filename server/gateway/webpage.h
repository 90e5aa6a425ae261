#pragma once
// Serves the player web page (resources/web, embedded as Qt resources under :/mythos/web) at
// `/`, and answers every path no route claims with a JSON `not_found` (PROTOCOL.md §6 format).

#include <QByteArray>
#include <QString>

#include <vector>

class QHttpServer;

namespace mythos {

struct WebFile
{
    QString urlPath; // "/app.js"; index.html is also served at "/"
    QByteArray contentType;
    QByteArray etag; // quoted, from the content: browsers revalidate with If-None-Match
    QByteArray body;
};

class WebPage
{
public:
    // Registers one exact route per embedded file (so nothing outside the embedded set can be
    // named, and no route shadows another) and the JSON 404 for the rest.
    static void addRoutes(QHttpServer &http);

    // The embedded files as served; empty when the resources are missing from the build.
    static std::vector<WebFile> embeddedFiles();
    static QByteArray contentTypeFor(const QString &fileName);
};

} // namespace mythos
