#include "app/launchoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

namespace mythos::console {

QByteArray LaunchOptions::readTokenFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("LaunchOptions", "cannot read the token file %1: %2")
                         .arg(path, file.errorString());
        return {};
    }
    const QByteArray token = file.read(64 * 1024).trimmed();
    if (token.isEmpty())
        *error = QCoreApplication::translate("LaunchOptions", "the token file %1 is empty").arg(path);
    return token;
}

LaunchOptions LaunchOptions::parse(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(
            QCoreApplication::translate("LaunchOptions", "Mythos Chat operations console for moderators."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({ QStringLiteral("url"),
                  QCoreApplication::translate("LaunchOptions", "Server WebSocket URL, e.g. ws://127.0.0.1:8080/ws."),
                  QStringLiteral("URL") });
    p.addOption({ QStringLiteral("token"), QCoreApplication::translate("LaunchOptions", "Moderator or admin JWT."),
                  QStringLiteral("JWT") });
    p.addOption({ QStringLiteral("token-file"),
                  QCoreApplication::translate("LaunchOptions", "Read the JWT from this file."),
                  QStringLiteral("FILE") });
    p.process(arguments);

    LaunchOptions o;
    if (p.isSet(QStringLiteral("token")) && p.isSet(QStringLiteral("token-file"))) {
        o.error = QCoreApplication::translate("LaunchOptions", "give --token or --token-file, not both");
        return o;
    }
    if (p.isSet(QStringLiteral("url"))) {
        o.url = QUrl(p.value(QStringLiteral("url")));
        if (!o.url.isValid() || (o.url.scheme() != QLatin1String("ws") && o.url.scheme() != QLatin1String("wss"))) {
            o.error = QCoreApplication::translate("LaunchOptions", "--url must be a ws:// or wss:// URL");
            return o;
        }
    }
    if (p.isSet(QStringLiteral("token")))
        o.token = p.value(QStringLiteral("token")).toUtf8().trimmed();
    else if (p.isSet(QStringLiteral("token-file")))
        o.token = readTokenFile(p.value(QStringLiteral("token-file")), &o.error);
    return o;
}

} // namespace mythos::console
