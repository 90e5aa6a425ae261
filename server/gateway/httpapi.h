#pragma once
// The HTTP API of PROTOCOL §6 for scripts and the game server: send, history and metrics.
// Same authentication as the WebSocket (Bearer JWT), JSON errors with fitting statuses.

#include "gateway/clienthandler.h"
#include "gateway/pendingreply.h"

#include <QHttpServer>
#include <QObject>

#include <functional>

namespace mythos {

class HttpApi : public QObject
{
    Q_OBJECT
public:
    // `serving` turns false when the server shuts down: requests then get 503.
    HttpApi(QHttpServer &http, const ClientServices &services, std::function<QByteArray()> metrics,
            std::function<bool()> serving, QObject *parent = nullptr);

    quint64 requestCount() const { return m_requests; }
    // Replies that were ready after their client had disconnected.
    quint64 repliesDropped() const { return *m_repliesDropped; }

private:
    using Responder = std::shared_ptr<PendingReply>;
    Responder reply(QHttpServerResponder &&responder) const;
    void send(const QHttpServerRequest &request, Responder responder);
    void history(const QString &channel, const QHttpServerRequest &request, Responder responder);
    void rateLimitStatus(const QHttpServerRequest &request, Responder responder);
    void mute(const QString &targetType, const QHttpServerRequest &request, Responder responder);
    void unmute(const QString &targetType, const QString &target, const QHttpServerRequest &request,
                Responder responder);
    void listMutes(const QHttpServerRequest &request, Responder responder);
    // The caller, or a written error (401, or 503 while shutting down) and nothing.
    std::optional<Authenticated> authenticate(const QHttpServerRequest &request, const Responder &responder);
    Location locationOf(const Authenticated &who) const;

    ClientServices m_services;
    std::function<QByteArray()> m_metrics;
    std::function<bool()> m_serving;
    quint64 m_requests = 0;
    PendingReply::Counter m_repliesDropped = std::make_shared<std::atomic<quint64>>(0);
};

void writeJson(QHttpServerResponder &responder, const QJsonObject &body, int status);
void writeError(QHttpServerResponder &responder, const ChatError &error);
void writeJson(PendingReply &reply, const QJsonObject &body, int status);
void writeError(PendingReply &reply, const ChatError &error);

} // namespace mythos
