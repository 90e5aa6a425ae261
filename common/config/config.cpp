#include "config/config.h"

#include <QDir>

namespace mythos {

QStringList NatsSection::servers() const
{
    QStringList out;
    for (const QString &part : url.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            out.append(trimmed);
    }
    return out;
}

const ChannelSpec *Config::channel(QStringView name) const
{
    for (const ChannelSpec &c : channels) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QList<EscalationStep> EscalationSection::defaultSteps()
{
    using A = EscalationStep::Action;
    return { { 1, A::Warn, 0 }, { 2, A::Mute, 5 }, { 3, A::Mute, 60 }, { 4, A::Mute, 1440 }, { 5, A::Review, 0 } };
}

const FilterLevel &ContentFilteringSection::levelFor(const ChannelSpec &channel) const
{
    const auto it = levels.constFind(channel.filterLevel.isEmpty() ? defaultLevel : channel.filterLevel);
    if (it != levels.constEnd())
        return *it;
    // The loader refuses unknown names; a Config built in code may still name none.
    return FilterLevel::asListed();
}

void Config::resolveDefaults(const QString &defaultDataDir)
{
    if (server.dataDir.isEmpty())
        server.dataDir = defaultDataDir;
    if (database.url.isEmpty())
        database.url = QStringLiteral("sqlite:") + QDir(server.dataDir).filePath(QStringLiteral("chat.db"));
    if (logging.dir.isEmpty())
        logging.dir = QDir(server.dataDir).filePath(QStringLiteral("logs"));
}

} // namespace mythos
