#pragma once
// Reads chat text the way a player disguising a word means it (folded, leet-decoded, re-joined
// across separators), keeping each reading's span in the original text so it can be masked.

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace mythos {

// One character of folded text and the original UTF-16 span it came from. A code point can
// fold into several characters ("ß" -> "ss"); all of them point at the same span.
struct FoldedChar
{
    enum Kind { Word, Space, Punct };
    QChar ch;
    Kind kind = Punct;
    qsizetype begin = 0;
    qsizetype end = 0;
};

// A maximal run of word characters (letters, digits, leet symbols) in the folded text.
struct TextPiece
{
    qsizetype first = 0; // index into chars, inclusive
    qsizetype last = 0; // exclusive
    QString gapBefore; // the separators between the previous piece and this one
    qsizetype length() const { return last - first; }
};

// One way of reading a word or a joined run of pieces, with the original span it covers.
struct WordForm
{
    QStringList readings; // leet-decoded variants ("1" read as i, and as l); repeats kept
    QString literal; // folded but not leet-decoded, for the allow list
    qsizetype begin = 0; // span in the original text, UTF-16 indices, end exclusive
    qsizetype end = 0;
    qsizetype firstPiece = 0;
    qsizetype lastPiece = 0; // inclusive; equal to firstPiece for a single word
};

class TextNormalizer
{
public:
    explicit TextNormalizer(QStringView text);

    const QList<FoldedChar> &chars() const { return m_chars; }
    const QList<TextPiece> &pieces() const { return m_pieces; }
    // Every candidate reading: each piece (with and without leet symbols at its edges, since
    // "frak!" ends a sentence but "a$$" spells the word), each run of separated single
    // characters ("f.r.a.k", "f r a k"), and each word split by in-word separators ("sh.it").
    const QList<WordForm> &forms() const { return m_forms; }
    // Folded, leet-decoded text with whitespace runs collapsed, for keyword expressions.
    QString normalizedText() const;

    // Case, NFKD without combining marks, homoglyphs and compatibility forms -> lower ASCII
    // where a look-alike exists. Format characters (zero-width joiners) fold to nothing.
    static QString foldCodePoint(char32_t codePoint);
    static QList<FoldedChar> foldChars(QStringView text);
    static QString fold(QStringView text);
    static bool isLeetSymbol(QChar c);
    // Leet digits and symbols -> letters (4 @ a, 3 e, 1 ! i, 0 o, 5 $ s, 7 + t, 8 b); "1" is
    // ambiguous (i or l), so every reading is returned, the all-i one first.
    static QStringList leetReadings(QStringView word);
    // "frrraaakk" -> "frak" with runs {1,3,3,2}: a word w matches a list entry e when their
    // squeezed forms are equal and every run in w is at least as long as e's, so stretching
    // matches ("asss") while a different word does not ("as" is not "ass", "bobby" not "booby").
    static QString squeeze(QStringView word, QList<int> *runs);

private:
    void splitPieces();
    void addForm(qsizetype firstChar, qsizetype lastChar, qsizetype firstPiece, qsizetype lastPiece);
    void addJoinedRuns();

    QList<FoldedChar> m_chars;
    QList<TextPiece> m_pieces;
    QList<WordForm> m_forms;
};

} // namespace mythos
