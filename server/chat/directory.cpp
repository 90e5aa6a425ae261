#include "chat/directory.h"

#include "bus/bus.h"
#include "chat/playerregistry.h"
#include "util/ids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDirectory, "mythos.server.directory")

namespace mythos {

namespace {
const QLatin1String kOp("op");
const QLatin1String kServer("server_id");
const QLatin1String kPlayers("players");
} // namespace

Directory::Directory(QString serverId, const PlayerRegistry *registry, Bus *bus, QObject *parent)
    : QObject(parent), m_serverId(std::move(serverId)), m_registry(registry), m_bus(bus),
      m_subject(registry->subjects().control("presence"))
{
    connect(registry, &PlayerRegistry::playerOnline, this, [this](const Identity &who) {
        m_known.remember(who.id, who.name, who.role); // verified by this instance
        add(who.id, who.name, who.role, m_serverId);
        publish({ { kOp, QLatin1String("online") },
                  { kServer, m_serverId },
                  { kPlayers,
                    QJsonArray { QJsonObject { { QLatin1String("id"), who.id },
                                               { QLatin1String("name"), who.name },
                                               { QLatin1String("role"), roleName(who.role) } } } } });
    });
    connect(registry, &PlayerRegistry::playerOffline, this, [this](const QString &id) {
        remove(id, m_serverId);
        publish({ { kOp, QLatin1String("offline") },
                  { kServer, m_serverId },
                  { kPlayers, QJsonArray { QJsonObject { { QLatin1String("id"), id } } } } });
    });
}

std::optional<DirectoryEntry> Directory::resolve(const QString &idOrName) const
{
    auto it = m_byId.constFind(idOrName);
    if (it != m_byId.cend())
        return it.value();
    const QString id = m_idByName.value(foldName(idOrName));
    if (id.isEmpty())
        return std::nullopt;
    return m_byId.value(id);
}

std::optional<QString> Directory::resolveId(const QString &idOrName) const
{
    const QString wanted = idOrName.trimmed();
    if (wanted.isEmpty())
        return std::nullopt;
    if (const auto online = resolve(wanted))
        return online->id;
    if (m_known.verifiedRole(wanted))
        return wanted;
    const QString byName = m_known.idForName(wanted);
    return byName.isEmpty() ? std::nullopt : std::optional(byName);
}

bool Directory::isStaff(const QString &playerId) const
{
    const auto online = resolve(playerId);
    const Role seen = online && online->id == playerId ? online->role : Role::Player;
    return hasRole(seen, Role::Moderator)
            || hasRole(m_known.verifiedRole(playerId).value_or(Role::Player), Role::Moderator);
}

bool Directory::nameTakenByOther(const QString &name, const QString &playerId) const
{
    const QString id = m_idByName.value(foldName(name));
    return !id.isEmpty() && id != playerId;
}

int Directory::instanceCount() const
{
    QSet<QString> servers { m_serverId };
    for (const DirectoryEntry &e : m_byId)
        servers.unite(e.servers);
    return static_cast<int>(servers.size());
}

void Directory::add(const QString &id, const QString &name, Role role, const QString &serverId)
{
    if (id.isEmpty() || name.isEmpty())
        return;
    auto it = m_byId.find(id);
    if (it == m_byId.end()) {
        it = m_byId.insert(id, DirectoryEntry { id, name, role, {} });
    } else {
        // The latest login's name and role win (a rename or a promotion takes effect at once).
        if (it->name != name)
            forgetName(it->name, id);
        it->name = name;
        it->role = role;
    }
    it->servers.insert(serverId);
    m_idByName.insert(foldName(name), id);
}

void Directory::addRemote(const QString &id, const QString &name, Role claimed, const QString &serverId)
{
    // The bus is a trust boundary: a roster may not raise a role this instance verified itself
    // (a token here, the players table). A player it knows nothing of is taken at the roster's
    // word, which is why the bus needs credentials and ACLs (docs/trust.md).
    const std::optional<Role> verified = m_known.verifiedRole(id);
    if (verified && static_cast<int>(claimed) > static_cast<int>(*verified)) {
        ++m_rolesCapped;
        qCWarning(lcDirectory) << "instance" << serverId << "claims" << id << "is" << roleName(claimed)
                               << "; this instance verified" << roleName(*verified);
        claimed = *verified;
    }
    m_known.rememberName(id, name);
    add(id, name, claimed, serverId);
}

void Directory::rememberPlayers(const QList<Identity> &players)
{
    for (const Identity &p : players)
        m_known.remember(p.id, p.name, p.role);
}

void Directory::remove(const QString &playerId, const QString &serverId)
{
    auto it = m_byId.find(playerId);
    if (it == m_byId.end())
        return;
    it->servers.remove(serverId);
    if (!it->servers.isEmpty())
        return; // still connected to another instance
    forgetName(it->name, playerId);
    m_byId.erase(it);
}

void Directory::forgetName(const QString &name, const QString &playerId)
{
    // Only if the name still points at this player: someone else may have taken it since.
    const QString key = foldName(name);
    if (m_idByName.value(key) == playerId)
        m_idByName.remove(key);
}

void Directory::dropServer(const QString &serverId)
{
    const QStringList ids = m_byId.keys();
    for (const QString &id : ids)
        remove(id, serverId);
}

bool Directory::handleControl(const QByteArray &payload)
{
    QJsonParseError parseError;
    const QJsonObject msg = QJsonDocument::fromJson(payload, &parseError).object();
    const QString op = msg.value(kOp).toString();
    const QString server = msg.value(kServer).toString();
    static const QStringList known { QStringLiteral("hello"), QStringLiteral("online"), QStringLiteral("offline"),
                                     QStringLiteral("bye") };
    if (parseError.error != QJsonParseError::NoError || server.isEmpty() || !known.contains(op)
        || (op != QLatin1String("bye") && !msg.value(kPlayers).isArray())) {
        ++m_rejected;
        qCWarning(lcDirectory).noquote() << "ignoring a presence control message that is not {op, server_id, players}:"
                                         << QString::fromUtf8(payload.left(200));
        // Whatever it said is lost, so the rosters may be stale: ask every instance for
        // theirs again (at most every 10 s, so a broken peer cannot start a storm).
        if (!m_lastResync.isValid() || m_lastResync.hasExpired(10000)) {
            m_lastResync.start();
            announce();
        }
        return false;
    }
    if (server == m_serverId)
        return true;
    if (op == QLatin1String("hello"))
        dropServer(server); // a restarted instance starts from an empty roster
    if (op == QLatin1String("bye")) {
        dropServer(server);
        return true;
    }
    const QJsonArray players = msg.value(kPlayers).toArray();
    for (const QJsonValue &v : players) {
        const QJsonObject p = v.toObject();
        const QString id = p.value(QLatin1String("id")).toString();
        if (op == QLatin1String("offline"))
            remove(id, server);
        else if (!id.isEmpty())
            addRemote(id, p.value(QLatin1String("name")).toString(),
                      parseRole(p.value(QLatin1String("role")).toString()).value_or(Role::Player), server);
    }
    if (op == QLatin1String("hello"))
        publish(rosterMessage("online"));
    return true;
}

void Directory::announce()
{
    publish(rosterMessage("hello"));
}

void Directory::sayGoodbye()
{
    publish({ { kOp, QLatin1String("bye") }, { kServer, m_serverId } });
}

QJsonObject Directory::rosterMessage(const char *op) const
{
    QJsonArray players;
    for (const OnlinePlayer *p : m_registry->players())
        players.append(QJsonObject { { QLatin1String("id"), p->identity.id },
                                     { QLatin1String("name"), p->identity.name },
                                     { QLatin1String("role"), roleName(p->identity.role) } });
    return { { kOp, QLatin1String(op) }, { kServer, m_serverId }, { kPlayers, players } };
}

void Directory::publish(const QJsonObject &message)
{
    m_bus->publish(m_subject, QJsonDocument(message).toJson(QJsonDocument::Compact));
}

} // namespace mythos
