// The HTTP body guard's reading of a request head (GatewayListener peeks the first bytes of
// each request and refuses a declared Content-Length over the cap before the body arrives).
#include "fuzzsupport.h"

#include "gateway/gatewaylistener.h"

#include <cstdio>

using namespace mythos;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray head(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const qint64 declared = declaredContentLength(head);
    // Only a Content-Length header can declare a length: without the name there is none.
    if (!head.toLower().contains("content-length:"))
        FUZZ_CHECK(declared == -1);
    return 0;
}
