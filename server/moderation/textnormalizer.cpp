#include "moderation/textnormalizer.h"

#include <QHash>
#include <algorithm>
#include <string_view>

namespace mythos {

namespace {

// Letters that NFKD leaves alone but players use as look-alikes of ASCII letters: Cyrillic
// and Greek homoglyphs, Latin letters with strokes that have no decomposition, and small
// capitals. Cyrillic letters without a Latin twin (п, и, г ...) are left out on purpose so
// Russian text does not turn into accidental English words. Each `from` character maps to the
// letter at the same position in `to`.
const QHash<char16_t, QLatin1String> &homoglyphs()
{
    static const QHash<char16_t, QLatin1String> table = [] {
        static constexpr struct
        {
            std::u16string_view from;
            std::string_view to;
        } groups[] = {
            { u"АВЕКМНОРСТУХЅІЈҮӀԚԜавекмнорстухѕіјүӏԁһԛԝь", // Cyrillic
              "abekmhopctyxsijylqwabekmhopctyxsijyldhqwb" },
            { u"ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαβεηικμνορτυχϲϳ", // Greek
              "abezhikmnoptyxabenikuvoptuxcj" },
            { u"øØđĐłŁıƒħŧɑɡɢɪɴʀʏʙʜʟᴀᴄᴅᴇᴊᴋᴍᴏᴘᴛᴜᴡꜰꜱ", // Latin
              "ooddllifhtagginrybhlacdejkmoptuwfs" },
        };
        QHash<char16_t, QLatin1String> t;
        for (const auto &group : groups) {
            Q_ASSERT(group.from.size() == group.to.size());
            for (size_t i = 0; i < group.from.size(); ++i)
                t.insert(group.from[i], QLatin1String(group.to.data() + i, 1));
        }
        static constexpr std::pair<char16_t, const char *> ligatures[] = {
            { u'ß', "ss" }, { u'æ', "ae" }, { u'Æ', "ae" }, { u'œ', "oe" }, { u'Œ', "oe" }
        };
        for (const auto &[from, to] : ligatures)
            t.insert(from, QLatin1String(to));
        return t;
    }();
    return table;
}

bool isMark(QChar c)
{
    const auto cat = c.category();
    return cat == QChar::Mark_NonSpacing || cat == QChar::Mark_SpacingCombining || cat == QChar::Mark_Enclosing;
}

FoldedChar::Kind classify(QChar c)
{
    if (c.isSpace())
        return FoldedChar::Space;
    if (c.isLetterOrNumber() || TextNormalizer::isLeetSymbol(c))
        return FoldedChar::Word;
    return FoldedChar::Punct;
}

QChar leetLetter(QChar c, bool oneIsL)
{
    // Each symbol in `from` stands for the letter at the same position in `to`.
    static const QLatin1String from("4@31!05$7+8"), to("aaeiiossttb");
    if (oneIsL && c == QLatin1Char('1'))
        return QLatin1Char('l');
    const qsizetype i = from.indexOf(c);
    return i < 0 ? c : QChar(to[i]);
}

// English one-letter words, and chat's "u" for "you".
bool isOneLetterWord(QChar c)
{
    return c == QLatin1Char('a') || c == QLatin1Char('i') || c == QLatin1Char('u');
}

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

} // namespace

TextNormalizer::TextNormalizer(QStringView text)
{
    m_chars = foldChars(text);
    splitPieces();
    for (qsizetype k = 0; k < m_pieces.size(); ++k)
        addForm(m_pieces[k].first, m_pieces[k].last, k, k);
    addJoinedRuns();
}

QString TextNormalizer::foldCodePoint(char32_t cp)
{
    if (cp < 0x80) // the common case skips normalization entirely
        return QString(QChar(char16_t(cp)).toLower());
    if (QChar::category(cp) == QChar::Other_Format) // zero-width joiners, soft hyphens
        return {};
    const QString decomposed = QString::fromUcs4(&cp, 1).normalized(QString::NormalizationForm_KD);
    QString out;
    for (QChar c : decomposed) {
        if (isMark(c))
            continue;
        const auto it = homoglyphs().constFind(c.unicode());
        if (it != homoglyphs().constEnd())
            out += *it;
        else
            out += c.isSurrogate() ? c : c.toLower();
    }
    return out;
}

QList<FoldedChar> TextNormalizer::foldChars(QStringView text)
{
    QList<FoldedChar> chars;
    chars.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const qsizetype begin = i;
        char32_t cp = text[i].unicode();
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (cp < 0x80) { // the common case, without a string per character
            const QChar c = QChar(char16_t(cp)).toLower();
            chars.append({ c, classify(c), begin, i + 1 });
            continue;
        }
        for (QChar c : foldCodePoint(cp))
            chars.append({ c, classify(c), begin, i + 1 });
    }
    return chars;
}

