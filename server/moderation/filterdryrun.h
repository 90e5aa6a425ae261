#pragma once
// Compares two filter configurations (lists + levels) over chat the server already accepted:
// each audit-log chat line is checked by both, at its channel's level, and what would newly be
// masked / flagged / held, or stop being, is counted (per category too) with a few examples.

#include "config/config.h"
#include "moderation/contentfilter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

#include <array>

namespace mythos {

// One side of the comparison: the lists loaded into a filter, and the levels and channels that
// choose each message's level.
struct FilterSetup
{
    ContentFilter filter;
    ContentFilteringSection filtering; // levels and default_level; the list paths are not read
    QList<ChannelSpec> channels;

    // As the pipeline would: at the channel's level, or at default_level for a channel that is
    // no longer configured.
    FilterVerdict check(const QString &text, const QString &channel) const;
};

class FilterDryRun
{
public:
    enum Outcome { Masked, Flagged, Held };
    static constexpr int outcomeCount = 3;

    // examplesPerBucket: at most this many examples kept for each outcome and direction, so
    // memory stays bounded however many days are replayed.
    FilterDryRun(const FilterSetup &current, const FilterSetup &candidate, int examplesPerBucket);

    // One chat audit line (event "message"); anything else is counted as skipped.
    void replay(const QJsonObject &line);
    void skip() { ++m_skipped; }

    qint64 messages() const { return m_messages; }
    // {messages, skipped_lines, changed, outcomes, categories, examples} (docs/moderation.md).
    QJsonObject report() const;

private:
    struct Counts
    {
        qint64 before = 0, after = 0, newly = 0, noLonger = 0;
    };
    using Bits = std::array<bool, outcomeCount>;
    struct Buckets
    {
        QJsonArray newly, noLonger;
    };

    static Bits outcomesOf(const FilterVerdict &verdict);
    static QMap<QString, Bits> categoriesOf(const FilterVerdict &verdict);
    void keepExample(QJsonArray &bucket, const QJsonObject &line, const FilterVerdict &before,
                     const FilterVerdict &after) const;

    const FilterSetup &m_current;
    const FilterSetup &m_candidate;
    int m_examples;
    qint64 m_messages = 0;
    qint64 m_skipped = 0;
    qint64 m_changed = 0;
    std::array<Counts, outcomeCount> m_outcomes {};
    QMap<QString, std::array<Counts, outcomeCount>> m_categories; // newly / no longer only
    std::array<Buckets, outcomeCount> m_examplesOf;
};

QString dryRunOutcomeName(int outcome); // "masked", "flagged", "held"

} // namespace mythos
