#include "config/classifierreader.h"

#include "config/yamlreader.h"
#include "util/ids.h"

#include <algorithm>

namespace mythos {

namespace {

// A classifier answer never defers to a list: there is none behind it.
std::optional<FilterAction> readAction(YamlReader &r, const QString &key, const QString &text)
{
    const Result<FilterAction> action = parseFilterAction(text);
    if (!action) {
        r.error(key, action.error());
        return std::nullopt;
    }
    if (action->listed) {
        r.error(key, QStringLiteral("'listed' means what a word list says; a classifier answer has no list"));
        return std::nullopt;
    }
    return action.value();
}

// A subject we publish on: dot-separated tokens, no wildcards.
bool isValidSubject(const QString &subject)
{
    const QStringList tokens = subject.split(QLatin1Char('.'));
    return std::all_of(tokens.begin(), tokens.end(), [](const QString &t) { return isValidSubjectId(t, 128); });
}

void readChannels(YamlReader &r, const QList<ChannelSpec> &channels, QStringList &out)
{
    const YAML::Node node = r.node()["channels"];
    if (!node)
        return;
    r.markRead(QStringLiteral("channels"));
    if (node.IsNull())
        return;
    if (!node.IsSequence()) {
        r.error(QStringLiteral("channels"), QStringLiteral("expected a list of channel names"));
        return;
    }
    for (const YAML::Node &item : node) {
        const QString name = item.IsScalar() ? QString::fromStdString(item.Scalar()) : QString();
        const bool known =
                std::any_of(channels.begin(), channels.end(), [&](const ChannelSpec &c) { return c.name == name; });
        if (!known) {
            r.error(QStringLiteral("channels"), QStringLiteral("no channel named '%1'").arg(name));
            continue;
        }
        out.append(name);
    }
}

void readSeverityScores(YamlReader &r, std::array<double, severityCount> &scores)
{
    for (int i = 0; i < severityCount; ++i) {
        const QByteArray key = severityName(static_cast<Severity>(i)).toUtf8();
        r.read(key.constData(), scores[i], 0.0, 1.0);
    }
    for (int i = 1; i < severityCount; ++i) {
        if (scores[i] < scores[i - 1])
            r.error(severityName(static_cast<Severity>(i)),
                    QStringLiteral("must be at least %1's score").arg(severityName(static_cast<Severity>(i - 1))));
    }
}

// `<category>: {<action>: <minimum score>, ...}`, e.g. `threat: {flag: 0.4, hold: 0.7}`.
void readThresholds(YamlReader &r, QMap<QString, QList<ClassifierSection::Threshold>> &out)
{
    r.eachEntry([&](const QString &category, YamlReader &c) {
        if (!isValidCategoryName(category)) {
            r.error(category, QStringLiteral("a category is a lowercase word (letters, digits, '-')"));
            c.skipRest();
            return;
        }
        QList<ClassifierSection::Threshold> list;
        for (const QString &actionText : c.unreadKeys()) {
            double score = -1;
            c.read(actionText.toUtf8().constData(), score, 0.0, 1.0);
            const auto action = readAction(c, actionText, actionText);
            if (action && score >= 0)
                list.append({ score, *action });
        }
        std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.minScore < b.minScore; });
        out.insert(category, list);
    });
}

} // namespace

void readClassifier(YamlReader &r, const QList<ChannelSpec> &channels, ClassifierSection &out)
{
    r.read("enabled", out.enabled);
    r.read("subject", out.subject);
    if (!out.subject.isEmpty() && !isValidSubject(out.subject))
        r.error(QStringLiteral("subject"),
                QStringLiteral("must be dot-separated tokens of [A-Za-z0-9_-] (no wildcards)"));
    r.read("timeout_ms", out.timeoutMs, 1, 10000);
    QString onFailure;
    r.read("on_failure", onFailure);
    if (!onFailure.isEmpty()) {
        if (const auto action = readAction(r, QStringLiteral("on_failure"), onFailure))
            out.onFailure = *action;
    }
    readChannels(r, channels, out.channels);
    r.section("severity_scores", [&](YamlReader &s) { readSeverityScores(s, out.severityScores); });
    r.section("categories", [&](YamlReader &c) { readThresholds(c, out.thresholds); });
}

} // namespace mythos
