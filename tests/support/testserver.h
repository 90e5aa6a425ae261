#pragma once
// Builds test configurations and runs mythos-chatd instances in-process (real sockets, real
// NATS when given a URL).

#include "app/serverapp.h"
#include "config/config.h"

#include <QJsonObject>
#include <QList>
#include <QTemporaryDir>

#include <memory>

namespace mythos::test {

inline const QByteArray kTestSecret = QByteArrayLiteral("test-secret-for-mythos-chat");

// Loopback, port 0 (any free), guests and client moves on, the test secret.
Config testConfig(const QString &natsUrl = {});
QByteArray tokenFor(const QString &id, const QString &name, const QString &role = QStringLiteral("player"),
                    const QString &room = {}, const QString &party = {});

class TestServer
{
public:
    explicit TestServer(Config config);
    ~TestServer();
    bool start();
    // Waits until the bus reports connected (or the timeout passes).
    bool waitForNats(int timeoutMs = 10000);
    ServerApp &app() { return *m_app; }
    // Today's lines of one audit category ("chat", "moderation", "system"), flushed first.
    QList<QJsonObject> auditLines(const QString &category);
    quint16 port() const { return m_app->port(); }

private:
    QTemporaryDir m_dataDir;
    std::unique_ptr<ServerApp> m_app;
};

} // namespace mythos::test
