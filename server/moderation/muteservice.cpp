#include "moderation/muteservice.h"

#include "bus/bus.h"
#include "chat/directory.h"
#include "config/config.h"
#include "storage/messagestore.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcMutes, "mythos.server.mutes")

namespace mythos {

namespace {
constexpr int kMaxMinutes = 10080; // a week
const QLatin1String kPlayer("player");
const QLatin1String kChannel("channel");

ChatError error(ErrorCode code, const QString &message)
{
    return { code, message };
}

QString staffRefusal(const QString &name, Role role, Mute::Scope scope)
{
    return QStringLiteral("%1 is %2 and cannot be %3-muted").arg(name, roleName(role), muteScopeName(scope));
}
} // namespace

std::variant<std::optional<int>, ChatError> muteMinutesFrom(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return std::optional<int>();
    if (!value.isDouble() || value.toDouble() != static_cast<int>(value.toDouble()))
        return error(ErrorCode::InvalidRequest, QStringLiteral("'minutes' must be a whole number"));
    return std::optional<int>(static_cast<int>(value.toDouble()));
}

MuteService::MuteService(const Config &config, QString serverId, Directory *directory, MessageStore *store, Bus *bus,
                         QByteArray controlSubject, QObject *parent)
    : QObject(parent), m_config(config), m_serverId(std::move(serverId)), m_directory(directory), m_store(store),
      m_control(bus, "mute"), m_subject(std::move(controlSubject))
{
    // Expired mutes stop applying at their instant anyway; this only keeps memory and the table tidy.
    m_sweep.setInterval(30000);
    connect(&m_sweep, &QTimer::timeout, this, [this] {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (m_registry.sweep(now) > 0 && m_store)
            m_store->run<int>("delete expired mutes", [now](SqlStorage &s) { return s.deleteExpiredMutes(now); });
    });
    m_sweep.start();
}

Result<bool> MuteService::load()
{
    if (!m_store)
        return true;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto mutes = m_store->runBlocking<QList<Mute>>([now](SqlStorage &s) { return s.loadActiveMutes(now); });
    if (!mutes)
        return Result<bool>::failure(mutes.error());
    for (const Mute &m : mutes.value())
        m_registry.upsert(m);
    qCInfo(lcMutes) << "loaded" << mutes.value().size() << "mutes in force";
    return true;
}

void MuteService::resolvePlayer(const QString &idOrName, const TargetFound &found)
{
    if (const auto online = m_directory->resolve(idOrName))
        return found(Target { online->id, online->name, online->role });
    if (!m_store)
        return found(std::nullopt);
    m_store->run<SqlStorage::KnownPlayer>(
            "look up a player", [idOrName](SqlStorage &s) { return s.findPlayer(idOrName); },
            [found](const Result<SqlStorage::KnownPlayer> &r) {
                if (!r || r.value().id.isEmpty())
                    return found(std::nullopt);
                found(Target { r.value().id, r.value().name, r.value().role });
            });
}

void MuteService::mute(const Identity &actor, const MuteRequest &request, const Reply &reply)
{
    // Shadow mutes follow every rule of server mutes; only what happens to the messages differs.
    const bool server = isModeratorScope(request.scope);
    if (request.targetType != kPlayer && request.targetType != kChannel)
        return reply(error(ErrorCode::InvalidRequest, QStringLiteral("'target_type' must be player or channel")));
    if (request.minutes && (*request.minutes < 1 || *request.minutes > kMaxMinutes))
        return reply(
                error(ErrorCode::InvalidRequest,
                      QStringLiteral("'minutes' must be from 1 to %1 (or absent for permanent)").arg(kMaxMinutes)));
    if (request.reason.size() > 500)
        return reply(error(ErrorCode::InvalidRequest, QStringLiteral("'reason' is limited to 500 characters")));
    if (server && !hasRole(actor.role, Role::Moderator))
        return reply(error(ErrorCode::Forbidden,
                           QStringLiteral("%1 mutes need a moderator").arg(muteScopeName(request.scope))));
    if (server && request.targetType != kPlayer)
        return reply(error(ErrorCode::InvalidRequest,
                           QStringLiteral("%1 mutes are for players; name the channel in 'channel'")
                                   .arg(muteScopeName(request.scope))));
    if (!request.channel.isEmpty() && (!server || !m_config.channel(request.channel)))
        return reply(error(server ? ErrorCode::UnknownChannel : ErrorCode::InvalidRequest,
                           server ? QStringLiteral("no channel named '%1'").arg(request.channel)
                                  : QStringLiteral("'channel' only applies to server and shadow mutes")));

    Mute m;
    m.scope = request.scope;
    m.targetType = request.targetType;
    m.reason = request.reason;
    m.mutedBy = actor.id;
    m.channel = request.channel;
    m.createdAt = QDateTime::currentDateTimeUtc();
    if (request.minutes)
        m.until = m.createdAt.addSecs(qint64(*request.minutes) * 60);

    if (request.targetType == kChannel) {
        if (!m_config.channel(request.target))
            return reply(error(ErrorCode::UnknownChannel, QStringLiteral("no channel named '%1'").arg(request.target)));
        m.ownerId = actor.id;
        m.targetId = m.targetName = request.target;
        m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, m.channel);
        return apply(actor, m, false, reply);
    }
    resolvePlayer(request.target.trimmed(),
                  [this, actor, m, server, reply, request](std::optional<Target> target) mutable {
                      if (!target)
                          return reply(error(ErrorCode::UnknownTarget,
                                             QStringLiteral("no player named '%1' is known").arg(request.target)));
                      if (target->id == actor.id)
                          return reply(error(ErrorCode::InvalidRequest, QStringLiteral("you cannot mute yourself")));
                      if (server && hasRole(target->role, Role::Moderator))
                          return reply(error(ErrorCode::Forbidden, staffRefusal(target->name, target->role, m.scope)));
                      m.targetId = target->id;
                      m.targetName = target->name;
                      m.ownerId = server ? target->id : actor.id;
                      m.id = Mute::makeId(m.scope, m.ownerId, m.targetType, m.targetId, m.channel);
                      apply(actor, m, false, reply);
                  });
}

