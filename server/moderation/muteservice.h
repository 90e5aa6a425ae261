#pragma once
// Mutes as players and moderators use them: validation (who may mute whom, for how long),
// persistence, the in-memory registry the pipeline consults, and propagation to the other
// instances over `{prefix}.control.mutes` so a mute applies everywhere within a second.

#include "bus/controlpublisher.h"
#include "chat/identity.h"
#include "moderation/muteregistry.h"
#include "protocol/errorcode.h"
#include "util/result.h"

#include <QJsonValue>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>
#include <variant>

namespace mythos {

struct Config;
class Bus;
class Directory;
class MessageStore;

struct MuteRequest
{
    QString targetType; // "player" or "channel"
    QString target; // player id or display name, or channel name
    std::optional<int> minutes; // absent = permanent
    QString reason;
    Mute::Scope scope = Mute::Scope::Personal;
    QString channel; // server mute of a player on one channel
};

using MuteOutcome = std::variant<QList<Mute>, ChatError>;

// A request's `minutes`: absent or null = permanent; otherwise a whole number (range checked by
// MuteService). Shared by every door a mute comes in by.
std::variant<std::optional<int>, ChatError> muteMinutesFrom(const QJsonValue &value);

class MuteService : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const MuteOutcome &)>;

    MuteService(const Config &config, QString serverId, Directory *directory, MessageStore *store, Bus *bus,
                QByteArray controlSubject, QObject *parent = nullptr);

    // Loads the mutes in force from the database (start-up).
    Result<bool> load();
    void mute(const Identity &actor, const MuteRequest &request, const Reply &reply);
    void unmute(const Identity &actor, const QString &targetType, const QString &target, Mute::Scope scope,
                const Reply &reply);
    // Removes every personal mute `owner` holds (relayed and stored like an unmute each).
    void removePersonalMutesOf(const Identity &owner);
    // The actor's personal mutes, or (moderators) every server or every shadow mute.
    MuteOutcome list(const Identity &actor, Mute::Scope scope) const;
    // False (logged and counted) for a message that is not one of ours.
    bool handleControl(const QByteArray &payload);
    quint64 rejectedControlMessages() const { return m_rejected; }
    // Relayed server and shadow mutes of staff members, refused (Directory::isStaff).
    quint64 refusedStaffMutes() const { return m_refusedStaffMutes; }
    const ControlPublisher &control() const { return m_control; }

    const MuteRegistry &registry() const { return m_registry; }
    const QByteArray &controlSubject() const { return m_subject; }

Q_SIGNALS:
    // "mute" or "unmute", for the moderation log.
    void changed(const QString &action, const mythos::Mute &mute, const mythos::Identity &actor);
    // A server or shadow mute was set, changed or lifted, here or on another instance:
    // moderators' lists are out of date.
    void serverMutesChanged();

private:
    struct Target
    {
        QString id;
        QString name;
        Role role = Role::Player;
    };
    using TargetFound = std::function<void(std::optional<Target>)>;
    void resolvePlayer(const QString &idOrName, const TargetFound &found);
    void apply(const Identity &actor, const Mute &mute, bool remove, const Reply &reply);
    void publish(const QJsonObject &message);

    const Config &m_config;
    QString m_serverId;
    Directory *m_directory;
    MessageStore *m_store;
    ControlPublisher m_control; // survives NATS outages
    QByteArray m_subject;
    MuteRegistry m_registry;
    QTimer m_sweep;
    quint64 m_rejected = 0;
    quint64 m_refusedStaffMutes = 0;
};

} // namespace mythos
