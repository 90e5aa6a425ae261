#include "config/escalationreader.h"

#include "config/config.h"
#include "config/yamlreader.h"

namespace mythos {

namespace {

void readStep(YamlReader &r, QList<EscalationStep> &steps)
{
    EscalationStep step;
    QString action;
    r.read("at", step.at, 1, 1000);
    r.read("action", action);
    r.read("minutes", step.minutes, 0, 10080); // a server mute lasts at most 7 days
    if (action == QLatin1String("warn"))
        step.action = EscalationStep::Action::Warn;
    else if (action == QLatin1String("mute"))
        step.action = EscalationStep::Action::Mute;
    else if (action == QLatin1String("review"))
        step.action = EscalationStep::Action::Review;
    else
        r.error(QStringLiteral("action"), QStringLiteral("'%1' is not warn, mute or review").arg(action));
    if (!steps.isEmpty() && step.at <= steps.constLast().at)
        r.error(QStringLiteral("at"),
                QStringLiteral("steps must climb: %1 does not come after %2").arg(step.at).arg(steps.constLast().at));
    steps.append(step);
}

} // namespace

void readEscalation(YamlReader &r, EscalationSection &e)
{
    r.read("enabled", e.enabled);
    r.read("decay_minutes", e.decayMinutes, 1, 525600);
    r.section("points", [&](YamlReader &p) {
        p.read("mild", e.filterPoints[0], 0, 100);
        p.read("moderate", e.filterPoints[1], 0, 100);
        p.read("severe", e.filterPoints[2], 0, 100);
        p.read("rate_limit_flood", e.rateLimitFloodPoints, 0, 100);
        p.read("warn", e.warnPoints, 0, 100);
    });
    r.read("ignore_categories", e.ignoredCategories);
    for (const QString &category : std::as_const(e.ignoredCategories)) {
        if (!isValidCategoryName(category))
            r.error(QStringLiteral("ignore_categories"), QStringLiteral("'%1' is not a category name").arg(category));
    }
    const YAML::Node node = r.node();
    if (node.IsMap() && node["steps"]) { // written: it replaces the default ladder
        QList<EscalationStep> steps;
        r.eachItem("steps", [&](int, YamlReader &step) { readStep(step, steps); });
        if (steps.isEmpty())
            r.error(QStringLiteral("steps"), QStringLiteral("the ladder needs at least one step"));
        e.steps = steps;
    }
}

} // namespace mythos
