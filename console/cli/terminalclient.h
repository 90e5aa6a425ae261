#pragma once
// A line-oriented chat client: each stdin line is sent as a MUD command, each event printed as
// a readable line. `/move ROOM` and `/party ID` map to presence requests; `/quit` leaves.
// A dropped connection is retried with backoff; once logged in again the client resumes from
// the newest message it printed, so every missed line is printed once and a hole is said.

#include "connection/feedresume.h"
#include "util/recentids.h"

#include <QJsonObject>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace mythos {

class TerminalClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QUrl url;
        QString token;
        QString guestName;
        bool json = false; // print raw events instead of lines
        bool reconnect = true; // false: exit when the connection drops, as before
        QString resumeSince; // resume from this message_id right after the first login
        int maxBackoffMs = 30000;
    };

    explicit TerminalClient(Options options, QObject *parent = nullptr);
    ~TerminalClient() override;
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void open();
    void onConnected();
    void onDisconnected();
    void onEvent(const QString &text);
    void onWelcome(const QJsonObject &data);
    void onResumed(const QString &type, const QJsonObject &data);
    void showChat(const QJsonObject &message, const QString &recovered);
    void onStdinLine(const QString &line);
    void send(const QJsonObject &frame);
    void sendRaw(const QString &text);
    void quit();
    void print(const QString &line);

    Options m_options;
    std::unique_ptr<QWebSocket> m_socket;
    QSocketNotifier m_stdin;
    QTimer m_retry;
    int m_attempt = 0;
    bool m_welcomed = false; // logged in at least once
    bool m_loggedIn = false; // on the current connection
    bool m_refused = false; // the login was refused: retrying would not help
    bool m_quitting = false;
    console::FeedResume m_resume;
    RecentIds m_shown { 5000 }; // ids printed, so a resent or late copy is not printed twice
    QString m_resumeRef, m_resumeSince;
    QString m_guestKey; // from the welcome: a reconnect continues this guest session
    int m_nextRef = 0;
};

} // namespace mythos
