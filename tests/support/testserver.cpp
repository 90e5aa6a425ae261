#include "testserver.h"

#include "audit/auditlog.h"
#include "auth/jwt.h"
#include "bus/bus.h"

#include <QFile>
#include <QJsonDocument>

#include <QDateTime>
#include <QTest>

namespace mythos::test {

Config testConfig(const QString &natsUrl)
{
    Config c;
    c.server.port = 0;
    c.auth.jwtSecret = kTestSecret;
    c.auth.allowGuests = true;
    c.presence.clientMoves = true;
    c.nats.enabled = !natsUrl.isEmpty();
    if (!natsUrl.isEmpty())
        c.nats.url = natsUrl;
    c.nats.reconnectTimeWaitS = 0.1;
    // Tests send in bursts; the rate-limit suite turns limiting back on.
    c.rateLimitingEnabled = false;
    return c;
}

QByteArray tokenFor(const QString &id, const QString &name, const QString &role, const QString &room,
                    const QString &party)
{
    TokenClaims claims;
    claims.playerId = id;
    claims.name = name;
    claims.role = parseRole(role).value_or(Role::Player);
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + 3600;
    claims.roomId = room;
    claims.partyId = party;
    return jwt::mint(claims, kTestSecret);
}

TestServer::TestServer(Config config)
{
    config.resolveDefaults(m_dataDir.path());
    m_app = std::make_unique<ServerApp>(std::move(config));
}

TestServer::~TestServer() = default;

bool TestServer::start()
{
    QString error;
    if (!m_app->start(&error)) {
        qWarning() << "test server failed to start:" << error;
        return false;
    }
    return true;
}

QList<QJsonObject> TestServer::auditLines(const QString &category)
{
    AuditLog *audit = m_app->auditLog();
    audit->flush();
    QFile f(QStringLiteral("%1/%2/%2_%3.jsonl")
                    .arg(audit->dir(), category, QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate)));
    QList<QJsonObject> lines;
    if (f.open(QIODevice::ReadOnly)) {
        while (!f.atEnd())
            lines.append(QJsonDocument::fromJson(f.readLine()).object());
    }
    return lines;
}

bool TestServer::waitForNats(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_app->bus()->isConnected(); }, timeoutMs);
}

} // namespace mythos::test
