#include "cli/terminalclient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

namespace mythos {

TerminalClient::TerminalClient(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_stdin(STDIN_FILENO, QSocketNotifier::Read)
{
    m_stdin.setEnabled(false);
    connect(&m_socket, &QWebSocket::connected, this, &TerminalClient::onConnected);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &TerminalClient::onEvent);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        print(QStringLiteral("* disconnected%1").arg(m_socket.closeReason().isEmpty() ? QString() : QStringLiteral(": ") + m_socket.closeReason()));
        Q_EMIT finished(m_welcomed ? 0 : 1);
    });
    connect(&m_stdin, &QSocketNotifier::activated, this, [this] {
        std::string line;
        if (!std::getline(std::cin, line)) {
            m_stdin.setEnabled(false);
            m_socket.close();
            return;
        }
        onStdinLine(QString::fromStdString(line));
    });
}

void TerminalClient::start()
{
    m_socket.open(m_options.url);
}

void TerminalClient::print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

void TerminalClient::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void TerminalClient::onConnected()
{
    QJsonObject auth { { QStringLiteral("type"), QStringLiteral("auth") } };
    if (!m_options.token.isEmpty())
        auth.insert(QStringLiteral("token"), m_options.token);
    else
        auth.insert(QStringLiteral("guest_name"), m_options.guestName);
    send(auth);
}

void TerminalClient::onStdinLine(const QString &line)
{
    const QString text = line.trimmed();
    if (text.isEmpty())
        return;
    if (text.startsWith(QLatin1Char('{'))) {
        // A raw protocol frame (moderators' frames, experiments): sent as typed.
        m_socket.sendTextMessage(text);
        return;
    }
    if (text == QLatin1String("/quit")) {
        m_socket.close();
        return;
    }
    if (text.startsWith(QLatin1String("/move ")))
        return send({ { QStringLiteral("type"), QStringLiteral("move") }, { QStringLiteral("room_id"), text.mid(6).trimmed() } });
    if (text.startsWith(QLatin1String("/party"))) {
        const QString id = text.mid(6).trimmed();
        return send({ { QStringLiteral("type"), QStringLiteral("party") }, { QStringLiteral("party_id"), id.isEmpty() ? QJsonValue() : QJsonValue(id) } });
    }
    send({ { QStringLiteral("type"), QStringLiteral("command") }, { QStringLiteral("text"), text } });
}

void TerminalClient::onEvent(const QString &text)
{
    if (m_options.json)
        print(text);
    const QJsonObject event = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = event.value(QStringLiteral("event_type")).toString();
    const QJsonObject data = event.value(QStringLiteral("data")).toObject();
    if (type == QLatin1String("welcome")) {
        m_welcomed = true;
        m_stdin.setEnabled(true);
        if (m_options.json)
            return;
        print(QStringLiteral("* connected as %1 (%2) on %3; room: %4; you can send on: %5")
                      .arg(data.value(QStringLiteral("player_name")).toString(), data.value(QStringLiteral("role")).toString(),
                           data.value(QStringLiteral("server_id")).toString(),
                           data.value(QStringLiteral("room_id")).toString(QStringLiteral("(none)")),
                           data.value(QStringLiteral("channels")).toVariant().toStringList().join(QStringLiteral(", "))));
        print(QStringLiteral("* type a line to say it, 'help' for commands, '/move ROOM', '/party ID', a {JSON frame}, '/quit'"));
        return;
    }
    if (m_options.json)
        return;
    if (type == QLatin1String("chat_message"))
        print(data.value(QStringLiteral("message")).toString());
    else if (type == QLatin1String("ack") && data.value(QStringLiteral("held")).toBool())
        print(QStringLiteral("* your message waits for a moderator before anyone sees it"));
    else if (type == QLatin1String("ack") && data.value(QStringLiteral("filtered")).toBool())
        print(QStringLiteral("* sent, with some words masked"));
    else if (type == QLatin1String("error"))
        print(QStringLiteral("! %1: %2").arg(data.value(QStringLiteral("code")).toString(), data.value(QStringLiteral("message")).toString()));
    else if (type == QLatin1String("command_response"))
        print(data.value(QStringLiteral("result")).toString());
    else if (type == QLatin1String("presence"))
        print(QStringLiteral("* you are in %1, party %2").arg(data.value(QStringLiteral("room_id")).toString(QStringLiteral("(nowhere)")),
                                                           data.value(QStringLiteral("party_id")).toString(QStringLiteral("(none)"))));
    else if (type == QLatin1String("message_deleted"))
        print(QStringLiteral("* a moderator removed message %1").arg(data.value(QStringLiteral("message_id")).toString()));
}

} // namespace mythos
