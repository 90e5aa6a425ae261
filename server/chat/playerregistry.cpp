#include "chat/playerregistry.h"

#include "bus/bus.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRegistry, "mythos.server.registry")

namespace mythos {

PlayerRegistry::PlayerRegistry(const Config &config, Bus *bus, QObject *parent)
    : QObject(parent), m_config(config), m_bus(bus),
      m_subjects(config.nats.subjectPrefix, config.nats.subjects, config.channels)
{
    // The configuration loader refuses these; a Config built in code may still have them.
    for (const Subjects::Problem &p : m_subjects.problems())
        qCCritical(lcRegistry).noquote()
                << QStringLiteral("nats.subjects.%1: %2 - the channel has no subject").arg(p.channel, p.message);
}

PlayerRegistry::~PlayerRegistry()
{
    qDeleteAll(m_players);
}

OnlinePlayer *PlayerRegistry::attach(const Identity &identity, const Location &initial, EventSink *sink)
{
    OnlinePlayer *&player = m_players[identity.id];
    if (player) {
        // Another connection of someone already here: same presence, one more sink. The
        // newest token's name and role win.
        player->identity = identity;
        player->sinks.append(sink);
        updateSubjects(player);
        return player;
    }
    player = new OnlinePlayer { identity, initial, { sink }, {}, {} };
    updateSubjects(player);
    Q_EMIT playerOnline(identity);
    return player;
}

void PlayerRegistry::detach(const QString &playerId, EventSink *sink)
{
    auto it = m_players.find(playerId);
    if (it == m_players.end())
        return;
    OnlinePlayer *player = it.value();
    player->sinks.removeAll(sink);
    if (!player->sinks.isEmpty())
        return;
    m_players.erase(it);
    const QSet<QByteArray> gone = std::exchange(player->subjects, {});
    for (const QByteArray &s : gone) {
        auto &list = m_receivers[s];
        list.removeOne(player);
        if (list.isEmpty())
            m_receivers.remove(s);
        m_bus->removeInterest(s);
    }
    delete player;
    Q_EMIT playerOffline(playerId);
}

void PlayerRegistry::setLocation(OnlinePlayer *player, const Location &location)
{
    player->location = location;
    updateSubjects(player);
    Q_EMIT locationChanged(player);
}

const QList<OnlinePlayer *> &PlayerRegistry::receiversOf(const QByteArray &subject) const
{
    static const QList<OnlinePlayer *> none;
    auto it = m_receivers.constFind(subject);
    return it == m_receivers.cend() ? none : it.value();
}

QByteArray PlayerRegistry::subjectFor(const ChannelSpec &channel, const Location &location,
                                      const QString &targetId) const
{
    if (channel.scope == ScopeKind::Player)
        return m_subjects.forChannel(channel, targetId);
    return m_subjects.forChannel(channel, location.idFor(channel.scope));
}

QSet<QByteArray> PlayerRegistry::subjectsFor(const OnlinePlayer &player) const
{
    QSet<QByteArray> result;
    for (const ChannelSpec &channel : m_config.channels) {
        if (!hasRole(player.identity.role, channel.receiveRole()))
            continue;
        const QByteArray subject = subjectFor(channel, player.location, player.identity.id);
        if (!subject.isEmpty())
            result.insert(subject);
    }
    result.insert(Subjects::presence(player.identity.id));
    return result;
}

void PlayerRegistry::updateSubjects(OnlinePlayer *player)
{
    const QSet<QByteArray> wanted = subjectsFor(*player);
    for (const QByteArray &s : player->subjects) {
        if (wanted.contains(s))
            continue;
        auto &list = m_receivers[s];
        list.removeOne(player);
        if (list.isEmpty())
            m_receivers.remove(s);
        m_bus->removeInterest(s);
    }
    for (const QByteArray &s : wanted) {
        if (player->subjects.contains(s))
            continue;
        m_receivers[s].append(player);
        m_bus->addInterest(s);
    }
    player->subjects = wanted;
}

} // namespace mythos
