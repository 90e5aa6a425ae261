#pragma once
// Masks whole profane words and phrases, however disguised, in place, and flags or holds
// messages matching keyword expressions. check() only reads the lists loaded before.

#include "model/filterlevel.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace mythos {

class TextNormalizer;

// A keyword rule as moderators read it: `@rule <category> [<severity>]: <name>` above its
// expressions. A listed word that flags or holds is reported the same way (name "listed word").
struct KeywordRule
{
    QString category; // empty for expressions above any @rule line
    QString name;
    QString pattern; // the expression as written, without `hold:`; for a word, the entry
    Severity severity = Severity::Moderate;
};

// One list entry or expression found in a message, with what the channel's level made of it.
struct FilterMatch
{
    QString category;
    Severity severity = Severity::Moderate;
    QString source; // the entry ("son of a bitch") or the expression as written
    QString rule; // the keyword rule's name; empty for a word
    bool keyword = false;
    FilterAction action; // resolved: never `listed`
};

struct FilterVerdict
{
    QString content; // the text with each masked UTF-16 unit replaced by '*'
    bool masked = false; // profanity found and masked
    bool flagged = false; // a keyword matched: queue for moderators, still delivered
    bool held = false; // a `hold:` keyword matched: not delivered until approved
    QStringList matchedWords; // normalized list entries that were masked
    QStringList matchedPatterns; // keyword expressions (as written, without `hold:`) that matched
    QList<KeywordRule> matchedRules; // why it is flagged or held: each rule or word, named
    QList<FilterMatch> matches; // everything found, allowed ones included, in reading order
};

struct FilterListError
{
    QString file;
    int line = 0; // 1-based; 0 when the whole file is affected (unreadable)
    QString message;
};

class ContentFilter
{
public:
    // List formats, one entry per line, blank lines and lines starting with '#' ignored:
    // - profanity: a word or a phrase ("son of a bitch"); a phrase also matches run together;
    // - allow: words or phrases never masked, compared as written (no leet decoding), so
    //   "bastard sword" or "Shiite" stay while "bastard" and "shite" are masked;
    // - keywords: a regular expression (case-insensitive) that flags; `hold:` in front holds.
    //   A line `@rule <category> [<severity>]: <name>` names the expressions below it, up to
    //   the next one (severity mild, moderate or severe; moderate when not written).
    // - in the profanity list, a line `@category <category> <severity>` files the entries below
    //   it, up to the next one; entries above any such line are `profanity moderate`.
    // Loading replaces every list. Bad lines are reported and skipped, the rest still load;
    // an unreadable file leaves its list empty. The allow file may be empty (no allow list).
    QList<FilterListError> load(const QString &profanityFile, const QString &allowFile, const QString &keywordFile);
    QList<FilterListError> loadFromText(const QString &profanity, const QString &allow, const QString &keywords);

    // What the level makes of the text; without one, what the lists say (words masked,
    // expressions flag, `hold:` expressions hold).
    FilterVerdict check(const QString &text) const;
    FilterVerdict check(const QString &text, const FilterLevel &level) const;

    bool profanityEnabled() const { return m_profanityEnabled; }
    void setProfanityEnabled(bool enabled) { m_profanityEnabled = enabled; }
    bool keywordsEnabled() const { return m_keywordsEnabled; }
    void setKeywordsEnabled(bool enabled) { m_keywordsEnabled = enabled; }

    qsizetype profanityEntries() const { return m_profanity.entries.size(); }
    qsizetype keywordCount() const { return m_keywords.size(); }
    QList<KeywordRule> keywordRules() const; // every expression loaded, in list order
    QStringList categories() const; // every category a loaded entry or expression is filed under

private:
    // Words are stored squeezed ("ass" -> "as" with runs {1,2}) so stretched spellings find
    // them; an entry lists one key and run-length list per word.
    struct Entry
    {
        QString source;
        QString category;
        Severity severity = Severity::Moderate;
        QStringList keys;
        QList<QList<int>> runs;
    };
    struct WordList
    {
        QList<Entry> entries;
        QHash<QString, QList<qsizetype>> byFirstKey;
    };
    struct Span
    {
        qsizetype begin = 0;
        qsizetype end = 0;
        const Entry *entry = nullptr;
    };
    struct Keyword
    {
        QRegularExpression regex;
        QString source;
        bool hold = false;
        QString category;
        QString name;
        Severity severity = Severity::Moderate;
    };

    QList<FilterListError> loadLists(const QString &profanity, const QString &profanityName, const QString &allow,
                                     const QString &allowName, const QString &keywords, const QString &keywordName);
    static void addEntry(WordList &list, const QStringList &words, const QString &category = {},
                         Severity severity = Severity::Moderate);
    void maskWords(const TextNormalizer &text, const FilterLevel &level, FilterVerdict &verdict) const;
    void matchKeywords(const QString &text, const TextNormalizer &normalized, const FilterLevel &level,
                       FilterVerdict &verdict) const;
    static QList<Span> find(const WordList &list, const TextNormalizer &text, bool literal);

    WordList m_profanity;
    WordList m_allow;
    QList<Keyword> m_keywords;
    bool m_profanityEnabled = true;
    bool m_keywordsEnabled = true;
};

} // namespace mythos
