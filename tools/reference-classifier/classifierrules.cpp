#include "classifierrules.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace mythos::reference {

QString parseRule(const QString &line, QList<Rule> &rules)
{
    const QString text = line.section(QLatin1Char('#'), 0, 0).trimmed();
    if (text.isEmpty())
        return {};
    const QStringList words = text.split(QRegularExpression(QStringLiteral("\\s+")));
    const QString kind = words.value(0);
    Rule r;
    int phraseFrom = 1;
    bool ok = true;
    if (kind == QLatin1String("score")) {
        r.kind = Rule::Kind::Score;
        r.category = words.value(1);
        r.score = words.value(2).toDouble(&ok);
        ok = ok && !r.category.isEmpty() && r.score >= 0 && r.score <= 1;
        phraseFrom = 3;
    } else if (kind == QLatin1String("verdict")) {
        r.kind = Rule::Kind::Verdict;
        r.verdict = words.value(1);
        phraseFrom = 2;
    } else if (kind == QLatin1String("delay")) {
        r.kind = Rule::Kind::Delay;
        r.delayMs = words.value(1).toInt(&ok);
        phraseFrom = 2;
    } else if (kind == QLatin1String("silent")) {
        r.kind = Rule::Kind::Silent;
    } else if (kind == QLatin1String("garbage")) {
        r.kind = Rule::Kind::Garbage;
    } else if (kind == QLatin1String("error")) {
        r.kind = Rule::Kind::Error;
    } else {
        return QStringLiteral("unknown rule '%1' (score, verdict, delay, silent, garbage, error)").arg(kind);
    }
    r.phrase = words.mid(phraseFrom).join(QLatin1Char(' ')).toLower();
    if (!ok || r.phrase.isEmpty())
        return QStringLiteral("cannot read rule '%1'").arg(text);
    rules.append(r);
    return {};
}

Answer answer(const QJsonObject &request, const QList<Rule> &rules, int delayMs, bool garbage)
{
    const QString content = request.value(QLatin1String("content")).toString().toLower();
    Answer a;
    a.delayMs = delayMs;
    QJsonObject scores;
    QString verdict;
    bool silent = false, error = false;
    for (const Rule &r : rules) {
        if (!content.contains(r.phrase))
            continue;
        switch (r.kind) {
        case Rule::Kind::Score:
            if (r.score > scores.value(r.category).toDouble(-1))
                scores.insert(r.category, r.score);
            break;
        case Rule::Kind::Verdict: verdict = r.verdict; break;
        case Rule::Kind::Delay: a.delayMs = std::max(a.delayMs, r.delayMs); break;
        case Rule::Kind::Silent: silent = true; break;
        case Rule::Kind::Garbage: garbage = true; break;
        case Rule::Kind::Error: error = true; break;
        }
    }
    if (silent)
        return a;
    if (garbage) {
        a.body = QByteArrayLiteral("this is not JSON {");
        return a;
    }
    QJsonObject reply { { QLatin1String("request_id"), request.value(QLatin1String("request_id")) },
                        { QLatin1String("model"), QLatin1String("mythos-reference-classifier") } };
    if (error) {
        reply.insert(QLatin1String("error"), QLatin1String("the reference classifier was told to fail"));
    } else {
        reply.insert(QLatin1String("categories"), scores);
        if (!verdict.isEmpty())
            reply.insert(QLatin1String("verdict"), verdict);
    }
    a.body = QJsonDocument(reply).toJson(QJsonDocument::Compact);
    return a;
}

} // namespace mythos::reference
