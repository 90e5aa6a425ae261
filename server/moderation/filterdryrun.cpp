#include "moderation/filterdryrun.h"

namespace mythos {

namespace {

const char *const kOutcomeNames[] { "masked", "flagged", "held" };

QJsonObject side(const FilterVerdict &v)
{
    QJsonArray matched;
    for (const FilterMatch &m : v.matches) {
        const QString what = m.keyword && !m.rule.isEmpty() ? m.rule : m.source;
        matched.append(QStringLiteral("%1 %2 '%3': %4")
                               .arg(m.category.isEmpty() ? QStringLiteral("(no category)") : m.category,
                                    severityName(m.severity), what, m.action.toString()));
    }
    return { { QLatin1String("content"), v.content },
             { QLatin1String("masked"), v.masked },
             { QLatin1String("flagged"), v.flagged },
             { QLatin1String("held"), v.held },
             { QLatin1String("matched"), matched } };
}

} // namespace

QString dryRunOutcomeName(int outcome)
{
    return QString::fromLatin1(kOutcomeNames[outcome]);
}

FilterVerdict FilterSetup::check(const QString &text, const QString &channel) const
{
    if (!filter.profanityEnabled() && !filter.keywordsEnabled())
        return { text };
    auto it = std::find_if(channels.begin(), channels.end(), [&](const ChannelSpec &c) { return c.name == channel; });
    return filter.check(text, filtering.levelFor(it != channels.end() ? *it : ChannelSpec { channel }));
}

FilterDryRun::FilterDryRun(const FilterSetup &current, const FilterSetup &candidate, int examplesPerBucket)
    : m_current(current), m_candidate(candidate), m_examples(examplesPerBucket)
{
}

FilterDryRun::Bits FilterDryRun::outcomesOf(const FilterVerdict &v)
{
    return { v.masked, v.flagged, v.held };
}

// A category "got" an outcome when one of its matches did: a message masked for a slur and
// flagged for a scam rule is a slur mask and a scam flag.
QMap<QString, FilterDryRun::Bits> FilterDryRun::categoriesOf(const FilterVerdict &v)
{
    QMap<QString, Bits> out;
    for (const FilterMatch &m : v.matches) {
        Bits &bits = out[m.category.isEmpty() ? QStringLiteral("(no category)") : m.category];
        bits[Masked] = bits[Masked] || m.action.mask;
        bits[Flagged] = bits[Flagged] || m.action.flag;
        bits[Held] = bits[Held] || m.action.hold;
    }
    return out;
}

void FilterDryRun::replay(const QJsonObject &line)
{
    if (line.value(QLatin1String("event")).toString() != QLatin1String("message")
        || !line.value(QLatin1String("content")).isString()) {
        ++m_skipped;
        return;
    }
    ++m_messages;
    const QString text = line.value(QLatin1String("content")).toString();
    const QString channel = line.value(QLatin1String("channel")).toString();
    const FilterVerdict before = m_current.check(text, channel);
    const FilterVerdict after = m_candidate.check(text, channel);
    const Bits was = outcomesOf(before), now = outcomesOf(after);
    if (was != now || before.content != after.content)
        ++m_changed;
    for (int o = 0; o < outcomeCount; ++o) {
        Counts &c = m_outcomes[o];
        c.before += was[o];
        c.after += now[o];
        if (was[o] == now[o])
            continue;
        (now[o] ? c.newly : c.noLonger) += 1;
        keepExample(now[o] ? m_examplesOf[o].newly : m_examplesOf[o].noLonger, line, before, after);
    }
    const QMap<QString, Bits> catsBefore = categoriesOf(before), catsAfter = categoriesOf(after);
    QStringList names = catsBefore.keys() + catsAfter.keys();
    names.removeDuplicates();
    for (const QString &name : std::as_const(names)) {
        const Bits b = catsBefore.value(name), a = catsAfter.value(name);
        for (int o = 0; o < outcomeCount; ++o) {
            if (b[o] != a[o])
                (a[o] ? m_categories[name][o].newly : m_categories[name][o].noLonger) += 1;
        }
    }
}

void FilterDryRun::keepExample(QJsonArray &bucket, const QJsonObject &line, const FilterVerdict &before,
                               const FilterVerdict &after) const
{
    if (bucket.size() >= m_examples)
        return;
    QJsonObject example;
    for (const char *key : { "message_id", "ts", "channel", "sender_id", "sender_name", "target_id", "content" }) {
        const QJsonValue v = line.value(QLatin1String(key));
        if (!v.isUndefined())
            example.insert(QLatin1String(key), v);
    }
    example.insert(QLatin1String("before"), side(before));
    example.insert(QLatin1String("after"), side(after));
    bucket.append(example);
}

QJsonObject FilterDryRun::report() const
{
    QJsonObject outcomes, examples, categories;
    for (int o = 0; o < outcomeCount; ++o) {
        const Counts &c = m_outcomes[o];
        outcomes.insert(dryRunOutcomeName(o),
                        QJsonObject { { QLatin1String("before"), double(c.before) },
                                      { QLatin1String("after"), double(c.after) },
                                      { QLatin1String("newly"), double(c.newly) },
                                      { QLatin1String("no_longer"), double(c.noLonger) } });
        examples.insert(dryRunOutcomeName(o),
                        QJsonObject { { QLatin1String("newly"), m_examplesOf[o].newly },
                                      { QLatin1String("no_longer"), m_examplesOf[o].noLonger } });
    }
    for (auto it = m_categories.begin(); it != m_categories.end(); ++it) {
        QJsonObject perOutcome;
        for (int o = 0; o < outcomeCount; ++o)
            perOutcome.insert(dryRunOutcomeName(o),
                              QJsonObject { { QLatin1String("newly"), double(it.value()[o].newly) },
                                            { QLatin1String("no_longer"), double(it.value()[o].noLonger) } });
        categories.insert(it.key(), perOutcome);
    }
    return { { QLatin1String("messages"), double(m_messages) }, { QLatin1String("skipped_lines"), double(m_skipped) },
             { QLatin1String("changed"), double(m_changed) },   { QLatin1String("outcomes"), outcomes },
             { QLatin1String("categories"), categories },       { QLatin1String("examples"), examples } };
}

} // namespace mythos
