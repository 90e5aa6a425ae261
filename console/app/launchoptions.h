#pragma once
// The console's command line: --url and --token or --token-file. With both a URL and a token
// it connects straight away; otherwise it opens the connect dialog.

#include <QByteArray>
#include <QStringList>
#include <QUrl>

namespace mythos::console {

struct LaunchOptions
{
    QUrl url;
    QByteArray token;
    QString error; // set when the options cannot be used (the reason, for stderr)
    bool autoConnect() const { return error.isEmpty() && url.isValid() && !token.isEmpty(); }

    static LaunchOptions parse(const QStringList &arguments);
    // The trimmed contents of a token file, or an error naming the file.
    static QByteArray readTokenFile(const QString &path, QString *error);
};

} // namespace mythos::console
