#include "moderation/contentfilter.h"

#include "moderation/textnormalizer.h"

#include <QFile>
#include <QLoggingCategory>
#include <algorithm>
#include <optional>

Q_LOGGING_CATEGORY(lcFilter, "mythos.server.filter")

namespace mythos {

namespace {

// Lines that carry an entry, with their 1-based line numbers for error reports.
QList<std::pair<int, QString>> entryLines(const QString &text)
{
    QList<std::pair<int, QString>> lines;
    const QStringList all = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < all.size(); ++i) {
        const QString line = all[i].trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')))
            lines.append({ int(i + 1), line });
    }
    return lines;
}

// A list line split into its normalized words; in-word punctuation is dropped ("f-word" is
// "fword"), so entries compare with what the normalizer reads from chat.
QStringList listWords(QStringView line, bool decodeLeet)
{
    QStringList words;
    QString current;
    QList<FoldedChar> chars = TextNormalizer::foldChars(line);
    chars.append({ QLatin1Char(' '), FoldedChar::Space, 0, 0 }); // ends the last word
    for (const FoldedChar &c : std::as_const(chars)) {
        if (c.kind == FoldedChar::Word) {
            current += c.ch;
        } else if (c.kind == FoldedChar::Space && !current.isEmpty()) {
            words.append(decodeLeet ? TextNormalizer::leetReadings(current).constFirst() : current);
            current.clear();
        }
    }
    return words;
}

// Stretching only lengthens runs: every run in the text is at least as long as the entry's.
bool covers(const QList<int> &entryRuns, const QList<int> &textRuns)
{
    if (entryRuns.size() != textRuns.size())
        return false;
    for (qsizetype i = 0; i < entryRuns.size(); ++i) {
        if (textRuns[i] < entryRuns[i])
            return false;
    }
    return true;
}

QString readFile(const QString &path, QList<FilterListError> *errors)
{
    if (path.isEmpty())
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append({ path, 0, QStringLiteral("cannot read: %1").arg(file.errorString()) });
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

// `@category ...` but not an entry that merely starts with '@' (leet for "a": "@ss").
bool isDirective(const QString &line, QStringView name)
{
    return line.startsWith(name) && (line.size() == name.size() || line.at(name.size()) == QLatin1Char(' '));
}

} // namespace

QList<FilterListError> ContentFilter::load(const QString &profanityFile, const QString &allowFile,
                                           const QString &keywordFile)
{
    QList<FilterListError> errors;
    const QString profanity = readFile(profanityFile, &errors);
    const QString allow = readFile(allowFile, &errors);
    const QString keywords = readFile(keywordFile, &errors);
    for (const FilterListError &e : std::as_const(errors))
        qCWarning(lcFilter).noquote() << e.file << e.message;
    errors += loadLists(profanity, profanityFile, allow, allowFile, keywords, keywordFile);
    return errors;
}

QList<FilterListError> ContentFilter::loadFromText(const QString &profanity, const QString &allow,
                                                   const QString &keywords)
{
    return loadLists(profanity, QStringLiteral("profanity"), allow, QStringLiteral("allow"), keywords,
                     QStringLiteral("keywords"));
}

QList<FilterListError> ContentFilter::loadLists(const QString &profanity, const QString &profanityName,
                                                const QString &allow, const QString &allowName, const QString &keywords,
                                                const QString &keywordName)
{
    QList<FilterListError> errors;
    auto report = [&errors](const QString &file, int line, const QString &message) {
        qCWarning(lcFilter).noquote() << QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(message);
        errors.append({ file, line, message });
    };

    m_profanity = {};
    QString category = QStringLiteral("profanity");
    Severity severity = Severity::Moderate;
    for (const auto &[number, line] : entryLines(profanity)) {
        if (isDirective(line, u"@category")) {
            const QStringList parts = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            const auto parsed = parts.size() == 3 ? parseSeverity(parts[2]) : std::nullopt;
            if (!parsed || !isValidCategoryName(parts[1])) {
                report(profanityName, number,
                       QStringLiteral("expected '@category <category> <severity>' (a lowercase word, then mild, "
                                      "moderate or severe)"));
                continue; // the entries below keep the section above: better filed wrongly than lost
            }
            category = parts[1];
            severity = *parsed;
            continue;
        }
        const QStringList words = listWords(line, true);
        if (words.isEmpty()) {
            report(profanityName, number, QStringLiteral("no letters in entry"));
            continue;
        }
        addEntry(m_profanity, words, category, severity);
        if (words.size() > 1) // phrases are also typed as one word: "sonofabitch"
            addEntry(m_profanity, { words.join(QString()) }, category, severity);
    }

    m_allow = {};
    for (const auto &[number, line] : entryLines(allow)) {
        const QStringList words = listWords(line, false);
        if (words.isEmpty())
            report(allowName, number, QStringLiteral("no letters in entry"));
        else
            addEntry(m_allow, words);
    }

    m_keywords.clear();
    const QString holdPrefix = QStringLiteral("hold:");
    const QString rulePrefix = QStringLiteral("@rule ");
    QString ruleCategory, name; // of the @rule line above
    Severity ruleSeverity = Severity::Moderate;
    for (const auto &[number, line] : entryLines(keywords)) {
        if (line.startsWith(QLatin1Char('@'))) {
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            const bool isRule = line.startsWith(rulePrefix) && colon > rulePrefix.size();
            const QStringList head = isRule
                    ? line.mid(rulePrefix.size(), colon - rulePrefix.size()).split(QLatin1Char(' '), Qt::SkipEmptyParts)
                    : QStringList();
            const auto parsed = head.size() == 2 ? parseSeverity(head[1]) : std::optional(Severity::Moderate);
            ruleCategory = head.size() == 1 || head.size() == 2 ? head[0] : QString();
            ruleSeverity = parsed.value_or(Severity::Moderate);
            name = isRule ? line.mid(colon + 1).trimmed() : QString();
            if (!isValidCategoryName(ruleCategory) || !parsed || name.isEmpty()) {
                report(keywordName, number,
                       QStringLiteral("expected '@rule <category> [<severity>]: <name>' (a category is one "
                                      "lowercase word, e.g. scam; a severity is mild, moderate or severe)"));
                ruleCategory.clear();
                name.clear();
                ruleSeverity = Severity::Moderate;
            }
            continue;
        }
        const bool hold = line.startsWith(holdPrefix, Qt::CaseInsensitive);
        const QString pattern = hold ? line.mid(holdPrefix.size()).trimmed() : line;
        QRegularExpression regex(
                pattern, QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
        if (!regex.isValid()) {
            report(keywordName, number,
                   QStringLiteral("invalid regular expression at offset %1: %2")
                           .arg(regex.patternErrorOffset())
                           .arg(regex.errorString()));
            continue;
        }
        // An expression that matches nothing at all ("", "a*") would flag every message.
        if (regex.match(QString()).hasMatch()) {
            report(keywordName, number, QStringLiteral("expression matches an empty message"));
            continue;
        }
        regex.optimize();
        m_keywords.append({ regex, pattern, hold, ruleCategory, name, ruleSeverity });
    }

    qCInfo(lcFilter) << "content filter loaded:" << m_profanity.entries.size() << "profanity entries,"
                     << m_allow.entries.size() << "allowed," << m_keywords.size() << "keywords," << errors.size()
                     << "errors";
    return errors;
}

QList<KeywordRule> ContentFilter::keywordRules() const
{
    QList<KeywordRule> rules;
    for (const Keyword &k : m_keywords)
        rules.append({ k.category, k.name, k.source, k.severity });
    return rules;
}

QStringList ContentFilter::categories() const
{
    QStringList out;
    for (const Entry &e : m_profanity.entries) {
        if (!out.contains(e.category))
            out.append(e.category);
    }
    for (const Keyword &k : m_keywords) {
        if (!k.category.isEmpty() && !out.contains(k.category))
            out.append(k.category);
    }
    return out;
}

void ContentFilter::addEntry(WordList &list, const QStringList &words, const QString &category, Severity severity)
{
    Entry entry;
    entry.source = words.join(QLatin1Char(' '));
    entry.category = category;
    entry.severity = severity;
    for (const QString &word : words) {
        QList<int> runs;
        entry.keys.append(TextNormalizer::squeeze(word, &runs));
        entry.runs.append(runs);
    }
    list.byFirstKey[entry.keys.constFirst()].append(list.entries.size());
    list.entries.append(entry);
}

// Every span of the text that reads as an entry of the list. Joined forms only match single
// words; phrases continue word by word over the following pieces.
QList<ContentFilter::Span> ContentFilter::find(const WordList &list, const TextNormalizer &text, bool literal)
{
    QList<Span> spans;
    if (list.entries.isEmpty())
        return spans;
    const QList<WordForm> &forms = text.forms();
    // Every reading of every form squeezed once: phrases starting with a common word ("you",
    // "of") compare the following words many times over.
    struct Squeezed
    {
        QString key;
        QList<int> runs;
    };
    QList<QList<Squeezed>> squeezed(forms.size());
    for (qsizetype i = 0; i < forms.size(); ++i) {
        const WordForm &f = forms[i];
        const qsizetype count = literal ? 1 : f.readings.size();
        squeezed[i].reserve(count);
        for (qsizetype r = 0; r < count; ++r) {
            Squeezed s;
            s.key = TextNormalizer::squeeze(literal ? f.literal : f.readings[r], &s.runs);
            squeezed[i].append(std::move(s));
        }
    }
    QList<QList<qsizetype>> singleForms(text.pieces().size()); // piece -> its own forms
    for (qsizetype i = 0; i < forms.size(); ++i) {
        if (forms[i].firstPiece == forms[i].lastPiece)
            singleForms[forms[i].firstPiece].append(i);
    }
    auto wordMatches = [&](qsizetype form, const Entry &e, qsizetype k) {
        return std::any_of(squeezed[form].begin(), squeezed[form].end(),
                           [&](const Squeezed &s) { return s.key == e.keys[k] && covers(e.runs[k], s.runs); });
    };
    // The end of the phrase's remaining words k.. starting at piece p, if they follow.
    auto rest = [&](auto &self, const Entry &e, qsizetype k, qsizetype p) -> std::optional<qsizetype> {
        // Sentence punctuation between words ends a phrase: "a blow, job done" is two clauses.
        static const QString stops = QStringLiteral(",;:?");
        if (p >= singleForms.size()
            || std::any_of(text.pieces()[p].gapBefore.begin(), text.pieces()[p].gapBefore.end(),
                           [](QChar c) { return stops.contains(c); }))
            return std::nullopt;
        for (qsizetype i : singleForms[p]) {
            if (!wordMatches(i, e, k))
                continue;
            if (k + 1 == e.keys.size())
                return forms[i].end;
            if (const auto end = self(self, e, k + 1, p + 1))
                return end;
        }
        return std::nullopt;
    };

    for (qsizetype i = 0; i < forms.size(); ++i) {
        const WordForm &form = forms[i];
        for (const Squeezed &reading : std::as_const(squeezed[i])) {
            const auto candidates = list.byFirstKey.constFind(reading.key);
            if (candidates == list.byFirstKey.constEnd())
                continue;
            for (qsizetype index : *candidates) {
                const Entry &entry = list.entries[index];
                if (!covers(entry.runs[0], reading.runs))
                    continue;
                if (entry.keys.size() == 1) {
                    spans.append({ form.begin, form.end, &entry });
                } else if (form.firstPiece == form.lastPiece) {
                    if (const auto end = rest(rest, entry, 1, form.firstPiece + 1))
                        spans.append({ form.begin, *end, &entry });
                }
            }
        }
    }
    return spans;
}

FilterVerdict ContentFilter::check(const QString &text) const
{
    return check(text, FilterLevel::asListed());
}

FilterVerdict ContentFilter::check(const QString &text, const FilterLevel &level) const
{
    FilterVerdict verdict;
    verdict.content = text;
    const bool words = m_profanityEnabled && !m_profanity.entries.isEmpty();
    const bool keywords = m_keywordsEnabled && !m_keywords.isEmpty();
    if (!words && !keywords)
        return verdict;

    const TextNormalizer normalized(text);
    if (words)
        maskWords(normalized, level, verdict);
    if (keywords)
        matchKeywords(text, normalized, level, verdict);
    return verdict;
}

namespace {
void apply(const FilterAction &action, const KeywordRule &rule, FilterVerdict &verdict)
{
    verdict.flagged |= action.flag;
    verdict.held |= action.hold;
    if (action.flag || action.hold) {
        verdict.matchedPatterns.append(rule.pattern);
        verdict.matchedRules.append(rule);
    }
}
} // namespace

void ContentFilter::maskWords(const TextNormalizer &normalized, const FilterLevel &level, FilterVerdict &verdict) const
{
    const QList<Span> allowed = find(m_allow, normalized, true);
    QList<Span> found = find(m_profanity, normalized, false);
    // Report words in reading order, a phrase before the words inside it.
    std::sort(found.begin(), found.end(),
              [](const Span &a, const Span &b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });
    QStringList reported; // each entry once, however often it occurs
    for (const Span &span : std::as_const(found)) {
        const bool isAllowed = std::any_of(allowed.begin(), allowed.end(),
                                           [&](const Span &a) { return a.begin <= span.begin && span.end <= a.end; });
        if (isAllowed)
            continue;
        const Entry &entry = *span.entry;
        const FilterAction action = level.actionFor(entry.category, entry.severity).resolved(false, false);
        if (action.mask) {
            for (qsizetype i = span.begin; i < span.end; ++i)
                verdict.content[i] = QLatin1Char('*');
            verdict.masked = true;
        }
        if (reported.contains(entry.source))
            continue;
        reported.append(entry.source);
        if (action.mask)
            verdict.matchedWords.append(entry.source);
        verdict.matches.append({ entry.category, entry.severity, entry.source, QString(), false, action });
        apply(action, { entry.category, QStringLiteral("listed word"), entry.source, entry.severity }, verdict);
    }
}

void ContentFilter::matchKeywords(const QString &text, const TextNormalizer &normalized, const FilterLevel &level,
                                  FilterVerdict &verdict) const
{
    const QString folded = normalized.normalizedText();
    // Case aside, the reading is usually the text itself; the expressions ignore case, so a
    // second scan would find nothing new.
    const bool sameReading = folded.compare(text, Qt::CaseInsensitive) == 0;
    for (const Keyword &keyword : m_keywords) {
        const QRegularExpressionMatch asWritten = keyword.regex.match(text);
        if (!asWritten.hasMatch() && (sameReading || !keyword.regex.match(folded).hasMatch()))
            continue;
        FilterAction action = level.actionFor(keyword.category, keyword.severity).resolved(true, keyword.hold);
        if (action.mask && asWritten.hasMatch() && asWritten.capturedLength() > 0) {
            for (qsizetype i = asWritten.capturedStart(); i < asWritten.capturedEnd(); ++i)
                verdict.content[i] = QLatin1Char('*');
            verdict.masked = true;
        } else if (action.mask && !action.hold) {
            // Found only in the normalized reading ("s3ll g0ld"): there is no written span to
            // mask, so moderators get to see it instead of it going through unremarked.
            action.mask = false;
            action.flag = true;
        }
        verdict.matches.append({ keyword.category, keyword.severity, keyword.source, keyword.name, true, action });
        apply(action, { keyword.category, keyword.name, keyword.source, keyword.severity }, verdict);
    }
}

} // namespace mythos
