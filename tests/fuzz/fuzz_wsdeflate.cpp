// permessage-deflate on client bytes, the three places they reach: the offer in
// Sec-WebSocket-Extensions, the inflation of a compressed message (a bomb must stop at the
// bound, corrupt data must be refused, never read or written out of bounds), and the frame
// decoder with the extension on (RSV1 frames, fragmented, split at every read size). The
// first byte picks the part and the read size; the rest is the input.
#include "fuzzsupport.h"

#include "gateway/ws/permessagedeflate.h"
#include "gateway/ws/wsframing.h"

#include <cstdio>

using namespace mythos;

namespace {

constexpr qint64 kMaxMessageBytes = 4096;

void fuzzOffer(QByteArrayView header)
{
    const std::optional<ws::DeflateAgreement> agreement = ws::negotiateDeflate(header);
    if (!agreement)
        return;
    const int asked = agreement->serverMaxWindowBits;
    FUZZ_CHECK(asked == 0 || (asked >= 8 && asked <= 15));
    const int used = agreement->compressWindowBits();
    FUZZ_CHECK(used >= 9 && used <= 15 && (asked == 0 || used <= std::max(asked, 9)));
    const QByteArray line = ws::deflateResponseHeader(*agreement);
    FUZZ_CHECK(line.startsWith("Sec-WebSocket-Extensions: permessage-deflate") && line.endsWith("\r\n"));
    FUZZ_CHECK(line.count('\n') == 1); // nothing from the offer is echoed into our headers
}

void fuzzInflate(QByteArrayView compressed)
{
    QByteArray out;
    const ws::InflateResult result = ws::inflateMessage(compressed, kMaxMessageBytes, &out);
    if (result == ws::InflateResult::Ok) {
        FUZZ_CHECK(out.size() <= kMaxMessageBytes);
        // What we inflate, our compressor must give back unchanged (the players' direction).
        QByteArray again = ws::deflateMessage(out, 15);
        FUZZ_CHECK(!again.isEmpty() || out.isEmpty());
        if (!again.isEmpty()) {
            ws::appendStoredTail(again, {});
            QByteArray roundTrip;
            FUZZ_CHECK(ws::inflateMessage(again, kMaxMessageBytes, &roundTrip) == ws::InflateResult::Ok);
            FUZZ_CHECK(roundTrip == out);
        }
    }
}

void fuzzFrames(QByteArrayView input, qsizetype readSize)
{
    ws::FrameDecoder decoder(kMaxMessageBytes);
    decoder.setDeflate(true);
    QByteArray pending; // WsConnection's m_in
    const auto onMessage = [&](ws::Opcode opcode, QByteArray &&payload) {
        if (opcode == ws::Opcode::Text || opcode == ws::Opcode::Binary)
            FUZZ_CHECK(payload.size() <= kMaxMessageBytes); // inflated, still within the bound
        else
            FUZZ_CHECK(payload.size() <= 125);
    };
    for (qsizetype at = 0; at < input.size(); at += readSize) {
        pending.append(input.sliced(at, std::min(readSize, input.size() - at)));
        const qsizetype used = decoder.feed(pending.constData(), pending.size(), onMessage);
        if (used < 0) {
            FUZZ_CHECK(decoder.errorCode() >= 1000 && !decoder.errorReason().isEmpty());
            break;
        }
        FUZZ_CHECK(used <= pending.size());
        pending.remove(0, used);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const auto input = fuzz::bytes(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0: fuzzOffer(input); break;
    case 1: fuzzInflate(input); break;
    default: fuzzFrames(input, 1 + (data[0] / 3) % 64); break;
    }
    return 0;
}
