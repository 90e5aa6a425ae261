#pragma once
// A line-oriented chat client: each stdin line is sent as a MUD command, each event printed as
// a readable line. `/move ROOM` and `/party ID` map to presence requests; `/quit` leaves.

#include <QJsonObject>
#include <QObject>
#include <QSocketNotifier>
#include <QUrl>
#include <QWebSocket>

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
    };

    explicit TerminalClient(Options options, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onConnected();
    void onEvent(const QString &text);
    void onStdinLine(const QString &line);
    void send(const QJsonObject &frame);
    void print(const QString &line);

    Options m_options;
    QWebSocket m_socket;
    QSocketNotifier m_stdin;
    bool m_welcomed = false;
};

} // namespace mythos
