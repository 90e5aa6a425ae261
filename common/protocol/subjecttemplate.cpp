#include "protocol/subjecttemplate.h"

#include "util/ids.h"

namespace mythos {

namespace {
constexpr int kMaxLiteral = 64;
const QString kPrefixToken = QStringLiteral("{prefix}");

bool isPlaceholder(const QString &token)
{
    return token.size() > 2 && token.front() == QLatin1Char('{') && token.back() == QLatin1Char('}')
            && isValidSubjectId(QStringView(token).mid(1, token.size() - 2), kMaxLiteral);
}
} // namespace

SubjectTemplate SubjectTemplate::standard(const QByteArray &prefix, const QString &channel, bool needsId)
{
    SubjectTemplate t;
    t.m_tokens = { prefix, channel.toUtf8() };
    if (needsId) {
        t.m_placeholder = static_cast<int>(t.m_tokens.size());
        t.m_tokens.append(QByteArray());
    }
    return t;
}

std::optional<SubjectTemplate> SubjectTemplate::parse(const QString &text, const QByteArray &prefix, bool needsId,
                                                      QString *error)
{
    auto fail = [&](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    if (text.isEmpty())
        return fail(QStringLiteral("is empty"));
    SubjectTemplate t;
    const QStringList tokens = text.split(QLatin1Char('.'));
    for (const QString &token : tokens) {
        if (token.isEmpty())
            return fail(QStringLiteral("\"%1\" has an empty token").arg(text));
        if (token == kPrefixToken) {
            t.m_tokens.append(prefix);
        } else if (isPlaceholder(token)) {
            if (t.hasPlaceholder())
                return fail(QStringLiteral("\"%1\" has more than one placeholder; a scope has one id").arg(text));
            t.m_placeholder = static_cast<int>(t.m_tokens.size());
            t.m_tokens.append(QByteArray());
        } else if (token == QLatin1String("*") || token == QLatin1String(">")) {
            return fail(QStringLiteral("\"%1\" has a wildcard; a channel publishes on one subject").arg(text));
        } else if (!isValidSubjectId(token, kMaxLiteral)) {
            return fail(QStringLiteral("\"%1\": token \"%2\" must be {prefix}, a {placeholder} or match "
                                       "[A-Za-z0-9_-]{1,64}")
                                .arg(text, token));
        } else {
            t.m_tokens.append(token.toUtf8());
        }
    }
    if (needsId && !t.hasPlaceholder())
        return fail(QStringLiteral("\"%1\" needs a placeholder such as {id}: the channel's scope has an id").arg(text));
    if (!needsId && t.hasPlaceholder())
        return fail(QStringLiteral("\"%1\" has a placeholder, but the channel's scope has no id").arg(text));
    return t;
}

QByteArray SubjectTemplate::fill(QStringView scopeId) const
{
    if (hasPlaceholder() && !isValidSubjectId(scopeId))
        return {};
    QByteArray subject;
    for (int i = 0; i < m_tokens.size(); ++i) {
        if (i > 0)
            subject += '.';
        subject += i == m_placeholder ? scopeId.toUtf8() : m_tokens[i];
    }
    return subject;
}

std::optional<QString> SubjectTemplate::match(const QByteArray &subject) const
{
    const QList<QByteArray> tokens = subject.split('.');
    if (tokens.size() != m_tokens.size())
        return std::nullopt;
    QString id;
    for (int i = 0; i < tokens.size(); ++i) {
        if (i != m_placeholder) {
            if (tokens[i] != m_tokens[i])
                return std::nullopt;
            continue;
        }
        id = QString::fromUtf8(tokens[i]);
        if (!isValidSubjectId(id))
            return std::nullopt;
    }
    return id;
}

QByteArray SubjectTemplate::wildcard() const
{
    QByteArray pattern;
    for (int i = 0; i < m_tokens.size(); ++i) {
        if (i > 0)
            pattern += '.';
        pattern += i == m_placeholder ? QByteArrayLiteral("*") : m_tokens[i];
    }
    return pattern;
}

bool SubjectTemplate::overlaps(const SubjectTemplate &other) const
{
    if (m_tokens.size() != other.m_tokens.size())
        return false;
    for (int i = 0; i < m_tokens.size(); ++i) {
        if (i != m_placeholder && i != other.m_placeholder && m_tokens[i] != other.m_tokens[i])
            return false;
    }
    return true;
}

bool SubjectTemplate::overlapsPattern(const QByteArray &pattern) const
{
    const QList<QByteArray> tokens = pattern.split('.');
    for (int i = 0; i < tokens.size(); ++i) {
        if (tokens[i] == ">")
            return m_tokens.size() > i; // `>` matches one or more further tokens
        if (i >= m_tokens.size())
            return false;
        if (tokens[i] != "*" && i != m_placeholder && tokens[i] != m_tokens[i])
            return false;
    }
    return tokens.size() == m_tokens.size();
}

QString SubjectTemplate::text() const
{
    QString out;
    for (int i = 0; i < m_tokens.size(); ++i) {
        if (i > 0)
            out += QLatin1Char('.');
        out += i == m_placeholder ? QStringLiteral("{id}") : QString::fromUtf8(m_tokens[i]);
    }
    return out;
}

} // namespace mythos