void MuteService::removePersonalMutesOf(const Identity &owner)
{
    const QList<Mute> held = m_registry.personalMutesOf(owner.id, QDateTime::currentDateTimeUtc());
    for (const Mute &m : held)
        unmute(owner, m.targetType, m.targetId, Mute::Scope::Personal, [](const MuteOutcome &) {});
    if (!held.isEmpty())
        qCInfo(lcMutes) << "removed" << held.size() << "personal mutes of" << owner.id;
}

void MuteService::unmute(const Identity &actor, const QString &targetType, const QString &target, Mute::Scope scope,
                         const Reply &reply)
{
    if (isModeratorScope(scope) && !hasRole(actor.role, Role::Moderator))
        return reply(
                error(ErrorCode::Forbidden, QStringLiteral("%1 mutes need a moderator").arg(muteScopeName(scope))));
    // Find the mute by what the caller can name: the exact target id first, then a display name.
    auto findFor = [this, actor, targetType, scope](const QString &targetId) -> std::optional<Mute> {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QList<Mute> candidates = isModeratorScope(scope) ? m_registry.mutesOfScope(scope, now)
                                                               : m_registry.personalMutesOf(actor.id, now);
        for (const Mute &m : candidates) {
            if (m.targetType == targetType
                && (m.targetId == targetId || m.targetName.compare(targetId, Qt::CaseInsensitive) == 0))
                return m;
        }
        return std::nullopt;
    };
    if (const auto found = findFor(target.trimmed()))
        return apply(actor, *found, true, reply);
    reply(error(ErrorCode::NotFound,
                QStringLiteral("no %1 mute of %2 '%3'").arg(muteScopeName(scope), targetType, target)));
}

