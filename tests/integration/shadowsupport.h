#pragma once
// What the shadow-mute suites share: the mute frames, matchers and small request helpers over
// TestClient (tst_shadowmutes: two instances with their own SQLite; tst_shadowmutes_pg: a
// shared PostgreSQL).

#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>

#include <memory>

namespace mythos::test::shadow {

inline const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");
inline const QString kType = QStringLiteral("type");

inline QJsonObject muteFrame(const QString &type, const QString &target, const QJsonValue &minutes = {})
{
    QJsonObject f { { kType, type },
                    { QStringLiteral("scope"), QStringLiteral("shadow") },
                    { QStringLiteral("target_type"), QStringLiteral("player") },
                    { QStringLiteral("target"), target } };
    if (!minutes.isUndefined())
        f.insert(QStringLiteral("minutes"), minutes);
    return f;
}

inline QStringList contents(const QJsonArray &messages)
{
    QStringList out;
    for (const QJsonValue &m : messages)
        out.append(m.toObject().value(QStringLiteral("content")).toString());
    return out;
}

// A waitFor() matcher: a monitor line with this text, marked shadow (or not).
inline std::function<bool(const QJsonObject &)> shadowedLine(const QString &text, bool shadow = true)
{
    return [text, shadow](const QJsonObject &d) {
        return d.value(QStringLiteral("content")).toString() == text
                && d.value(QStringLiteral("shadow")).toBool() == shadow;
    };
}

// Connected and authenticated in the foyer ("alice" is shown as "Alice"), or null.
inline std::unique_ptr<TestClient> join(TestServer &s, const QString &id,
                                        const QString &role = QStringLiteral("player"))
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(s.port()) || c->authToken(tokenFor(id, id.left(1).toUpper() + id.mid(1), role, kFoyer)).isEmpty())
        return nullptr;
    return c;
}

// The ack's data, or an empty object when the send was refused.
inline QJsonObject ackOf(TestClient &c, const QString &channel, const QString &text, const QString &target = {})
{
    const QJsonObject reply = c.request(sendFrame(channel, text, target));
    return reply.value(QStringLiteral("event_type")).toString() == QStringLiteral("ack") ? eventData(reply)
                                                                                         : QJsonObject();
}

// The contents of the reader's history of `channel`, oldest first (`raw`: the messages).
inline QStringList historyOf(TestClient &c, const QString &channel, QJsonArray *raw = nullptr)
{
    const QJsonArray messages =
            eventData(c.request({ { kType, QStringLiteral("history") }, { QStringLiteral("channel"), channel } }))
                    .value(QStringLiteral("messages"))
                    .toArray();
    if (raw)
        *raw = messages;
    return contents(messages);
}

} // namespace mythos::test::shadow