QString TextNormalizer::fold(QStringView text)
{
    QString out;
    for (const FoldedChar &c : foldChars(text))
        out += c.ch;
    return out;
}

bool TextNormalizer::isLeetSymbol(QChar c)
{
    return c == QLatin1Char('@') || c == QLatin1Char('$') || c == QLatin1Char('!') || c == QLatin1Char('+');
}

QStringList TextNormalizer::leetReadings(QStringView word)
{
    QString base;
    base.reserve(word.size());
    QList<qsizetype> ones;
    for (qsizetype i = 0; i < word.size(); ++i) {
        base += leetLetter(word[i], false);
        if (word[i] == QLatin1Char('1'))
            ones.append(i);
    }
    // Each "1" may be an i or an l ("bu11sh1t"); a few are tried every way, many only uniformly.
    QStringList readings { base };
    if (ones.size() > 4) {
        for (qsizetype i : std::as_const(ones))
            base[i] = QLatin1Char('l');
        readings.append(base);
        return readings;
    }
    for (int mask = 1; mask < (1 << ones.size()); ++mask) {
        QString reading = base;
        for (qsizetype k = 0; k < ones.size(); ++k) {
            if (mask & (1 << k))
                reading[ones[k]] = QLatin1Char('l');
        }
        readings.append(reading);
    }
    return readings;
}

QString TextNormalizer::squeeze(QStringView word, QList<int> *runs)
{
    QString out;
    runs->clear();
    for (QChar c : word) {
        if (!out.isEmpty() && out.back() == c) {
            ++runs->back();
        } else {
            out += c;
            runs->append(1);
        }
    }
    return out;
}

void TextNormalizer::splitPieces()
{
    QString gap;
    for (qsizetype i = 0; i < m_chars.size(); ++i) {
        if (m_chars[i].kind != FoldedChar::Word) {
            gap += m_chars[i].ch;
            continue;
        }
        if (!m_pieces.isEmpty() && m_pieces.back().last == i) {
            ++m_pieces.back().last;
        } else {
            m_pieces.append({ i, i + 1, gap });
            gap.clear();
        }
    }
}

// Adds the readings of the word characters in [firstChar, lastChar): as written, and without
// leading and/or trailing leet symbols, which are more often punctuation ("frak!", "@Bob").
void TextNormalizer::addForm(qsizetype firstChar, qsizetype lastChar, qsizetype firstPiece, qsizetype lastPiece)
{
    QList<qsizetype> word; // indices of the word characters; separators are skipped
    for (qsizetype i = firstChar; i < lastChar; ++i) {
        if (m_chars[i].kind == FoldedChar::Word)
            word.append(i);
    }
    const qsizetype n = word.size();
    qsizetype lead = 0, trail = 0;
    while (lead < n && isLeetSymbol(m_chars[word[lead]].ch))
        ++lead;
    while (trail < n - lead && isLeetSymbol(m_chars[word[n - 1 - trail]].ch))
        ++trail;
    const std::pair<qsizetype, qsizetype> cuts[] = { { 0, n }, { lead, n }, { 0, n - trail }, { lead, n - trail } };
    for (qsizetype c = 0; c < 4; ++c) {
        const auto [from, to] = cuts[c];
        if (from >= to || std::find(cuts, cuts + c, cuts[c]) != cuts + c)
            continue;
        WordForm form;
        bool letter = false, digit = false;
        for (qsizetype k = from; k < to; ++k) {
            const QChar ch = m_chars[word[k]].ch;
            form.literal += ch;
            letter = letter || ch.isLetter();
            digit = digit || ch.isDigit();
        }
        // Digits without letters are a number ("455 gold"), not a word in disguise.
        form.readings = (letter || !digit) ? leetReadings(form.literal) : QStringList { form.literal };
        form.begin = m_chars[word[from]].begin;
        form.end = m_chars[word[to - 1]].end;
        form.firstPiece = firstPiece;
        form.lastPiece = lastPiece;
        m_forms.append(form);
    }
}

