// filterDryRunText (moderation/filterdryrunjob.h): the dry-run report as an operator reads it
// in a terminal; the JSON form (--format json) carries the same facts.
#include "moderation/filterdryrun.h"
#include "moderation/filterdryrunjob.h"

#include <QJsonArray>

namespace mythos {

namespace {

QString number(const QJsonObject &o, const char *key)
{
    return QString::number(qint64(o.value(QLatin1String(key)).toDouble()));
}

QString outcomeWords(const QJsonObject &side)
{
    QStringList words;
    for (const char *key : { "masked", "flagged", "held" }) {
        if (side.value(QLatin1String(key)).toBool())
            words << QLatin1String(key);
    }
    return words.isEmpty() ? QStringLiteral("delivered as written") : words.join(QStringLiteral(", "));
}

void appendSide(QString &out, const char *label, const QJsonObject &side)
{
    out += QStringLiteral("      %1 %2  [%3]\n")
                   .arg(QLatin1String(label), side.value(QLatin1String("content")).toString(), outcomeWords(side));
    for (const QJsonValue &m : side.value(QLatin1String("matched")).toArray())
        out += QStringLiteral("             %1\n").arg(m.toString());
}

QString candidateLine(const QJsonObject &candidate)
{
    QStringList parts;
    for (const char *key : { "profanity", "allow", "keywords", "levels" }) {
        const QJsonValue v = candidate.value(QLatin1String(key));
        parts << (v.isString() ? QStringLiteral("%1 from %2").arg(QLatin1String(key), v.toString())
                               : QStringLiteral("%1 unchanged").arg(QLatin1String(key)));
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

QString filterDryRunText(const QJsonObject &r)
{
    QString out;
    out += QStringLiteral("filter dry-run: chat from %1 to %2 (%3 days, %4 day files), %5 messages replayed, "
                          "whispers included\n")
                   .arg(r.value(QLatin1String("from")).toString(), r.value(QLatin1String("to")).toString(),
                        number(r, "days"), number(r, "day_files"), number(r, "messages"));
    out += QStringLiteral("candidate: %1\n").arg(candidateLine(r.value(QLatin1String("candidate")).toObject()));
    if (r.contains(QLatin1String("note")))
        out += QStringLiteral("note: %1\n").arg(r.value(QLatin1String("note")).toString());
    if (!r.value(QLatin1String("filtering_enabled")).toBool())
        out += QStringLiteral("note: content filtering is disabled in this configuration\n");
    for (const QJsonValue &w : r.value(QLatin1String("warnings")).toArray())
        out += QStringLiteral("warning (lists in use): %1\n").arg(w.toString());
    out += QStringLiteral("%1 messages would change\n\n").arg(number(r, "changed"));

    const QJsonObject outcomes = r.value(QLatin1String("outcomes")).toObject();
    out += QStringLiteral("%1 %2 %3 %4 %5\n")
                   .arg(QStringLiteral("outcome"), -10)
                   .arg(QStringLiteral("before"), 8)
                   .arg(QStringLiteral("after"), 8)
                   .arg(QStringLiteral("newly"), 8)
                   .arg(QStringLiteral("no longer"), 10);
    for (int o = 0; o < FilterDryRun::outcomeCount; ++o) {
        const QJsonObject c = outcomes.value(dryRunOutcomeName(o)).toObject();
        out += QStringLiteral("%1 %2 %3 %4 %5\n")
                       .arg(dryRunOutcomeName(o), -10)
                       .arg(number(c, "before"), 8)
                       .arg(number(c, "after"), 8)
                       .arg(number(c, "newly"), 8)
                       .arg(number(c, "no_longer"), 10);
    }
    const QJsonObject categories = r.value(QLatin1String("categories")).toObject();
    if (!categories.isEmpty()) {
        out += QStringLiteral("\nby category (newly / no longer):\n");
        for (auto it = categories.begin(); it != categories.end(); ++it) {
            QStringList cells;
            for (int o = 0; o < FilterDryRun::outcomeCount; ++o) {
                const QJsonObject c = it.value().toObject().value(dryRunOutcomeName(o)).toObject();
                cells << QStringLiteral("%1 +%2 -%3")
                                 .arg(dryRunOutcomeName(o), number(c, "newly"), number(c, "no_longer"));
            }
            out += QStringLiteral("  %1 %2\n").arg(it.key(), -14).arg(cells.join(QStringLiteral("   ")));
        }
    }
    const QJsonObject examples = r.value(QLatin1String("examples")).toObject();
    for (int o = 0; o < FilterDryRun::outcomeCount; ++o) {
        const QJsonObject buckets = examples.value(dryRunOutcomeName(o)).toObject();
        for (const char *direction : { "newly", "no_longer" }) {
            const QJsonArray list = buckets.value(QLatin1String(direction)).toArray();
            if (list.isEmpty())
                continue;
            const QString title = QLatin1String(direction) == QLatin1String("newly") ? QStringLiteral("newly %1")
                                                                                     : QStringLiteral("no longer %1");
            out += QStringLiteral("\n%1 (%2 of %3):\n")
                           .arg(title.arg(dryRunOutcomeName(o)))
                           .arg(list.size())
                           .arg(number(outcomes.value(dryRunOutcomeName(o)).toObject(), direction));
            for (const QJsonValue &v : list) {
                const QJsonObject e = v.toObject();
                out += QStringLiteral("  %1 %2 %3 (%4) %5\n")
                               .arg(e.value(QLatin1String("ts")).toString(),
                                    e.value(QLatin1String("channel")).toString(),
                                    e.value(QLatin1String("sender_name")).toString(),
                                    e.value(QLatin1String("sender_id")).toString(),
                                    e.value(QLatin1String("message_id")).toString());
                out += QStringLiteral("      written: %1\n").arg(e.value(QLatin1String("content")).toString());
                appendSide(out, "before: ", e.value(QLatin1String("before")).toObject());
                appendSide(out, "after:  ", e.value(QLatin1String("after")).toObject());
            }
        }
    }
    return out;
}

} // namespace mythos
