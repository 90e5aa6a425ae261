#include "moderation/classifieranswer.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace mythos {

namespace {
const QLatin1String kVerdict("verdict");
const QLatin1String kCategories("categories");
const QLatin1String kReason("reason");
const QLatin1String kModel("model");
const QLatin1String kError("error");

ParsedClassifierReply unreadable(QString why)
{
    ParsedClassifierReply r;
    r.problem = std::move(why);
    return r;
}

std::optional<Severity> severityOf(double score, const ClassifierSection &config)
{
    std::optional<Severity> found;
    for (int i = 0; i < severityCount; ++i) {
        if (score >= config.severityScores[i])
            found = static_cast<Severity>(i);
    }
    return found;
}
} // namespace

ParsedClassifierReply parseClassifierReply(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return unreadable(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.contains(kError)) {
        ParsedClassifierReply r;
        r.kind = ParsedClassifierReply::Kind::ClassifierError;
        r.problem = o.value(kError).toVariant().toString();
        return r;
    }
    ParsedClassifierReply r;
    r.kind = ParsedClassifierReply::Kind::Answer;
    if (o.contains(kVerdict)) {
        const Result<FilterAction> v = parseFilterAction(o.value(kVerdict).toString());
        if (!o.value(kVerdict).isString() || !v || v->listed)
            return unreadable(QStringLiteral("verdict is not allow, mask, flag or hold (joined by '+')"));
        r.answer.verdict = v.value();
    }
    if (o.contains(kCategories)) {
        if (!o.value(kCategories).isObject())
            return unreadable(QStringLiteral("categories is not an object of category: score"));
        const QJsonObject categories = o.value(kCategories).toObject();
        for (auto it = categories.begin(); it != categories.end(); ++it) {
            const double score = it.value().toDouble(-1);
            if (!it.value().isDouble() || score < 0 || score > 1 || !isValidCategoryName(it.key()))
                return unreadable(
                        QStringLiteral("category '%1' needs a lowercase name and a score from 0 to 1").arg(it.key()));
            r.answer.scores.insert(it.key(), score);
        }
    }
    if (!r.answer.verdict && !o.contains(kCategories))
        return unreadable(QStringLiteral("neither verdict nor categories"));
    r.answer.reason = o.value(kReason).toString().left(200);
    r.answer.model = o.value(kModel).toString().left(64);
    return r;
}

FilterAction combined(FilterAction a, const FilterAction &b)
{
    a.mask = a.mask || b.mask;
    a.flag = a.flag || b.flag;
    a.hold = a.hold || b.hold;
    return a;
}

ClassifierDecision decide(const ClassifierAnswer &answer, const ClassifierSection &config, const FilterLevel &level)
{
    ClassifierDecision d;
    d.label =
            answer.model.isEmpty() ? QStringLiteral("classifier") : QStringLiteral("classifier (%1)").arg(answer.model);
    if (!answer.reason.isEmpty())
        d.label += QStringLiteral(": ") + answer.reason;
    for (auto it = answer.scores.cbegin(); it != answer.scores.cend(); ++it) {
        ClassifierMatch m { it.key(), severityOf(it.value(), config), it.value(), {} };
        const auto thresholds = config.thresholds.constFind(it.key());
        if (thresholds != config.thresholds.cend()) {
            for (const ClassifierSection::Threshold &t : *thresholds) { // sorted by score
                if (it.value() >= t.minScore)
                    m.action = t.action;
            }
        } else if (m.severity) {
            // A classifier category is like a keyword expression: "listed" at the level flags it.
            m.action = level.actionFor(it.key(), *m.severity).resolved(true, false);
        }
        if (!answer.verdict && m.action.isAllow())
            continue; // below every threshold: nothing to tell moderators
        d.action = combined(d.action, m.action);
        d.matches.append(m);
    }
    if (answer.verdict) {
        d.action = *answer.verdict;
        d.matches.append({ QStringLiteral("verdict"), std::nullopt, -1, *answer.verdict });
    }
    return d;
}

ClassifierDecision failureDecision(const ClassifierSection &config, const QString &why)
{
    ClassifierDecision d;
    d.action = config.onFailure;
    d.failed = true;
    d.label = QStringLiteral("classifier unavailable: %1").arg(why);
    return d;
}

QString maskedWhole(const QString &content)
{
    QString out = content;
    for (QChar &c : out) {
        if (!c.isSpace())
            c = QLatin1Char('*');
    }
    return out;
}

} // namespace mythos