// Joins pieces that may be one word split up: pieces touching through punctuation other than
// apostrophes ("sh.it", "f-r-a-k") and runs of single characters separated by short gaps ("f r a
// k"). A run of single characters is read whole, and also split where its gaps change ("f.u.c.k
// y.o.u"), but never at arbitrary points: "C L A S S" must not yield "a s s".
void TextNormalizer::addJoinedRuns()
{
    const qsizetype n = m_pieces.size();
    // Apostrophes join contractions and possessives, not disguised words: "who're", "As's".
    auto splitsWords = [](const QString &gap) {
        return std::any_of(gap.begin(), gap.end(), [](QChar c) {
            return c.isSpace() || c == QLatin1Char('\'') || c == QChar(0x2019) || c == QChar(0x2018)
                    || c == QChar(0x02BC) || c == QLatin1Char('`');
        });
    };
    for (qsizetype a = 0; a < n;) {
        qsizetype b = a;
        while (b + 1 < n && !splitsWords(m_pieces[b + 1].gapBefore))
            ++b;
        if (b > a)
            addForm(m_pieces[a].first, m_pieces[b].last, a, b);
        a = b + 1;
    }
    for (qsizetype a = 0; a < n;) {
        qsizetype b = a;
        while (b + 1 < n && m_pieces[b].length() == 1 && m_pieces[b + 1].length() == 1
               && m_pieces[b + 1].gapBefore.size() <= 3)
            ++b;
        if (b > a) {
            addForm(m_pieces[a].first, m_pieces[b].last, a, b);
            // A one-letter word may run into the spelled-out word: "what a d i c k".
            const bool dropFirst = isOneLetterWord(m_chars[m_pieces[a].first].ch);
            const bool dropLast = isOneLetterWord(m_chars[m_pieces[b].first].ch);
            if (dropFirst && b - a >= 2)
                addForm(m_pieces[a + 1].first, m_pieces[b].last, a + 1, b);
            if (dropLast && b - a >= 2)
                addForm(m_pieces[a].first, m_pieces[b - 1].last, a, b - 1);
            if (dropFirst && dropLast && b - a >= 3)
                addForm(m_pieces[a + 1].first, m_pieces[b - 1].last, a + 1, b - 1);
            // The most common kind of gap separates letters; any other kind separates words.
            QHash<QString, int> counts;
            QString usual;
            for (qsizetype k = a + 1; k <= b; ++k) {
                const QString &gap = m_pieces[k].gapBefore;
                const int count = ++counts[gap];
                const int best = counts.value(usual);
                if (count > best || (count == best && gap.size() < usual.size()))
                    usual = gap;
            }
            qsizetype start = a;
            for (qsizetype k = a + 1; k <= b + 1; ++k) {
                if (k <= b && m_pieces[k].gapBefore == usual)
                    continue;
                if (k - 1 > start && !(start == a && k - 1 == b))
                    addForm(m_pieces[start].first, m_pieces[k - 1].last, start, k - 1);
                start = k;
            }
        }
        a = b + 1;
    }
}

QString TextNormalizer::normalizedText() const
{
    QString out;
    out.reserve(m_chars.size());
    auto symbolAt = [this](qsizetype k) { return isLeetSymbol(m_chars[k].ch); };
    qsizetype next = 0; // chars before this index have been written
    for (const TextPiece &p : m_pieces) {
        for (; next < p.first; ++next)
            out += m_chars[next].ch;
        const bool letter = std::any_of(m_chars.begin() + p.first, m_chars.begin() + p.last,
                                        [](const FoldedChar &c) { return c.ch.isLetter(); });
        // Symbols at the edges of a word stay: they are usually punctuation or money.
        qsizetype lead = p.first, trail = p.last;
        while (lead < p.last && symbolAt(lead))
            ++lead;
        while (trail > lead && symbolAt(trail - 1))
            --trail;
        for (; next < p.last; ++next) {
            const QChar c = m_chars[next].ch;
            const bool inside = next >= lead && next < trail;
            const bool decode = letter && (symbolAt(next) ? inside : isAsciiDigit(c));
            out += decode ? leetLetter(c, false) : c;
        }
    }
    for (; next < m_chars.size(); ++next)
        out += m_chars[next].ch;
    return out.simplified();
}

} // namespace mythos
