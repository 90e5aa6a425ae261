#pragma once
// The players connected to this instance, where they are, and which bus subjects they need.
// Interest follows presence: the registry adds and removes bus interest as players connect,
// move and leave, and answers "who here receives subject S" for the router.

#include "chat/identity.h"
#include "config/config.h"
#include "protocol/subjects.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace mythos {

class Bus;

struct OnlinePlayer
{
    Identity identity;
    Location location;
    QList<EventSink *> sinks; // one per connection of this player
    QString lastWhisperFrom; // player id, for `reply`
    QSet<QByteArray> subjects;
};

class PlayerRegistry : public QObject
{
    Q_OBJECT
public:
    PlayerRegistry(const Config &config, Bus *bus, QObject *parent = nullptr);
    ~PlayerRegistry() override;

    OnlinePlayer *attach(const Identity &identity, const Location &initial, EventSink *sink);
    void detach(const QString &playerId, EventSink *sink);
    void setLocation(OnlinePlayer *player, const Location &location);

    OnlinePlayer *find(const QString &playerId) const { return m_players.value(playerId); }
    const QList<OnlinePlayer *> &receiversOf(const QByteArray &subject) const;
    QList<OnlinePlayer *> players() const { return m_players.values(); }
    int playerCount() const { return static_cast<int>(m_players.size()); }
    const Subjects &subjects() const { return m_subjects; }
    // The subject a message on `channel` from a sender at `location` goes to; empty when the
    // sender has no such scope (no room, no party).
    QByteArray subjectFor(const ChannelSpec &channel, const Location &location, const QString &targetId) const;

Q_SIGNALS:
    void playerOnline(const mythos::Identity &identity);
    void playerOffline(const QString &playerId);
    void locationChanged(mythos::OnlinePlayer *player);

private:
    QSet<QByteArray> subjectsFor(const OnlinePlayer &player) const;
    void updateSubjects(OnlinePlayer *player);

    const Config &m_config;
    Bus *m_bus;
    Subjects m_subjects;
    QHash<QString, OnlinePlayer *> m_players;
    QHash<QByteArray, QList<OnlinePlayer *>> m_receivers;
};

} // namespace mythos
