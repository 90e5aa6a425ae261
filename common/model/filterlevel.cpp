#include "model/filterlevel.h"

#include <algorithm>

namespace mythos {

namespace {

constexpr std::array<const char *, severityCount> severityNames { "mild", "moderate", "severe" };

std::array<FilterAction, severityCount> same(FilterAction action)
{
    return { action, action, action };
}

FilterAction effects(bool mask, bool flag, bool hold)
{
    FilterAction a;
    a.mask = mask;
    a.flag = flag;
    a.hold = hold;
    return a;
}

} // namespace

QString severityName(Severity severity)
{
    return QString::fromLatin1(severityNames[static_cast<int>(severity)]);
}

bool isValidCategoryName(QStringView name)
{
    if (name.isEmpty() || name.size() > 32 || name.front() < QLatin1Char('a') || name.front() > QLatin1Char('z'))
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
                || c == QLatin1Char('-');
    });
}

std::optional<Severity> parseSeverity(QStringView name)
{
    for (int i = 0; i < severityCount; ++i) {
        if (name == QLatin1String(severityNames[i]))
            return static_cast<Severity>(i);
    }
    return std::nullopt;
}

FilterAction FilterAction::resolved(bool keyword, bool keywordHolds) const
{
    if (!listed)
        return *this;
    FilterAction a = *this;
    a.listed = false;
    if (!keyword)
        a.mask = true;
    else
        (keywordHolds ? a.hold : a.flag) = true;
    return a;
}

QString FilterAction::toString() const
{
    QStringList parts;
    if (listed)
        parts << QStringLiteral("listed");
    if (mask)
        parts << QStringLiteral("mask");
    if (flag)
        parts << QStringLiteral("flag");
    if (hold)
        parts << QStringLiteral("hold");
    return parts.isEmpty() ? QStringLiteral("allow") : parts.join(QLatin1Char('+'));
}

Result<FilterAction> parseFilterAction(const QString &text)
{
    FilterAction action;
    const QStringList parts = text.split(QLatin1Char('+'));
    for (const QString &raw : parts) {
        const QString part = raw.trimmed();
        if (part == QLatin1String("allow") && parts.size() == 1)
            return action;
        if (part == QLatin1String("listed"))
            action.listed = true;
        else if (part == QLatin1String("mask"))
            action.mask = true;
        else if (part == QLatin1String("flag"))
            action.flag = true;
        else if (part == QLatin1String("hold"))
            action.hold = true;
        else
            return Result<FilterAction>::failure(
                    QStringLiteral("'%1' is not an action: write allow, listed, or mask, flag and hold joined by '+' "
                                   "(mask+flag)")
                            .arg(text));
    }
    return action;
}

std::array<FilterAction, severityCount> actionsFromSeverities(const QMap<Severity, FilterAction> &written)
{
    std::array<FilterAction, severityCount> actions {}; // allow below the lowest written
    FilterAction current;
    for (int i = 0; i < severityCount; ++i) {
        const auto it = written.constFind(static_cast<Severity>(i));
        if (it != written.constEnd())
            current = *it;
        actions[i] = current;
    }
    return actions;
}

FilterAction FilterLevel::actionFor(const QString &category, Severity severity) const
{
    const int index = static_cast<int>(severity);
    const auto it = categories.constFind(category);
    if (it != categories.constEnd())
        return (*it)[index];
    if (otherCategories)
        return (*otherCategories)[index];
    FilterAction listed;
    listed.listed = true;
    return listed;
}

const FilterLevel &FilterLevel::asListed()
{
    static const FilterLevel level { QStringLiteral("standard"), {}, std::nullopt };
    return level;
}

QMap<QString, FilterLevel> builtInFilterLevels()
{
    const FilterAction allow;
    const FilterAction mask = effects(true, false, false);
    const FilterAction maskFlag = effects(true, true, false);
    const FilterAction maskHold = effects(true, false, true);

    // What the lists say, except mild insults: "I'm such an idiot" is ordinary game chat, and
    // the words are listed for the stricter levels.
    FilterLevel standard { QStringLiteral("standard"), {}, std::nullopt };
    FilterAction listed;
    listed.listed = true;
    standard.categories.insert(QStringLiteral("harassment"),
                               actionsFromSeverities({ { Severity::Mild, allow }, { Severity::Moderate, listed } }));

    // A family server: everything listed is masked, insults and slurs reach moderators, the
    // strongest sexual words and every slur wait for a moderator before anyone reads them.
    FilterLevel family { QStringLiteral("family"), {}, std::nullopt };
    family.categories.insert(QStringLiteral("profanity"), same(mask));
    family.categories.insert(QStringLiteral("sexual"),
                             actionsFromSeverities({ { Severity::Mild, mask }, { Severity::Severe, maskHold } }));
    family.categories.insert(QStringLiteral("harassment"),
                             actionsFromSeverities({ { Severity::Mild, mask }, { Severity::Moderate, maskFlag } }));
    family.categories.insert(QStringLiteral("slur"), same(maskHold));

    // An adult server: swearing goes through, the strongest words are still masked, slurs are
    // masked and shown to moderators.
    FilterLevel adult { QStringLiteral("adult"), {}, std::nullopt };
    adult.categories.insert(QStringLiteral("profanity"), same(allow));
    adult.categories.insert(QStringLiteral("sexual"), actionsFromSeverities({ { Severity::Severe, mask } }));
    adult.categories.insert(QStringLiteral("harassment"),
                            actionsFromSeverities({ { Severity::Moderate, mask }, { Severity::Severe, maskFlag } }));
    adult.categories.insert(QStringLiteral("slur"), same(maskFlag));

    FilterLevel off { QStringLiteral("off"), {}, same(allow) };

    return { { standard.name, standard }, { family.name, family }, { adult.name, adult }, { off.name, off } };
}

} // namespace mythos
