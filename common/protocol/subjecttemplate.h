#pragma once
// One channel's NATS subject shape (`nats.subjects.<channel>`): dot-separated tokens, at most one
// of them the `{name}` placeholder for the scope id. Fills a subject from a scope id and reads
// the scope id back out of a subject, so a subject is matched against the shape, not a prefix.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace mythos {

class SubjectTemplate
{
public:
    // `{prefix}.{channel}` or `{prefix}.{channel}.{id}`: the scheme of PROTOCOL §5.
    static SubjectTemplate standard(const QByteArray &prefix, const QString &channel, bool needsId);
    // `text` as written in the configuration. `{prefix}` (a whole token) is the subject prefix;
    // any other `{name}` token is the placeholder (the name documents it only); other tokens
    // must match [A-Za-z0-9_-]{1,64}. `needsId`: the channel's scope has an id, so exactly one
    // placeholder is required; otherwise none is allowed. Empty result and `error` set when
    // the text is not such a template.
    static std::optional<SubjectTemplate> parse(const QString &text, const QByteArray &prefix, bool needsId,
                                                QString *error);

    bool hasPlaceholder() const { return m_placeholder >= 0; }
    // The subject for `scopeId`; empty when the template needs an id and scopeId is not a
    // valid subject id. A template without placeholder ignores scopeId.
    QByteArray fill(QStringView scopeId) const;
    // The scope id `subject` carries (empty for a template without placeholder), or nothing
    // when the subject does not have this shape or its id token is not a valid subject id.
    std::optional<QString> match(const QByteArray &subject) const;
    // The subscription that receives every subject of this shape (the placeholder as `*`).
    QByteArray wildcard() const;
    // Whether some subject could match both templates.
    bool overlaps(const SubjectTemplate &other) const;
    // Whether some subject of this shape is matched by `pattern` (literal tokens, `*`, and `>`
    // as the last token).
    bool overlapsPattern(const QByteArray &pattern) const;
    // The resolved form for messages, placeholder written `{id}`.
    QString text() const;

private:
    QList<QByteArray> m_tokens; // the placeholder's slot is empty
    int m_placeholder = -1;
};

} // namespace mythos
