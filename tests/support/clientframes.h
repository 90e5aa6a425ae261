#pragma once
// A WebSocket frame as a client sends it (RFC 6455 §5.2: masked, any length class), for the
// tests that feed the gateway's decoder bytes directly.

#include <QByteArray>

namespace mythos::test {

// `firstByte`: FIN (0x80), RSV1-3 (0x40, 0x20, 0x10) and the opcode, as they go on the wire.
inline QByteArray maskedClientFrame(quint8 firstByte, const QByteArray &payload, quint32 mask)
{
    QByteArray out;
    out.append(static_cast<char>(firstByte));
    const qsizetype n = payload.size();
    if (n < 126) {
        out.append(static_cast<char>(0x80 | n));
    } else if (n <= 0xFFFF) {
        out.append(static_cast<char>(0x80 | 126)).append(static_cast<char>(n >> 8)).append(static_cast<char>(n & 0xFF));
    } else {
        out.append(static_cast<char>(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            out.append(static_cast<char>((quint64(n) >> (8 * i)) & 0xFF));
    }
    const char m[4] = { char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask) };
    out.append(m, 4);
    for (qsizetype i = 0; i < n; ++i)
        out.append(static_cast<char>(payload[i] ^ m[i & 3]));
    return out;
}

} // namespace mythos::test
