#pragma once
// What an external classifier's reply means (docs/protocol.md, "External classifier"): the
// reply read strictly, then mapped onto the filter's actions by the configuration's thresholds
// or the channel's filter level. Pure functions, so the mapping is tested without a bus.

#include "config/classifiersection.h"
#include "model/filterlevel.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace mythos {

struct ClassifierAnswer
{
    std::optional<FilterAction> verdict; // the classifier's own decision; wins over the scores
    QMap<QString, double> scores; // category -> 0..1
    QString reason; // for moderators
    QString model;
};

struct ParsedClassifierReply
{
    enum class Kind { Answer, ClassifierError, Unreadable };
    Kind kind = Kind::Unreadable;
    ClassifierAnswer answer;
    QString problem; // what was wrong (Unreadable) or the classifier's own error text
};

ParsedClassifierReply parseClassifierReply(const QByteArray &payload);

// One thing the classifier found, as moderators see it in the queue (context.matched).
struct ClassifierMatch
{
    QString category;
    std::optional<Severity> severity; // from the score; none for a verdict
    double score = -1; // -1: no score
    FilterAction action;
};

struct ClassifierDecision
{
    FilterAction action; // never `listed`
    QList<ClassifierMatch> matches; // the categories (or verdict) behind the action
    QString label; // "classifier (model): reason", or why there was no answer
    bool failed = false; // on_failure applied
};

// The action an answer leads to on a channel with `level`.
ClassifierDecision decide(const ClassifierAnswer &answer, const ClassifierSection &config, const FilterLevel &level);
// on_failure, with `why` ("timeout", "no responders", ...) for moderators and the log.
ClassifierDecision failureDecision(const ClassifierSection &config, const QString &why);

// The effects of both actions together ("mask" and "flag" make "mask+flag").
FilterAction combined(FilterAction a, const FilterAction &b);
// The classifier names no words, so masking covers the whole message (white space kept).
QString maskedWhole(const QString &content);

} // namespace mythos
