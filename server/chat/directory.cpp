#include "chat/directory.h"

#include "bus/bus.h"
#include "chat/playerregistry.h"

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
    : QObject(parent),
      m_serverId(std::move(serverId)),
      m_registry(registry),
      m_bus(bus),
      m_subject(registry->subjects().control("presence"))
{
    connect(registry, &PlayerRegistry::playerOnline, this, [this](const Identity &who) {
        add({ who.id, who.name, m_serverId, who.role });
        publish({ { kOp, QLatin1String("online") },
                  { kServer, m_serverId },
                  { kPlayers, QJsonArray { QJsonObject { { QLatin1String("id"), who.id },
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
    const QString id = m_idByName.value(idOrName.toCaseFolded());
    if (id.isEmpty())
        return std::nullopt;
    return m_byId.value(id);
}

bool Directory::nameTakenByOther(const QString &name, const QString &playerId) const
{
    const QString id = m_idByName.value(name.toCaseFolded());
    return !id.isEmpty() && id != playerId;
}

int Directory::instanceCount() const
{
    QSet<QString> servers { m_serverId };
    for (const DirectoryEntry &e : m_byId)
        servers.insert(e.serverId);
    return static_cast<int>(servers.size());
}

void Directory::add(const DirectoryEntry &entry)
{
    if (auto old = m_byId.constFind(entry.id); old != m_byId.cend())
        m_idByName.remove(old->name.toCaseFolded());
    m_byId.insert(entry.id, entry);
    m_idByName.insert(entry.name.toCaseFolded(), entry.id);
}

void Directory::remove(const QString &playerId, const QString &serverId)
{
    auto it = m_byId.find(playerId);
    // A player who moved to another instance is owned by that one now.
    if (it == m_byId.end() || it->serverId != serverId)
        return;
    m_idByName.remove(it->name.toCaseFolded());
    m_byId.erase(it);
}

void Directory::dropServer(const QString &serverId)
{
    for (auto it = m_byId.begin(); it != m_byId.end();) {
        if (it->serverId == serverId) {
            m_idByName.remove(it->name.toCaseFolded());
            it = m_byId.erase(it);
        } else {
            ++it;
        }
    }
}

void Directory::handleControl(const QByteArray &payload)
{
    const QJsonObject msg = QJsonDocument::fromJson(payload).object();
    const QString op = msg.value(kOp).toString();
    const QString server = msg.value(kServer).toString();
    if (server.isEmpty() || server == m_serverId) {
        if (server.isEmpty())
            qCWarning(lcDirectory) << "ignoring presence control message without server_id";
        return;
    }
    if (op == QLatin1String("hello"))
        dropServer(server); // a restarted instance starts from an empty roster
    if (op == QLatin1String("bye")) {
        dropServer(server);
        return;
    }
    const QJsonArray players = msg.value(kPlayers).toArray();
    for (const QJsonValue &v : players) {
        const QJsonObject p = v.toObject();
        const QString id = p.value(QLatin1String("id")).toString();
        if (op == QLatin1String("offline"))
            remove(id, server);
        else if (!id.isEmpty())
            add({ id, p.value(QLatin1String("name")).toString(), server,
                  parseRole(p.value(QLatin1String("role")).toString()).value_or(Role::Player) });
    }
    if (op == QLatin1String("hello"))
        publish(rosterMessage("online"));
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
