// An external classifier's reply, any bytes off the bus: it is read as an answer, an error or
// unreadable, never crashes, and whatever it maps to is a real action (never `listed`), with
// every score it kept between 0 and 1.
#include "fuzzsupport.h"

#include "moderation/classifieranswer.h"

using namespace mythos;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray payload = fuzz::bytes(data, size).toByteArray();
    const ParsedClassifierReply r = parseClassifierReply(payload);
    if (r.kind == ParsedClassifierReply::Kind::Unreadable) {
        FUZZ_CHECK(!r.problem.isEmpty());
        return 0;
    }
    if (r.kind == ParsedClassifierReply::Kind::ClassifierError)
        return 0;
    for (double score : r.answer.scores)
        FUZZ_CHECK(score >= 0 && score <= 1);
    FUZZ_CHECK(!r.answer.verdict || !r.answer.verdict->listed);
    ClassifierSection config;
    config.thresholds.insert(QStringLiteral("threat"), { { 0.5, parseFilterAction(QStringLiteral("hold")).value() } });
    const FilterLevel standard { QStringLiteral("standard"), {}, std::nullopt };
    const ClassifierDecision d = decide(r.answer, config, standard);
    FUZZ_CHECK(!d.action.listed);
    FUZZ_CHECK(!d.failed);
    return 0;
}
