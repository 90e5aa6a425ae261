// What the content filter costs per message, without the network or the rest of the pipeline:
// the shipped lists, the labelled corpus (every line) and the load generator's filler line,
// each checked repeatedly. Prints CPU microseconds per check; scripts/bench.sh reports it beside the
// store scenario, since the filter runs on the event-loop thread for every accepted message.
//   bench_filter [FILTER_DIR [CORPUS_TSV [SECONDS]]]
#include "moderation/contentfilter.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <ctime>

using namespace mythos;

namespace {
// CPU time of this thread, so other work on the machine does not count.
double threadCpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// `masked` is printed, which also keeps the checks from being optimised away.
double microsPerCheck(const ContentFilter &filter, const QStringList &lines, double seconds, qint64 *checks,
                      qint64 *masked)
{
    const double start = threadCpuSeconds();
    qint64 n = 0, m = 0;
    while (threadCpuSeconds() - start < seconds) {
        for (const QString &line : lines) {
            m += filter.check(line).masked ? 1 : 0;
            ++n;
        }
    }
    *checks = n;
    *masked = m;
    return n ? (threadCpuSeconds() - start) * 1e6 / n : 0;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString dir = args.value(1, QStringLiteral(MYTHOS_SOURCE_DIR "/resources/filters"));
    const QString corpusPath = args.value(2, QStringLiteral(MYTHOS_SOURCE_DIR "/tests/data/filter_corpus.tsv"));
    const double seconds = args.value(3, QStringLiteral("3")).toDouble();

    ContentFilter filter;
    const auto problems = filter.load(dir + QStringLiteral("/profanity.txt"), dir + QStringLiteral("/allow.txt"),
                                      dir + QStringLiteral("/keywords.txt"));
    if (!problems.isEmpty() || filter.profanityEntries() == 0) {
        std::fprintf(stderr, "bench_filter: cannot load the lists in %s\n", qPrintable(dir));
        return 1;
    }
    QStringList corpus;
    QFile file(corpusPath);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        std::fprintf(stderr, "bench_filter: cannot read %s\n", qPrintable(corpusPath));
        return 1;
    }
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QString line = in.readLine();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        corpus.append(line.section(QLatin1Char('\t'), 2)); // label, category, text
    }
    // The load generator's content: 19 digits, a space, then prose (100 characters).
    const QStringList filler { QStringLiteral("1234567890123456789 We live on a placid island of ignorance in the "
                                              "midst of black seas of infinity, and") };
    qint64 corpusChecks = 0, fillerChecks = 0, corpusMasked = 0, fillerMasked = 0;
    const double corpusUs = microsPerCheck(filter, corpus, seconds, &corpusChecks, &corpusMasked);
    const double fillerUs = microsPerCheck(filter, filler, seconds, &fillerChecks, &fillerMasked);
    std::printf("filter  %lld entries, %lld expressions\n", static_cast<long long>(filter.profanityEntries()),
                static_cast<long long>(filter.keywordCount()));
    std::printf("corpus  %lld lines   %8.2f us/check  (%lld checks, %lld masked)\n",
                static_cast<long long>(corpus.size()), corpusUs, static_cast<long long>(corpusChecks),
                static_cast<long long>(corpusMasked));
    std::printf("filler  100 chars    %8.2f us/check  (%lld checks, %lld masked)\n", fillerUs,
                static_cast<long long>(fillerChecks), static_cast<long long>(fillerMasked));
    return 0;
}
