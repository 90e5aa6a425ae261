#include "protocol/subjects.h"

#include "util/ids.h"

#include <algorithm>

namespace mythos {

bool scopeNeedsId(ScopeKind kind)
{
    return kind != ScopeKind::Everyone && kind != ScopeKind::Staff;
}

Subjects::Subjects(QString prefix) : m_prefix(prefix.toUtf8())
{
}

Subjects::Subjects(QString prefix, const QMap<QString, QString> &templates, const QList<ChannelSpec> &channels)
    : Subjects(std::move(prefix))
{
    // Every channel's effective template, configured or standard, checked against the others
    // and against the subjects that are not chat: one subject must mean one thing.
    struct Entry
    {
        QString channel;
        SubjectTemplate shape;
        bool configured;
    };
    QList<Entry> all;
    for (auto it = templates.cbegin(); it != templates.cend(); ++it) {
        const auto spec = std::find_if(channels.cbegin(), channels.cend(),
                                       [&](const ChannelSpec &c) { return c.name == it.key(); });
        if (spec == channels.cend()) {
            m_problems.append({ it.key(), QStringLiteral("no such channel (not configured, or disabled)"), true });
            continue;
        }
        QString error;
        if (auto shape = SubjectTemplate::parse(it.value(), m_prefix, scopeNeedsId(spec->scope), &error)) {
            m_templates.insert(it.key(), *shape);
        } else {
            m_problems.append({ it.key(), error, true });
            m_broken.insert(it.key());
        }
    }
    for (const ChannelSpec &c : channels) {
        if (m_broken.contains(c.name))
            continue;
        const bool configured = m_templates.contains(c.name);
        if (!configured) // built once here, not per message
            m_templates.insert(c.name, SubjectTemplate::standard(m_prefix, c.name, scopeNeedsId(c.scope)));
        all.append({ c.name, m_templates.value(c.name), configured });
    }
    const QList<QByteArray> reserved { controlWildcard(), presencePrefix() + '>' };
    QSet<QString> clashing;
    for (qsizetype i = 0; i < all.size(); ++i) {
        for (const QByteArray &pattern : reserved) {
            if (all[i].shape.overlapsPattern(pattern)) {
                m_problems.append({ all[i].channel,
                                    QStringLiteral("%1 can name a subject of %2, which is not chat")
                                            .arg(all[i].shape.text(), QString::fromUtf8(pattern)),
                                    all[i].configured });
                clashing.insert(all[i].channel);
            }
        }
        for (qsizetype j = i + 1; j < all.size(); ++j) {
            if (!all[i].shape.overlaps(all[j].shape))
                continue;
            // Reported under the configured one (a standard template is written nowhere).
            const bool laterNamed = all[j].configured || !all[i].configured;
            const Entry &named = laterNamed ? all[j] : all[i];
            const Entry &other = laterNamed ? all[i] : all[j];
            m_problems.append({ named.channel,
                                QStringLiteral("%1 can name the same subject as channel %2 (%3)")
                                        .arg(named.shape.text(), other.channel, other.shape.text()),
                                named.configured });
            clashing.insert(all[i].channel);
            clashing.insert(all[j].channel);
        }
    }
    for (const QString &name : std::as_const(clashing)) {
        m_templates.remove(name);
        m_broken.insert(name);
    }
}

const SubjectTemplate *Subjects::templateFor(const ChannelSpec &channel, std::optional<SubjectTemplate> &standIn) const
{
    const bool needsId = scopeNeedsId(channel.scope);
    auto it = m_templates.constFind(channel.name);
    if (it != m_templates.cend()) // the spec's scope must be the one the template was checked against
        return it->hasPlaceholder() == needsId ? &*it : nullptr;
    if (m_broken.contains(channel.name))
        return nullptr;
    standIn = SubjectTemplate::standard(m_prefix, channel.name, needsId); // a channel not given at construction
    return &*standIn;
}

QByteArray Subjects::forChannel(const ChannelSpec &channel, const QString &scopeId) const
{
    std::optional<SubjectTemplate> standIn;
    const SubjectTemplate *shape = templateFor(channel, standIn);
    return shape ? shape->fill(scopeId) : QByteArray();
}

std::optional<QString> Subjects::scopeIdOf(const ChannelSpec &channel, const QByteArray &subject) const
{
    std::optional<SubjectTemplate> standIn;
    const SubjectTemplate *shape = templateFor(channel, standIn);
    return shape ? shape->match(subject) : std::nullopt;
}

QByteArray Subjects::wildcardFor(const ChannelSpec &channel) const
{
    std::optional<SubjectTemplate> standIn;
    const SubjectTemplate *shape = templateFor(channel, standIn);
    return shape ? shape->wildcard() : QByteArray();
}

QByteArray Subjects::controlWildcard() const
{
    return m_prefix + ".control.>";
}

QByteArray Subjects::classify() const
{
    return m_prefix + ".moderation.classify";
}

QByteArray Subjects::control(const char *topic) const
{
    return m_prefix + ".control." + topic;
}

QByteArray Subjects::presence(const QString &playerId)
{
    return presencePrefix() + playerId.toUtf8();
}

} // namespace mythos
