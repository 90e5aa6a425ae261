#pragma once
// The escalation ladder's arithmetic: each player's live offences (those younger than the
// decay), their standing (the sum of the points), and which steps an offence newly reaches.
// No I/O: EscalationService feeds it local and relayed offences and acts on the steps.

#include "config/config.h"
#include "moderation/offence.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <optional>

namespace mythos {

struct Standing
{
    int points = 0;
    QList<Offence> offences; // live ones, oldest first
    std::optional<EscalationStep> lastReached; // the highest step the points reach now
    std::optional<EscalationStep> next; // the step the next offences would reach
};

class EscalationLadder
{
public:
    explicit EscalationLadder(const EscalationSection &config) : m_config(config) { }

    // Adds the offence (once per id; one from before the player's last reset is ignored) and
    // returns the steps its points newly reach, lowest first. Empty when it was known already.
    QList<EscalationStep> record(const Offence &offence, const QDateTime &now);
    bool knows(const QString &offenceId) const { return m_seen.contains(offenceId); }
    // Forgets the player's offences up to `at` (a moderator's reset, here or elsewhere).
    void reset(const QString &playerId, const QDateTime &at);
    Standing standing(const QString &playerId, const QDateTime &now) const;
    int points(const QString &playerId, const QDateTime &now) const;
    // Drops decayed offences (and the ids remembered for them).
    void prune(const QDateTime &now);
    QDateTime decayCutOff(const QDateTime &now) const { return now.addSecs(-qint64(m_config.decayMinutes) * 60); }

private:
    const EscalationSection &m_config;
    QHash<QString, QList<Offence>> m_offences;
    QHash<QString, QDateTime> m_resetAt;
    QSet<QString> m_seen;
};

} // namespace mythos
