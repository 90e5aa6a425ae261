// The text normaliser and the content filter with the word lists the server ships
// (resources/filters) on any chat message.
#include "fuzzsupport.h"

#include "moderation/contentfilter.h"
#include "moderation/textnormalizer.h"

#include <cstdio>

using namespace mythos;

namespace {
ContentFilter *filter = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    filter = new ContentFilter;
    const QString dir = QStringLiteral(MYTHOS_SOURCE_DIR "/resources/filters/");
    const auto errors = filter->load(dir + QStringLiteral("profanity.txt"), dir + QStringLiteral("allow.txt"),
                                     dir + QStringLiteral("keywords.txt"));
    if (!errors.isEmpty() || filter->profanityEntries() == 0 || filter->keywordCount() == 0) {
        fprintf(stderr, "the shipped filter lists did not load from %s\n", qPrintable(dir));
        abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; // chat messages are far smaller; longer inputs only slow the search down
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const TextNormalizer normalized(text);
    (void)normalized.normalizedText();
    for (const auto &form : normalized.forms())
        FUZZ_CHECK(form.begin >= 0 && form.begin <= form.end && form.end <= text.size());
    const FilterVerdict verdict = filter->check(text);
    // Masking replaces units one for one: the message keeps its length.
    FUZZ_CHECK(verdict.content.size() == text.size());
    return 0;
}
