// The YAML configuration loader on any document: refused with a message, or a Config.
#include "fuzzsupport.h"

#include "config/configloader.h"

#include <cstdio>

using namespace mythos;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray yaml(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto result = configloader::parse(yaml);
    if (!result.ok())
        FUZZ_CHECK(!result.error().isEmpty());
    return 0;
}
