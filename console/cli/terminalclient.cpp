#include "cli/terminalclient.h"

#include "cli/lineformat.h"
#include "connection/backoff.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"

#include <QCoreApplication>
#include <QDateTime>
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
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &TerminalClient::open);
    connect(&m_stdin, &QSocketNotifier::activated, this, [this] {
        std::string line;
        if (!std::getline(std::cin, line)) {
            m_stdin.setEnabled(false);
            quit();
            return;
        }
        onStdinLine(QString::fromStdString(line));
    });
    if (!m_options.resumeSince.isEmpty()) {
        // The reader holds that message; the clock window's older ones are printed.
        m_resume.setNewestId(m_options.resumeSince);
        m_shown.insert(m_options.resumeSince);
    }
}

TerminalClient::~TerminalClient()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void TerminalClient::start()
{
    open();
}

void TerminalClient::open()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket.release()->deleteLater(); // this may run inside one of its signals
    }
    m_socket = std::make_unique<QWebSocket>();
    connect(m_socket.get(), &QWebSocket::connected, this, &TerminalClient::onConnected);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &TerminalClient::onEvent);
    connect(m_socket.get(), &QWebSocket::disconnected, this, &TerminalClient::onDisconnected);
    m_loggedIn = false;
    m_socket->open(m_options.url);
}

void TerminalClient::quit()
{
    m_quitting = true;
    m_retry.stop();
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->close(); // onDisconnected finishes
    else
        Q_EMIT finished(0);
}

void TerminalClient::onDisconnected()
{
    const QString reason = m_socket->closeReason().isEmpty() ? m_socket->errorString() : m_socket->closeReason();
    const bool wasLoggedIn = m_loggedIn;
    m_loggedIn = false;
    if (m_quitting) {
        print(QStringLiteral("* disconnected"));
        return Q_EMIT finished(0);
    }
    // Retry only a connection that worked once: a wrong URL or a refused token at start is
    // reported at once, as scripts expect.
    if (!m_options.reconnect || !m_welcomed || m_refused) {
        print(QStringLiteral("* disconnected%1").arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason));
        return Q_EMIT finished(m_welcomed && !m_refused ? 0 : 1);
    }
    if (wasLoggedIn) {
        m_attempt = 0;
        m_resume.noteLost(QDateTime::currentMSecsSinceEpoch());
    }
    ++m_attempt;
    const int delay = console::backoffFor(m_attempt, m_options.maxBackoffMs);
    print(QStringLiteral("* %1; reconnecting in %2 s (attempt %3)")
                  .arg(wasLoggedIn ? QStringLiteral("disconnected%1")
                                             .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason)
                                   : QStringLiteral("still not connected"))
                  .arg(delay / 1000.0)
                  .arg(m_attempt));
    m_retry.start(delay);
}

void TerminalClient::print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

void TerminalClient::sendRaw(const QString &text)
{
    if (!m_loggedIn && m_welcomed) {
        print(QStringLiteral("! not connected; the line was not sent"));
        return;
    }
    m_socket->sendTextMessage(text);
}

void TerminalClient::send(const QJsonObject &frame)
{
    sendRaw(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void TerminalClient::onConnected()
{
    // A guest key from the last welcome continues the guest session.
    // Straight to the socket: send() holds lines back until the session is logged in again.
    const QJsonObject auth = m_options.token.isEmpty() ? frames::guestAuth(m_options.guestName, m_guestKey)
                                                       : frames::auth(m_options.token);
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(auth).toJson(QJsonDocument::Compact)));
}

void TerminalClient::onStdinLine(const QString &line)
{
    const QString text = line.trimmed();
    if (text.isEmpty())
        return;
    if (text.startsWith(QLatin1Char('{'))) {
        // A raw protocol frame (moderators' frames, experiments): sent as typed.
        sendRaw(text);
        return;
    }
    if (text == QLatin1String("/quit"))
        return quit();
    if (text.startsWith(QLatin1String("/move ")))
        return send(frames::move(text.mid(6).trimmed()));
    if (text.startsWith(QLatin1String("/party"))) {
        return send(frames::party(text.mid(6).trimmed()));
    }
    send(frames::command(text));
}

void TerminalClient::onWelcome(const QJsonObject &data)
{
    const bool reconnected = m_welcomed;
    m_welcomed = true;
    m_guestKey = data.value(wire::field::guestKey).toString();
    m_loggedIn = true;
    m_attempt = 0;
    m_stdin.setEnabled(true);
    if (!m_options.json) {
        print(cli::welcomeLine(data, reconnected));
        if (!reconnected)
            print(QStringLiteral(
                    "* type a line to say it, 'help' for commands, '/move ROOM', '/party ID', a {JSON frame}, '/quit'"));
    }
    // After a reconnect, or at start with --resume-since: ask for what was missed.
    const bool wanted = reconnected || !m_options.resumeSince.isEmpty();
    if (!wanted || !m_resume.canResume())
        return;
    QJsonObject frame = m_resume.frame();
    m_resumeSince = frame.value(wire::field::since).toString();
    m_resumeRef = QStringLiteral("resume-%1").arg(++m_nextRef);
    frame.insert(wire::field::ref, m_resumeRef);
    send(frame);
}

void TerminalClient::onResumed(const QString &type, const QJsonObject &data)
{
    m_resumeRef.clear();
    const console::FeedResume::Outcome outcome = m_resume.outcome(type, data, m_resumeSince);
    if (m_options.json)
        return;
    // The hole is before what came back (the server resends the newest), so the gap line first.
    if (outcome.gap)
        print(cli::gapLine(console::FeedResume::describe(outcome.reason)));
    for (const QJsonValue &m : outcome.messages)
        showChat(m.toObject(), QStringLiteral("missed"));
}

void TerminalClient::showChat(const QJsonObject &message, const QString &recovered)
{
    const QString id = message.value(wire::field::messageId).toString();
    // A resume's clock window and a live copy racing it can repeat lines already printed.
    if (!id.isEmpty() && !m_shown.insert(id))
        return;
    m_resume.noteMessage(id);
    const bool late = message.value(wire::field::late).toBool();
    if (!m_options.json)
        print(cli::chatLine(message, late ? QStringLiteral("late") : recovered));
}

void TerminalClient::onEvent(const QString &text)
{
    if (m_options.json)
        print(text);
    const QJsonObject event = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = event.value(wire::field::eventType).toString();
    const QJsonObject data = event.value(wire::field::data).toObject();
    const QString ref = data.value(wire::field::ref).toString();
    if (type == wire::event::welcome)
        return onWelcome(data);
    if (!m_resumeRef.isEmpty() && ref == m_resumeRef && (type == wire::event::resumed || type == wire::event::error)) {
        onResumed(type, data);
        if (type == wire::event::resumed)
            return; // an error is printed below as well
    }
    if (type == wire::event::error && !m_loggedIn)
        m_refused = true; // the login itself failed
    if (type == wire::event::chatMessage)
        return showChat(data, {});
    if (m_options.json)
        return;
    if (type == wire::event::gap)
        return print(cli::gapLine(console::FeedResume::describe(data.value(wire::field::reason).toString()), data));
    {
        const QString line = cli::eventLine(type, data);
        if (!line.isEmpty())
            print(line);
    }
}

} // namespace mythos
