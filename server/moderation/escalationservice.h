#pragma once
// The escalation ladder at work (docs/moderation.md, "Escalation ladder"): offences come from
// the content filter, rate-limit floods and moderators' warnings; each is stored, relayed on
// `{prefix}.control.escalation` so every instance counts the same standing, and the instance
// that recorded it takes the steps it reaches: a notice to the player, a timed server mute,
// a queue item for review. Moderators read and reset a player's standing.

#include "bus/controlpublisher.h"
#include "chat/identity.h"
#include "moderation/contentfilter.h"
#include "moderation/escalationladder.h"
#include "moderation/moderationitem.h"
#include "protocol/errorcode.h"
#include "util/ids.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>
#include <variant>

namespace mythos {

class Bus;
class Directory;
class MessageStore;
class MuteService;
class PlayerRegistry;

class EscalationService : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const std::variant<QJsonObject, ChatError> &)>;

    EscalationService(const Config &config, QString serverId, MessageStore *store, Bus *bus, QByteArray controlSubject,
                      MuteService *mutes, Directory *directory, PlayerRegistry *registry, QObject *parent = nullptr);

    bool enabled() const { return m_config.enabled; }
    Result<bool> load(); // the live offences from the database (start-up)

    // Offence sources. Staff are never on the ladder; allowed matches and ignored categories
    // never count; one message is one offence, at its worst counted match.
    void onFiltered(const Identity &sender, const QString &channel, const QList<FilterMatch> &matches,
                    const QJsonObject &message);
    void onRateLimitFlood(const QString &playerId, const QString &channel);

    // Moderator requests; each replies with the player's standing (`standing` event data).
    void warn(const Identity &moderator, const QString &player, const QString &reason, const Reply &reply);
    void standing(const Identity &moderator, const QString &player, const Reply &reply) const;
    void reset(const Identity &moderator, const QString &player, const Reply &reply);
    // The standing's wire form, for queue items and the console's player record.
    QJsonObject standingOf(const QString &playerId) const;

    // False (logged and counted) for a message that is not one of ours.
    bool handleControl(const QByteArray &payload);
    const QByteArray &controlSubject() const { return m_subject; }
    quint64 rejectedControlMessages() const { return m_rejected; }
    quint64 offencesRecorded() const { return m_recorded; }
    quint64 stepsTaken() const { return m_steps; }

Q_SIGNALS:
    // For the moderation log: an offence counted here, a step taken, a reset.
    void offenceRecorded(const mythos::Offence &offence, int standing);
    void stepTaken(const QString &playerId, const QString &action, int minutes, int standing);
    void standingReset(const mythos::Identity &moderator, const QString &playerId);
    void reviewQueued(const mythos::ModerationItem &item);

private:
    void record(Offence offence, const QJsonObject &message);
    void takeStep(const EscalationStep &step, const Offence &offence, const QJsonObject &message, int standing);
    void notify(const QString &playerId, const QString &text, int standing);
    void queueForReview(const Offence &offence, const QJsonObject &message, int standing);
    void publish(QJsonObject message);
    void prune();

    const EscalationSection &m_config;
    const Config &m_fullConfig;
    QString m_serverId;
    MessageStore *m_store;
    ControlPublisher m_control;
    QByteArray m_subject;
    MuteService *m_mutes;
    Directory *m_directory;
    PlayerRegistry *m_registry;
    EscalationLadder m_ladder;
    MessageIdGenerator m_ids;
    QTimer m_pruneTimer;
    quint64 m_rejected = 0;
    quint64 m_recorded = 0;
    quint64 m_steps = 0;
};

} // namespace mythos
