#pragma once
// What every fuzz target shares: a QCoreApplication for code that needs one, and Qt's own
// warnings silenced (a fuzzer feeds nothing but bad input; logging each refusal would only
// slow it down).

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>

namespace mythos::fuzz {

inline void initQt(int *argc, char ***argv)
{
    static QCoreApplication *app = nullptr;
    if (!app)
        app = new QCoreApplication(*argc, *argv); // lives as long as the process
    QLoggingCategory::setFilterRules(QStringLiteral("*=false"));
}

inline QByteArrayView bytes(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

} // namespace mythos::fuzz

// A failed invariant is a finding: abort so libFuzzer saves the input.
#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                             \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)
