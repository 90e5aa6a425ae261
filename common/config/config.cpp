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
