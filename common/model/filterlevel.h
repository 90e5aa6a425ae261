#pragma once
// A content-filter level: what a channel does with each category and severity of match
// (a family server masks and holds what an adult one lets through). The lists say what a word
// or expression is; the level says what happens to it.

#include "util/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace mythos {

enum class Severity { Mild, Moderate, Severe };
inline constexpr int severityCount = 3;

QString severityName(Severity severity);
// Category (and level) names: a lowercase letter, then lowercase letters, digits and '-'.
bool isValidCategoryName(QStringView name);
std::optional<Severity> parseSeverity(QStringView name);

// What happens to one match. `listed` defers to the list: words are masked, expressions flag,
// `hold:` expressions hold. Several effects combine ("mask+flag": delivered masked and queued).
struct FilterAction
{
    bool listed = false;
    bool mask = false;
    bool flag = false;
    bool hold = false;

    bool isAllow() const { return !listed && !mask && !flag && !hold; }
    // `listed` resolved for a word entry or a keyword expression (held or not).
    FilterAction resolved(bool keyword, bool keywordHolds) const;
    QString toString() const; // "allow", "mask+flag", ...
    bool operator==(const FilterAction &) const = default;
};

// "allow", "listed", or effects joined by '+' ("mask+hold"); an error names the bad word.
Result<FilterAction> parseFilterAction(const QString &text);

struct FilterLevel
{
    QString name;
    // Per category, one action per severity (indexed by Severity). A category not listed
    // takes `otherCategories`; without it, what the lists say.
    QMap<QString, std::array<FilterAction, severityCount>> categories;
    std::optional<std::array<FilterAction, severityCount>> otherCategories;

    FilterAction actionFor(const QString &category, Severity severity) const;
    // No category named: every match does what the lists say.
    static const FilterLevel &asListed();
    // Categories the level names, for reporting ones no list uses.
    QStringList namedCategories() const { return categories.keys(); }
};

// The levels that exist without any configuration: standard (what the lists say), family,
// adult and off. docs/moderation.md describes each one.
QMap<QString, FilterLevel> builtInFilterLevels();

// One category's setting written as an action for every severity, or as severity -> action
// where a severity not written takes the nearest lower one's action and below the lowest
// written one nothing happens (`{severe: hold}`: mild and moderate allowed).
std::array<FilterAction, severityCount> actionsFromSeverities(const QMap<Severity, FilterAction> &written);

} // namespace mythos
