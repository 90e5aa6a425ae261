// mythos-chat-cli: chat from a terminal. See TerminalClient.
#include "cli/terminalclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mythos-chat-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MYTHOS_VERSION));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
            "Terminal client for Mythos Chat. Lines you type are MUD commands (say, whisper, global, …)."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({ QStringLiteral("url"), QStringLiteral("Server WebSocket URL."), QStringLiteral("URL"),
                  QStringLiteral("ws://127.0.0.1:8080/ws") });
    p.addOption({ QStringLiteral("token"), QStringLiteral("JWT to authenticate with."), QStringLiteral("JWT") });
    p.addOption({ QStringLiteral("guest"),
                  QStringLiteral("Join as a guest with this name (servers that allow guests)."),
                  QStringLiteral("NAME") });
    p.addOption({ QStringLiteral("json"), QStringLiteral("Print raw events as JSON.") });
    p.addOption({ QStringLiteral("no-reconnect"),
                  QStringLiteral("Exit when the connection drops instead of reconnecting and resuming.") });
    p.addOption({ QStringLiteral("resume-since"),
                  QStringLiteral("After logging in, print what was sent after this message_id."),
                  QStringLiteral("ID") });
    p.process(app);
    if (p.value(QStringLiteral("token")).isEmpty() == p.value(QStringLiteral("guest")).isEmpty()) {
        std::fprintf(stderr, "give exactly one of --token or --guest\n");
        return 2;
    }
    mythos::TerminalClient::Options options;
    options.url = QUrl(p.value(QStringLiteral("url")));
    options.token = p.value(QStringLiteral("token"));
    options.guestName = p.value(QStringLiteral("guest"));
    options.json = p.isSet(QStringLiteral("json"));
    options.reconnect = !p.isSet(QStringLiteral("no-reconnect"));
    options.resumeSince = p.value(QStringLiteral("resume-since"));
    mythos::TerminalClient client(options);
    QObject::connect(&client, &mythos::TerminalClient::finished, &app, &QCoreApplication::exit);
    client.start();
    return app.exec();
}
