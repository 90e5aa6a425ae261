#include "config/filterleveloverlay.h"

#include "config/filterlevelreader.h"
#include "config/yamlreader.h"

namespace mythos {

namespace {

void readChannelLevels(YamlReader &channels, Config &c)
{
    channels.eachEntry([&](const QString &name, YamlReader &entry) {
        auto it = std::find_if(c.channels.begin(), c.channels.end(),
                               [&](const ChannelSpec &spec) { return spec.name == name; });
        if (it == c.channels.end()) {
            // A dry run replays what the configured channels carried; a new channel has no history.
            entry.error(QString(), QStringLiteral("no such channel in the configuration"));
            entry.skipRest();
            return;
        }
        entry.read("filter_level", it->filterLevel);
    });
}

// The loader's own rule (configloader.cpp): every level named must exist.
void checkLevelNames(const Config &c, QStringList &errors)
{
    const auto &levels = c.contentFiltering.levels;
    const QString known = QStringList(levels.keys()).join(QStringLiteral(", "));
    if (!levels.contains(c.contentFiltering.defaultLevel))
        errors.append(QStringLiteral("chat.content_filtering.default_level: no level named '%1' (levels: %2)")
                              .arg(c.contentFiltering.defaultLevel, known));
    for (const ChannelSpec &channel : c.channels) {
        if (!channel.filterLevel.isEmpty() && !levels.contains(channel.filterLevel))
            errors.append(QStringLiteral("chat.channels.%1.filter_level: no level named '%2' (levels: %3)")
                                  .arg(channel.name, channel.filterLevel, known));
    }
}

} // namespace

Result<Config> applyFilterLevelOverlay(const QByteArray &yaml, const Config &current, const QString &sourceName)
{
    auto failure = [&](const QString &message) {
        return Result<Config>::failure(sourceName + QStringLiteral(": ") + message);
    };
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return failure(QStringLiteral("YAML syntax error at line %1, column %2: %3")
                               .arg(e.mark.line + 1)
                               .arg(e.mark.column + 1)
                               .arg(QString::fromStdString(e.msg)));
    }
    if (root && !root.IsNull() && !root.IsMap())
        return failure(QStringLiteral("expected a YAML mapping with chat.content_filtering or chat.channels"));

    Config c = current;
    QStringList errors;
    YamlReader r(root, QString(), &errors);
    r.section("chat", [&](YamlReader &chat) {
        chat.section("content_filtering", [&](YamlReader &cf) {
            cf.read("default_level", c.contentFiltering.defaultLevel);
            cf.section("levels", [&](YamlReader &levels) { readFilterLevels(levels, c.contentFiltering.levels); });
        });
        chat.section("channels", [&](YamlReader &channels) { readChannelLevels(channels, c); });
    });
    r.rejectUnknownKeys();
    checkLevelNames(c, errors);
    if (!errors.isEmpty())
        return failure(errors.join(QStringLiteral("\n") + sourceName + QStringLiteral(": ")));
    return c;
}

} // namespace mythos
