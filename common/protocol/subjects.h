#pragma once
// NATS subject names (PROTOCOL §5). Ids are validated before they get here; a subject is never
// built from an id that could contain `.`, `*`, `>` or white space. Each channel's subject
// follows its template (`nats.subjects.<channel>`, default `{prefix}.{channel}[.{id}]`).

#include "model/channel.h"
#include "protocol/subjecttemplate.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

#include <optional>

namespace mythos {

class Subjects
{
public:
    explicit Subjects(QString prefix = QStringLiteral("chat"));
    // With `nats.subjects` (channel name -> template) for the configured `channels`. What is
    // wrong with them is in problems(); a channel whose template is wrong has no subject.
    Subjects(QString prefix, const QMap<QString, QString> &templates, const QList<ChannelSpec> &channels);

    // The channel's template filled with scopeId (ignored for everyone/staff scopes). Empty when
    // the scope needs an id and scopeId is empty or invalid, or the template is unusable.
    QByteArray forChannel(const ChannelSpec &channel, const QString &scopeId) const;
    // The reverse: the scope id a subject of this channel carries ("" for everyone/staff
    // scopes), or nothing when the subject is not one of this channel's.
    std::optional<QString> scopeIdOf(const ChannelSpec &channel, const QByteArray &subject) const;
    // The subscription that receives all of a channel's subjects (the moderators' feed).
    QByteArray wildcardFor(const ChannelSpec &channel) const;
    QByteArray controlWildcard() const; // {prefix}.control.>
    QByteArray control(const char *topic) const; // {prefix}.control.{topic}
    QByteArray classify() const; // {prefix}.moderation.classify: the external classifier
    static QByteArray presence(const QString &playerId); // mud.presence.{id}
    static QByteArray presencePrefix() { return QByteArrayLiteral("mud.presence."); }
    const QByteArray &prefix() const { return m_prefix; }

    struct Problem
    {
        QString channel;
        QString message;
        bool configured; // about nats.subjects.<channel>; false: about the channel's standard subject
    };
    const QList<Problem> &problems() const { return m_problems; }

private:
    // The channel's template; `standIn` holds the standard one for a channel this object was not
    // built with. Null when the channel has no usable subject.
    const SubjectTemplate *templateFor(const ChannelSpec &channel, std::optional<SubjectTemplate> &standIn) const;

    QByteArray m_prefix;
    QHash<QString, SubjectTemplate> m_templates; // every usable channel's, configured or standard
    QSet<QString> m_broken; // configured but refused: no subject at all
    QList<Problem> m_problems;
};

// Whether a channel's scope needs an id (room, party, …) to form its subject.
bool scopeNeedsId(ScopeKind kind);

} // namespace mythos
