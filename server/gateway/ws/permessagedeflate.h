#pragma once
// permessage-deflate (RFC 7692) for the gateway's WebSocket transport: the offer parsing and
// our answer, the compression of an event's shared bytes once for every recipient, and the
// bounded inflation of client messages. No I/O; the zlib streams are per thread.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace mythos {
class EncodedEvent;
}

namespace mythos::ws {

// What we agreed to. We always answer server_no_context_takeover (every message is an
// independent deflate stream, so one compressed form serves every recipient) and
// client_no_context_takeover (one inflater per thread serves every connection).
struct DeflateAgreement
{
    // The client's server_max_window_bits, echoed; 0 when it asked for none (we use 15).
    int serverMaxWindowBits = 0;
    // The window the compressor uses: zlib's raw deflate cannot do 8, so 8 is served with 9,
    // whose longest match distance (512 - 262 = 250 bytes) still fits the client's 256.
    int compressWindowBits() const;
};

// The first acceptable permessage-deflate offer in Sec-WebSocket-Extensions (every header line
// joined with ", "), or nullopt. An offer with an unknown, duplicate or invalid parameter is
// declined and the next one tried (RFC 7692 §5, §7.1); a bad header never fails the handshake.
std::optional<DeflateAgreement> negotiateDeflate(QByteArrayView extensions);
// The complete response header line for it, "Sec-WebSocket-Extensions: ...\r\n".
QByteArray deflateResponseHeader(const DeflateAgreement &agreement);

// Heads shorter than this are sent uncompressed (RSV1 clear): below it deflate saves a few bytes
// at best and costs more than the bytes (docs/performance.md, "permessage-deflate").
constexpr qsizetype kDeflateMinHeadBytes = 160;

// Raw deflate of `bytes` as one independent message, flushed with Z_SYNC_FLUSH and without the
// final 00 00 ff ff (RFC 7692 §7.2.1). The output therefore ends inside the header of an empty
// stored block; appendStoredTail() fills that block. Empty on a zlib failure (logged).
QByteArray deflateMessage(QByteArrayView bytes, int windowBits);
// Completes the stored block deflateMessage() left open with `bytes` (LEN, NLEN little-endian,
// the bytes; at most 65535), then opens the next empty stored block (one 0x00 byte) whose
// LEN/NLEN are the 00 00 ff ff the receiver appends. The result is a whole message payload.
void appendStoredTail(QByteArray &out, QByteArrayView bytes);
constexpr qsizetype kStoredTailOverhead = 5;

// The event's head() compressed for `windowBits`, computed on the first compressed recipient
// and cached in the event (shared by its copies). Empty when the event goes out uncompressed:
// the head is short, or compressed (with the tail's overhead) it would not be smaller.
QByteArray deflatedHead(const EncodedEvent &event, int windowBits);

enum class InflateResult { Ok, TooBig, Corrupt };
// Inflates one client message (RSV1 set): the 00 00 ff ff tail is appended here. Stops as soon
// as the output would exceed `maxBytes` (a decompression bomb never grows past the bound).
InflateResult inflateMessage(QByteArrayView compressed, qint64 maxBytes, QByteArray *out);

// Counters for /metrics. Plain integers: the transport runs on the event-loop thread only, and
// so does the metrics endpoint that reads them.
struct DeflateCounters
{
    quint64 connections = 0; // upgrades that negotiated the extension
    quint64 compressedSent = 0; // messages sent compressed
    quint64 plainSent = 0; // messages sent uncompressed on a connection that negotiated it
    quint64 bytesBefore = 0; // of the compressed messages: their uncompressed size
    quint64 bytesAfter = 0; // ...and their payload as sent
    quint64 inflated = 0; // compressed client messages inflated
    quint64 inflateFailures = 0; // corrupt or over the size bound
};
DeflateCounters &deflateCounters();

} // namespace mythos::ws
