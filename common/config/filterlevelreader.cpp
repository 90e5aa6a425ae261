#include "config/filterlevelreader.h"

#include "config/yamlreader.h"

namespace mythos {

namespace {

std::optional<FilterAction> readAction(YamlReader &r, const QString &key)
{
    QString text;
    const QByteArray k = key.toUtf8();
    r.read(k.constData(), text);
    auto action = parseFilterAction(text.trimmed());
    if (!action) {
        r.error(key, action.error());
        return std::nullopt;
    }
    return action.value();
}

std::optional<std::array<FilterAction, severityCount>> readCategory(YamlReader &level, const QString &category)
{
    const YAML::Node node = level.node();
    const YAML::Node value = node[category.toStdString()]; // const: looking never inserts
    if (!value.IsMap()) {
        if (const auto action = readAction(level, category))
            return std::array<FilterAction, severityCount> { *action, *action, *action };
        return std::nullopt;
    }
    QMap<Severity, FilterAction> written;
    bool ok = true;
    level.section(category.toUtf8().constData(), [&](YamlReader &severities) {
        for (const QString &name : severities.unreadKeys()) {
            const auto severity = parseSeverity(name);
            if (!severity) {
                severities.error(name, QStringLiteral("'%1' is not a severity: mild, moderate or severe").arg(name));
                severities.markRead(name);
                ok = false;
                continue;
            }
            if (const auto action = readAction(severities, name))
                written.insert(*severity, *action);
            else
                ok = false;
        }
    });
    if (!ok)
        return std::nullopt;
    return actionsFromSeverities(written);
}

} // namespace

void readFilterLevels(YamlReader &levels, QMap<QString, FilterLevel> &out)
{
    levels.eachEntry([&](const QString &name, YamlReader &level) {
        if (!isValidCategoryName(name)) {
            levels.error(name, QStringLiteral("level names are lowercase letters, digits and '-'"));
            level.skipRest();
            return;
        }
        FilterLevel parsed { name, {}, std::nullopt };
        for (const QString &category : level.unreadKeys()) {
            if (category != QLatin1String("*") && !isValidCategoryName(category)) {
                level.error(category,
                            QStringLiteral("'%1' is not a category name (lowercase letters, digits and '-'; '*' for "
                                           "every other category)")
                                    .arg(category));
                level.markRead(category);
                continue;
            }
            const auto actions = readCategory(level, category);
            if (!actions)
                continue;
            if (category == QLatin1String("*"))
                parsed.otherCategories = *actions;
            else
                parsed.categories.insert(category, *actions);
        }
        out.insert(name, parsed);
    });
}

} // namespace mythos
