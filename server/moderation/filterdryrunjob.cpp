#include "moderation/filterdryrunjob.h"

#include "audit/logquery.h"
#include "config/filterleveloverlay.h"
#include "moderation/filterdryrun.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace mythos {

namespace {

const char *const kFileNames[] { "profanity.txt", "allow.txt", "keywords.txt" };
// ContentFilter::loadFromText names its problems after the list.
const char *const kTextNames[] { "profanity", "allow", "keywords" };

QString configuredPath(const ContentFilteringSection &f, int list)
{
    const QString &configured = list == 0 ? f.profanityList : list == 1 ? f.allowList : f.keywordList;
    return configured.isEmpty() ? QStringLiteral(":/mythos/filters/") + filterListFileName(list) : configured;
}

Result<QString> readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QString>::failure(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    return QString::fromUtf8(file.readAll());
}

// Loads three list texts; problems come back named by `origins` (a path, or "request").
QStringList load(ContentFilter &filter, const std::array<QString, filterListCount> &texts,
                 const std::array<QString, filterListCount> &origins, const ContentFilteringSection &f,
                 const std::array<bool, filterListCount> &report)
{
    filter.setProfanityEnabled(f.enabled && f.profanityFilter);
    filter.setKeywordsEnabled(f.enabled && f.keywordDetection);
    QStringList problems;
    for (const FilterListError &e : filter.loadFromText(texts[0], texts[1], texts[2])) {
        for (int i = 0; i < filterListCount; ++i) {
            if (e.file == QLatin1String(kTextNames[i]) && report[i])
                problems.append(QStringLiteral("%1:%2: %3").arg(origins[i]).arg(e.line).arg(e.message));
        }
    }
    return problems;
}

} // namespace

QString filterListFileName(int list)
{
    return QString::fromLatin1(kFileNames[list]);
}

Result<std::array<std::optional<CandidateList>, filterListCount>> readCandidateFolder(const QString &dir)
{
    using R = Result<std::array<std::optional<CandidateList>, filterListCount>>;
    if (!QFileInfo(dir).isDir())
        return R::failure(QStringLiteral("%1: not a folder").arg(dir));
    std::array<std::optional<CandidateList>, filterListCount> lists;
    bool any = false;
    for (int i = 0; i < filterListCount; ++i) {
        const QString path = QDir(dir).filePath(filterListFileName(i));
        if (!QFileInfo::exists(path))
            continue; // unchanged
        const auto text = readText(path);
        if (!text)
            return R::failure(text.error());
        lists[i] = CandidateList { text.value(), path };
        any = true;
    }
    if (!any)
        return R::failure(QStringLiteral("%1 holds none of profanity.txt, allow.txt, keywords.txt").arg(dir));
    return lists;
}

Result<QJsonObject> runFilterDryRun(const FilterDryRunInput &in)
{
    using R = Result<QJsonObject>;
    const Config &config = in.config;
    Config candidateConfig = config;
    if (in.levelsYaml) {
        auto applied = applyFilterLevelOverlay(*in.levelsYaml, config, in.levelsOrigin);
        if (!applied)
            return R::failure(applied.error());
        candidateConfig = applied.value();
    }

    std::array<QString, filterListCount> currentTexts, currentOrigins, candidateTexts, candidateOrigins;
    std::array<bool, filterListCount> all { true, true, true }, changed {};
    QJsonObject candidate;
    for (int i = 0; i < filterListCount; ++i) {
        currentOrigins[i] = configuredPath(config.contentFiltering, i);
        const auto text = readText(currentOrigins[i]);
        if (!text)
            return R::failure(QStringLiteral("the configured list ") + text.error());
        currentTexts[i] = text.value();
        changed[i] = in.lists[i].has_value();
        candidateTexts[i] = changed[i] ? in.lists[i]->text : currentTexts[i];
        candidateOrigins[i] = changed[i] ? in.lists[i]->origin : currentOrigins[i];
        candidate.insert(QLatin1String(kTextNames[i]), changed[i] ? QJsonValue(candidateOrigins[i]) : QJsonValue());
    }
    candidate.insert(QLatin1String("levels"), in.levelsYaml ? QJsonValue(in.levelsOrigin) : QJsonValue());

    FilterSetup current { {}, config.contentFiltering, config.channels };
    FilterSetup next { {}, candidateConfig.contentFiltering, candidateConfig.channels };
    // Bad lines in the lists in use are the running server's problem, reported but not fatal;
    // a bad line in a candidate is what the dry run is there to catch before it goes live.
    const QStringList warnings = load(current.filter, currentTexts, currentOrigins, config.contentFiltering, all);
    const QStringList problems = load(next.filter, candidateTexts, candidateOrigins, config.contentFiltering, changed);
    if (!problems.isEmpty())
        return R::failure(problems.join(QLatin1Char('\n')));

    if (!QFileInfo(config.logging.dir).isDir())
        return R::failure(QStringLiteral("no audit trail at %1 (logging.dir)").arg(config.logging.dir));
    LogQuery query;
    query.category = AuditCategory::Chat;
    query.to = in.today.isValid() ? in.today : QDateTime::currentDateTimeUtc().date();
    query.from = query.to.addDays(1 - in.days);
    query.event = QStringLiteral("message");
    // Whispers are replayed: only admins and operators at the files run a dry run, and both may
    // read them (docs/moderation.md, "Dry-run").
    FilterDryRun run(current, next, in.examples);
    const LogQueryStats stats = runLogQuery(config.logging.dir, query, [&run](const QByteArray &line) {
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            run.replay(doc.object());
        else
            run.skip();
    });

    QJsonObject report = run.report();
    report.insert(QLatin1String("from"), query.from.toString(Qt::ISODate));
    report.insert(QLatin1String("to"), query.to.toString(Qt::ISODate));
    report.insert(QLatin1String("days"), in.days);
    report.insert(QLatin1String("day_files"), stats.daysRead);
    report.insert(QLatin1String("whispers_included"), true);
    report.insert(QLatin1String("filtering_enabled"),
                  current.filter.profanityEnabled() || current.filter.keywordsEnabled());
    report.insert(QLatin1String("candidate"), candidate);
    report.insert(QLatin1String("warnings"), QJsonArray::fromStringList(warnings));
    if (run.messages() == 0)
        report.insert(
                QLatin1String("note"),
                QStringLiteral("no chat messages logged from %1 to %2 in %3")
                        .arg(query.from.toString(Qt::ISODate), query.to.toString(Qt::ISODate), config.logging.dir));
    return report;
}

} // namespace mythos