void MuteService::apply(const Identity &actor, const Mute &mute, bool remove, const Reply &reply)
{
    auto done = [this, actor, mute, remove, reply] {
        if (remove)
            m_registry.remove(mute.id);
        else
            m_registry.upsert(mute);
        publish(remove ? QJsonObject { { QLatin1String("op"), QLatin1String("remove") },
                                       { QLatin1String("id"), mute.id } }
                       : QJsonObject { { QLatin1String("op"), QLatin1String("upsert") },
                                       { QLatin1String("mute"), mute.toJson() } });
        Q_EMIT changed(remove ? QStringLiteral("unmute") : QStringLiteral("mute"), mute, actor);
        if (isModeratorScope(mute.scope))
            Q_EMIT serverMutesChanged();
        reply(list(actor, mute.scope));
    };
    if (!m_store)
        return done();
    // Stored first: a mute the database did not take would not survive a restart.
    const SqlStorage::KnownPlayer by { actor.id, actor.name, actor.role };
    m_store->run<bool>(
            remove ? "delete a mute" : "save a mute",
            [mute, remove, by](SqlStorage &s) {
                if (remove)
                    return s.deleteMute(mute.id);
                // The rows the mute refers to (PostgreSQL enforces the plan's foreign keys).
                if (auto ok = s.recordPlayer(by); !ok)
                    return ok;
                return s.saveMute(mute);
            },
            [done, reply](const Result<bool> &r) {
                if (!r)
                    return reply(error(ErrorCode::Internal,
                                       QStringLiteral("the mute could not be saved; please try again")));
                done();
            });
}

MuteOutcome MuteService::list(const Identity &actor, Mute::Scope scope) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (scope == Mute::Scope::Personal)
        return m_registry.personalMutesOf(actor.id, now);
    if (!hasRole(actor.role, Role::Moderator))
        return error(ErrorCode::Forbidden,
                     QStringLiteral("the %1 mute list is for moderators").arg(muteScopeName(scope)));
    return m_registry.mutesOfScope(scope, now);
}

void MuteService::publish(const QJsonObject &message)
{
    QJsonObject m = message;
    m.insert(QLatin1String("origin"), m_serverId);
    m_control.publish(m_subject, QJsonDocument(m).toJson(QJsonDocument::Compact));
}

bool MuteService::handleControl(const QByteArray &payload)
{
    QJsonParseError parseError;
    const QJsonObject msg = QJsonDocument::fromJson(payload, &parseError).object();
    const QString op = msg.value(QLatin1String("op")).toString();
    if (parseError.error != QJsonParseError::NoError
        || (op != QLatin1String("upsert") && op != QLatin1String("remove"))) {
        ++m_rejected;
        qCWarning(lcMutes).noquote() << "ignoring a mute control message that is not {op: upsert|remove}:"
                                     << QString::fromUtf8(payload.left(200));
        return false;
    }
    if (msg.value(QLatin1String("origin")).toString() == m_serverId)
        return true;
    const bool ownDatabase = m_store && !m_store->isShared();
    if (op == QLatin1String("upsert")) {
        const Mute mute = Mute::fromJson(msg.value(QLatin1String("mute")).toObject());
        if (mute.id.isEmpty() || mute.ownerId.isEmpty()) {
            ++m_rejected;
            qCWarning(lcMutes).noquote() << "ignoring a malformed mute from another instance:"
                                         << QString::fromUtf8(payload.left(200));
            return false;
        }
        // The bus is a trust boundary: a relayed server mute obeys the same staff protection
        // as one asked for here (PROTOCOL: moderators and admins cannot be server-muted).
        if (isModeratorScope(mute.scope) && mute.targetType == kPlayer && m_directory->isStaff(mute.targetId)) {
            ++m_refusedStaffMutes;
            qCWarning(lcMutes) << "refusing a relayed" << muteScopeName(mute.scope) << "mute of staff member"
                               << mute.targetId << "by" << mute.mutedBy;
            return false;
        }
        m_registry.upsert(mute);
        if (ownDatabase) // a shared database already has it
            m_store->run<bool>("save a relayed mute", [mute](SqlStorage &s) { return s.saveMute(mute); });
        if (isModeratorScope(mute.scope))
            Q_EMIT serverMutesChanged();
    } else if (op == QLatin1String("remove")) {
        const QString id = msg.value(QLatin1String("id")).toString();
        const std::optional<Mute> removed = m_registry.find(id);
        m_registry.remove(id);
        if (ownDatabase)
            m_store->run<bool>("delete a relayed mute", [id](SqlStorage &s) { return s.deleteMute(id); });
        if (removed && isModeratorScope(removed->scope))
            Q_EMIT serverMutesChanged();
    }
    return true;
}

} // namespace mythos
