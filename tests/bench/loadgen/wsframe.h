#pragma once
// RFC 6455 framing for a client: masked frames out, unmasked frames in, parsed in place.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace loadgen::ws {

enum Opcode : uint8_t { Continuation = 0, Text = 1, Binary = 2, Close = 8, Ping = 9, Pong = 10 };

// Clients must mask (RFC 6455 §5.3) and servers must unmask, which is the cost we want the
// server to pay. A fixed key is enough here: the key's unpredictability only protects
// intermediaries' caches, and there are none on loopback.
constexpr uint8_t kMask[4] = { 0x5a, 0x3c, 0x96, 0x0f };

constexpr size_t kMaxHeader = 14;

// Writes a final frame's header (mask included) and returns its length.
inline size_t writeHeader(char *out, uint8_t opcode, size_t payloadLength)
{
    auto *o = reinterpret_cast<uint8_t *>(out);
    o[0] = 0x80 | opcode;
    size_t n;
    if (payloadLength < 126) {
        o[1] = 0x80 | static_cast<uint8_t>(payloadLength);
        n = 2;
    } else if (payloadLength < 65536) {
        o[1] = 0x80 | 126;
        o[2] = static_cast<uint8_t>(payloadLength >> 8);
        o[3] = static_cast<uint8_t>(payloadLength);
        n = 4;
    } else {
        o[1] = 0x80 | 127;
        for (int i = 0; i < 8; ++i)
            o[2 + i] = static_cast<uint8_t>(static_cast<uint64_t>(payloadLength) >> (56 - 8 * i));
        n = 10;
    }
    std::memcpy(o + n, kMask, 4);
    return n + 4;
}

inline void maskInto(char *dst, const char *src, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        dst[i] = static_cast<char>(static_cast<uint8_t>(src[i]) ^ kMask[i & 3]);
}

// Builds a whole masked frame into out (room for kMaxHeader + length); returns its size.
inline size_t buildFrame(char *out, uint8_t opcode, const char *payload, size_t length)
{
    const size_t header = writeHeader(out, opcode, length);
    maskInto(out + header, payload, length);
    return header + length;
}

struct FrameHeader
{
    bool complete = false; // the header (not necessarily the payload) is all there
    bool fin = false;
    bool compressed = false; // RSV1: a permessage-deflate message
    uint8_t opcode = 0;
    size_t headerLength = 0;
    uint64_t payloadLength = 0;
};

inline FrameHeader parseHeader(const char *data, size_t available)
{
    FrameHeader h;
    if (available < 2)
        return h;
    const auto *p = reinterpret_cast<const uint8_t *>(data);
    h.fin = p[0] & 0x80;
    h.compressed = p[0] & 0x40;
    h.opcode = p[0] & 0x0f;
    const bool masked = p[1] & 0x80;
    uint64_t length = p[1] & 0x7f;
    size_t n = 2;
    if (length == 126) {
        if (available < 4)
            return h;
        length = (uint64_t(p[2]) << 8) | p[3];
        n = 4;
    } else if (length == 127) {
        if (available < 10)
            return h;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | p[2 + i];
        n = 10;
    }
    if (masked)
        n += 4; // servers never mask; tolerated (and ignored) rather than rejected
    if (available < n)
        return h;
    h.complete = true;
    h.headerLength = n;
    h.payloadLength = length;
    return h;
}

} // namespace loadgen::ws
