#include "moderation/mute.h"

namespace mythos {

namespace {
QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}
QDateTime parseIso(const QJsonValue &v)
{
    return v.isString() ? QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC() : QDateTime();
}
} // namespace

QString muteScopeName(Mute::Scope scope)
{
    switch (scope) {
    case Mute::Scope::Server: return QStringLiteral("server");
    case Mute::Scope::Shadow: return QStringLiteral("shadow");
    case Mute::Scope::Personal: break;
    }
    return QStringLiteral("personal");
}

std::optional<Mute::Scope> muteScopeFromName(QStringView name)
{
    for (const Mute::Scope scope : { Mute::Scope::Personal, Mute::Scope::Server, Mute::Scope::Shadow }) {
        if (name == muteScopeName(scope))
            return scope;
    }
    return std::nullopt;
}

QString Mute::makeId(Scope scope, const QString &ownerId, const QString &targetType, const QString &targetId,
                     const QString &channel)
{
    // Ids and channel names cannot contain ':' (they are subject-safe), so this is unambiguous.
    const QString tag = scope == Scope::Server ? QStringLiteral("s")
            : scope == Scope::Shadow           ? QStringLiteral("h")
                                               : QStringLiteral("p");
    return QStringList { tag, ownerId, targetType, targetId, channel }.join(QLatin1Char(':'));
}

QJsonObject Mute::toProtocol() const
{
    QJsonObject o { { QLatin1String("target_type"), targetType },
                    { QLatin1String("target"), targetId },
                    { QLatin1String("target_name"), targetName.isEmpty() ? targetId : targetName },
                    { QLatin1String("muted_until"), isoOrNull(until) },
                    { QLatin1String("reason"), reason },
                    { QLatin1String("muted_by"), mutedBy },
                    { QLatin1String("scope"), muteScopeName(scope) } };
    if (!channel.isEmpty())
        o.insert(QLatin1String("channel"), channel);
    return o;
}

QJsonObject Mute::toJson() const
{
    QJsonObject o = toProtocol();
    o.insert(QLatin1String("id"), id);
    o.insert(QLatin1String("owner_id"), ownerId);
    o.insert(QLatin1String("created_at"), isoOrNull(createdAt));
    return o;
}

Mute Mute::fromJson(const QJsonObject &o)
{
    Mute m;
    m.id = o.value(QLatin1String("id")).toString();
    m.scope = muteScopeFromName(o.value(QLatin1String("scope")).toString()).value_or(Scope::Personal);
    m.ownerId = o.value(QLatin1String("owner_id")).toString();
    m.targetType = o.value(QLatin1String("target_type")).toString();
    m.targetId = o.value(QLatin1String("target")).toString();
    m.targetName = o.value(QLatin1String("target_name")).toString();
    m.channel = o.value(QLatin1String("channel")).toString();
    m.until = parseIso(o.value(QLatin1String("muted_until")));
    m.mutedBy = o.value(QLatin1String("muted_by")).toString();
    m.reason = o.value(QLatin1String("reason")).toString();
    m.createdAt = parseIso(o.value(QLatin1String("created_at")));
    return m;
}

} // namespace mythos
