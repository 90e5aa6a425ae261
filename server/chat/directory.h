#pragma once
// Every player online on any instance, by id and by display name (case-insensitive), so a
// whisper can name someone connected elsewhere. Instances keep each other's view current
// over `{prefix}.control.presence`: online/offline as players come and go, the whole roster
// when an instance (re)joins the bus and when another asks for it.

#include "chat/identity.h"
#include "chat/knownplayers.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

namespace mythos {

class Bus;
class PlayerRegistry;

struct DirectoryEntry
{
    QString id;
    QString name;
    Role role = Role::Player;
    // Every instance the player is connected to: one going offline on one of them leaves
    // them online on the others.
    QSet<QString> servers;
};

class Directory : public QObject
{
    Q_OBJECT
public:
    Directory(QString serverId, const PlayerRegistry *registry, Bus *bus, QObject *parent = nullptr);

    // By exact id first, then by display name ignoring case.
    std::optional<DirectoryEntry> resolve(const QString &idOrName) const;
    // The id of a player by id or display name, online anywhere or known here offline (a token
    // player this instance recorded); nothing for a name nobody has.
    std::optional<QString> resolveId(const QString &idOrName) const;
    // Staff by what this instance knows: the roster (never above a verified role) or the record.
    bool isStaff(const QString &playerId) const;
    // Whether another online player already uses this name (case-insensitive).
    bool nameTakenByOther(const QString &name, const QString &playerId) const;
    int size() const { return static_cast<int>(m_byId.size()); }
    // Every player this instance believes in, online or not (names for guests to keep clear
    // of, roles a relayed roster may not exceed).
    const KnownPlayers &known() const { return m_known; }
    // The players table, read at startup.
    void rememberPlayers(const QList<Identity> &players);
    // Instances with players online, this one included.
    int instanceCount() const;

    QByteArray controlSubject() const { return m_subject; }
    // False (logged and counted) when the message is not a presence message we understand.
    bool handleControl(const QByteArray &payload);
    quint64 rejectedControlMessages() const { return m_rejected; }
    // Roster entries whose role was lowered to what this instance could verify.
    quint64 rolesCapped() const { return m_rolesCapped; }
    // Announces this instance's roster and asks the others for theirs.
    void announce();
    void sayGoodbye();

private:
    void add(const QString &id, const QString &name, Role role, const QString &serverId);
    void addRemote(const QString &id, const QString &name, Role claimed, const QString &serverId);
    void remove(const QString &playerId, const QString &serverId);
    void forgetName(const QString &name, const QString &playerId);
    void dropServer(const QString &serverId);
    void publish(const QJsonObject &message);
    QJsonObject rosterMessage(const char *op) const;

    QString m_serverId;
    const PlayerRegistry *m_registry;
    Bus *m_bus;
    QByteArray m_subject;
    QHash<QString, DirectoryEntry> m_byId;
    QHash<QString, QString> m_idByName; // foldName(name) -> id
    KnownPlayers m_known;
    quint64 m_rejected = 0;
    quint64 m_rolesCapped = 0;
    QElapsedTimer m_lastResync;
};

} // namespace mythos
