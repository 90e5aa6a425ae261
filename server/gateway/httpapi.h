#pragma once
// The HTTP API of PROTOCOL §6 for scripts and the game server: send, history and metrics.
// Same authentication as the WebSocket (Bearer JWT), JSON errors with fitting statuses.

#include "gateway/clienthandler.h"

#include <QHttpServer>
#include <QObject>

#include <functional>

namespace mythos {

class HttpApi : public QObject
{
    Q_OBJECT
public:
    HttpApi(QHttpServer &http, const ClientServices &services, std::function<QByteArray()> metrics,
            QObject *parent = nullptr);

    quint64 requestCount() const { return m_requests; }

private:
    using Responder = std::shared_ptr<QHttpServerResponder>;
    void send(const QHttpServerRequest &request, Responder responder);
    void history(const QString &channel, const QHttpServerRequest &request, Responder responder);
    void rateLimitStatus(const QHttpServerRequest &request, Responder responder);
    void mute(const QString &targetType, const QHttpServerRequest &request, Responder responder);
    void unmute(const QString &targetType, const QString &target, const QHttpServerRequest &request, Responder responder);
    void listMutes(const QHttpServerRequest &request, Responder responder);
    // The caller, or a written 401 and nothing.
    std::optional<Authenticated> authenticate(const QHttpServerRequest &request, const Responder &responder);
    Location locationOf(const Authenticated &who) const;

    ClientServices m_services;
    std::function<QByteArray()> m_metrics;
    quint64 m_requests = 0;
};

void writeJson(QHttpServerResponder &responder, const QJsonObject &body, int status);
void writeError(QHttpServerResponder &responder, const ChatError &error);

} // namespace mythos
