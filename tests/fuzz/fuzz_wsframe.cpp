// The WebSocket frame decoder on client bytes, fed the way WsConnection feeds it: whatever
// arrived, the unconsumed rest kept and fed again with the next read. The first input byte
// picks the read size so frames split at every possible point are tried too.
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
    if (size < 1)
        return 0;
    const qsizetype readSize = 1 + data[0] % 64;
    const auto input = fuzz::bytes(data + 1, size - 1);

    ws::FrameDecoder decoder(4096);
    QByteArray pending; // WsConnection's m_in
    qint64 delivered = 0;
    const auto onMessage = [&](ws::Opcode opcode, QByteArray &&payload) {
        FUZZ_CHECK(opcode == ws::Opcode::Text || opcode == ws::Opcode::Binary || opcode == ws::Opcode::Close
                   || opcode == ws::Opcode::Ping || opcode == ws::Opcode::Pong);
        if (opcode == ws::Opcode::Text || opcode == ws::Opcode::Binary)
            FUZZ_CHECK(payload.size() <= 4096);
        else
            FUZZ_CHECK(payload.size() <= 125); // control frames are small by definition
        delivered += payload.size();
    };
    for (qsizetype at = 0; at < input.size(); at += readSize) {
        pending.append(input.sliced(at, std::min(readSize, input.size() - at)));
        const qsizetype used = decoder.feed(pending.constData(), pending.size(), onMessage);
        if (used < 0) {
            FUZZ_CHECK(decoder.errorCode() >= 1000);
            FUZZ_CHECK(!decoder.errorReason().isEmpty());
            break;
        }
        FUZZ_CHECK(used <= pending.size());
        pending.remove(0, used);
    }
    FUZZ_CHECK(delivered <= input.size());
    return 0;
}
