// The HTTP request-head parser that sorts every new gateway connection (ConnectionSorter
// peeks the first bytes and calls parseHead), and what the gateway does with a head it got.
#include "fuzzsupport.h"

#include "gateway/ws/wsframing.h"

#include <cstdio>

using namespace mythos;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto input = fuzz::bytes(data, size);
    const auto head = ws::parseHead(input);
    if (!head)
        return 0;
    FUZZ_CHECK(head->length > 0 && head->length <= input.size());
    const QByteArray path = head->path();
    FUZZ_CHECK(head->target.startsWith(path));
    if (head->isWebSocketUpgrade()) {
        const QByteArray response = ws::handshakeResponse(*head);
        FUZZ_CHECK(response.startsWith("HTTP/1.1 "));
        FUZZ_CHECK(response.endsWith("\r\n\r\n"));
    }
    return 0;
}
