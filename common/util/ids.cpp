#include "util/ids.h"

#include <QCryptographicHash>

namespace mythos {

bool isValidSubjectId(QStringView id, int maxLength)
{
    if (id.isEmpty() || id.size() > maxLength)
        return false;
    for (QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_'
                || u == u'-';
        if (!ok)
            return false;
    }
    return true;
}

bool isValidPlayerId(QStringView id)
{
    return isValidSubjectId(id, 64);
}

bool isValidDisplayName(QStringView name)
{
    const qsizetype count = characterCount(name);
    if (count < 1 || count > 32)
        return false;
    if (name.front().isSpace() || name.back().isSpace())
        return false;
    for (QChar c : name) {
        if (!c.isPrint() && !c.isSurrogate())
            return false;
    }
    return true;
}

QString foldName(QStringView name)
{
    // Folding can un-normalise (e.g. U+1E9E); normalising once more makes the key stable.
    return name.toString()
            .normalized(QString::NormalizationForm_KC)
            .toCaseFolded()
            .normalized(QString::NormalizationForm_KC);
}

qsizetype characterCount(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!text[i].isLowSurrogate())
            ++count;
    }
    return count;
}

MessageIdGenerator::MessageIdGenerator(QString instanceTag) : m_tag(std::move(instanceTag))
{
}

QString MessageIdGenerator::next(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_lastMs = nowMs;
        m_counter = 0;
    } else if (++m_counter > 0xFFFFFF) {
        // More than 16M ids in one millisecond: borrow the next millisecond to stay ordered.
        ++m_lastMs;
        m_counter = 0;
    }
    return QStringLiteral("%1%2-%3")
            .arg(m_lastMs, 12, 16, QLatin1Char('0'))
            .arg(m_counter, 6, 16, QLatin1Char('0'))
            .arg(m_tag);
}

std::optional<qint64> messageIdMillis(QStringView id)
{
    // 12 hex digits of milliseconds, 6 of counter, '-', the instance tag.
    if (id.size() < 20 || id[18] != u'-')
        return std::nullopt;
    auto hexValue = [](char16_t c) {
        return c >= u'0' && c <= u'9' ? c - u'0' : c >= u'a' && c <= u'f' ? c - u'a' + 10 : -1;
    };
    qint64 ms = 0;
    for (qsizetype i = 0; i < 18; ++i) {
        const int digit = hexValue(id[i].unicode());
        if (digit < 0)
            return std::nullopt;
        if (i < 12)
            ms = ms * 16 + digit;
    }
    return ms;
}

QString messageIdFloor(qint64 ms)
{
    return QStringLiteral("%1").arg(ms, 12, 16, QLatin1Char('0'));
}

QString importedMessageId(const QDateTime &at, const QString &sourceMessageId)
{
    const QByteArray digest = QCryptographicHash::hash(sourceMessageId.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("%1%2-mm%3")
            .arg(at.toMSecsSinceEpoch(), 12, 16, QLatin1Char('0'))
            .arg(0, 6, 16, QLatin1Char('0'))
            .arg(QString::fromLatin1(digest.left(16)));
}

} // namespace mythos
