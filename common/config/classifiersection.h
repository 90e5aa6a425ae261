#pragma once
// `chat.content_filtering.classifier`: an external model service asked over NATS about every
// message (docs/moderation.md, "External classifier"), and what its answers do.

#include "model/filterlevel.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>

namespace mythos {

struct ClassifierSection
{
    bool enabled = false;
    QString subject; // empty: {nats.subject_prefix}.moderation.classify
    int timeoutMs = 50;
    // What a message gets when no usable answer comes in time (timeout, no responder, a reply
    // that cannot be read, the bus down): allow fails open, flag or hold fail closed.
    FilterAction onFailure;
    QStringList channels; // classified channels; empty: all of them
    // A category score at or above mild/moderate/severe gives that severity, and the channel's
    // filter level decides what it does; below mild the category is ignored.
    std::array<double, severityCount> severityScores { 0.5, 0.75, 0.9 };
    struct Threshold
    {
        double minScore = 0;
        FilterAction action;
    };
    // Per category, instead of the level: the action of the highest threshold the score reaches.
    QMap<QString, QList<Threshold>> thresholds;

    bool classifies(const QString &channel) const
    {
        return enabled && (channels.isEmpty() || channels.contains(channel));
    }
};

} // namespace mythos
