#include "app/filterdryruncommand.h"

#include "moderation/filterdryrunjob.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cstdio>

namespace mythos {

namespace {

void printErr(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

// A whole number in min..max, or nullopt.
std::optional<int> boundedNumber(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok && value >= min && value <= max ? std::optional(value) : std::nullopt;
}

} // namespace

void addFilterDryRunOptions(QCommandLineParser &p)
{
    p.addOption({ QStringLiteral("lists"),
                  QStringLiteral("filter-dry-run: folder of candidate profanity.txt, allow.txt, keywords.txt "
                                 "(a missing file: unchanged)."),
                  QStringLiteral("DIR") });
    p.addOption({ QStringLiteral("levels"),
                  QStringLiteral("filter-dry-run: YAML with candidate chat.content_filtering.levels/default_level "
                                 "and chat.channels.<name>.filter_level."),
                  QStringLiteral("FILE") });
    p.addOption({ QStringLiteral("days"),
                  QStringLiteral("filter-dry-run: replay today and the N-1 days before (1-366)."), QStringLiteral("N"),
                  QStringLiteral("7") });
    p.addOption({ QStringLiteral("examples"),
                  QStringLiteral("filter-dry-run: examples per outcome and direction (0-100)."), QStringLiteral("K"),
                  QStringLiteral("5") });
}

int runFilterDryRunCommand(const QCommandLineParser &p, const Config &config)
{
    // The filter logs each load and each bad line for the server's log; here the problems are
    // printed once, as `file:line: message`, and the loads are noise.
    QLoggingCategory::setFilterRules(
            QStringLiteral("mythos.server.filter.info=false\nmythos.server.filter.warning=false"));
    FilterDryRunInput input;
    input.config = config;
    QStringList problems;
    const auto days = boundedNumber(p.value(QStringLiteral("days")), 1, 366);
    const auto examples = boundedNumber(p.value(QStringLiteral("examples")), 0, 100);
    // --format defaults to json for `logs`; a person reading a dry run wants text.
    const QString format =
            p.isSet(QStringLiteral("format")) ? p.value(QStringLiteral("format")) : QStringLiteral("text");
    if (!days)
        problems << QStringLiteral("--days must be a whole number from 1 to 366");
    if (!examples)
        problems << QStringLiteral("--examples must be a whole number from 0 to 100");
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        problems << QStringLiteral("--format must be text or json, not '%1'").arg(format);
    if (!p.isSet(QStringLiteral("lists")) && !p.isSet(QStringLiteral("levels")))
        problems << QStringLiteral("give --lists DIR, --levels FILE or both");
    if (!problems.isEmpty()) {
        printErr(QStringLiteral("filter-dry-run: ") + problems.join(QStringLiteral("; ")));
        return 1;
    }
    input.days = *days;
    input.examples = *examples;
    if (p.isSet(QStringLiteral("lists"))) {
        const auto lists = readCandidateFolder(p.value(QStringLiteral("lists")));
        if (!lists) {
            printErr(QStringLiteral("filter-dry-run: ") + lists.error());
            return 1;
        }
        input.lists = lists.value();
    }
    if (p.isSet(QStringLiteral("levels"))) {
        input.levelsOrigin = p.value(QStringLiteral("levels"));
        QFile file(input.levelsOrigin);
        if (!file.open(QIODevice::ReadOnly)) {
            printErr(QStringLiteral("filter-dry-run: %1: cannot read: %2").arg(input.levelsOrigin, file.errorString()));
            return 1;
        }
        input.levelsYaml = file.readAll();
    }
    const auto report = runFilterDryRun(input);
    if (!report) {
        // One problem a line, each prefixed, so `file:line:` stays at the start for editors.
        for (const QString &line : report.error().split(QLatin1Char('\n')))
            printErr(QStringLiteral("filter-dry-run: ") + line);
        return 1;
    }
    if (format == QLatin1String("json"))
        std::printf("%s\n", QJsonDocument(report.value()).toJson(QJsonDocument::Compact).constData());
    else
        std::fputs(filterDryRunText(report.value()).toUtf8().constData(), stdout);
    return 0;
}

} // namespace mythos
