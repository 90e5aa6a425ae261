#pragma once
// RFC 6455 on bytes: the opening handshake and the framing, with no I/O. The gateway runs its
// own WebSocket transport because one QWebSocket per player costs about 19 KiB and converts
// every outgoing frame twice (measured in docs/performance.md); this is the part of the
// protocol that transport needs, kept small and testable on its own.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>

namespace mythos::ws {

enum class Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// Close codes (RFC 6455 §7.4.1).
enum CloseCode : quint16 {
    Normal = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    NoStatus = 1005,
    InvalidPayload = 1007,
    PolicyViolated = 1008,
    TooBig = 1009,
    // 1013 ("try again later") would be the registered code, but Qt 6.4's own WebSocket client
    // rejects every code from 1012 to 2999 as invalid; 4013 is in the private range all accept.
    TryAgainLater = 4013,
};

// An HTTP/1.1 request head: the request line and the headers a WebSocket server cares about.
struct RequestHead
{
    QByteArray method;
    QByteArray target; // path and query as sent
    QByteArray upgrade;
    QByteArray connection;
    QByteArray key; // Sec-WebSocket-Key
    QByteArray version; // Sec-WebSocket-Version
    QByteArray authorization;
    QByteArray extensions; // Sec-WebSocket-Extensions, every line joined with ", "
    qsizetype length = 0; // bytes up to and including the blank line

    QByteArray path() const;
    bool isWebSocketUpgrade() const;
};

// The head at the start of `bytes`, or nullopt while the blank line has not arrived.
std::optional<RequestHead> parseHead(QByteArrayView bytes);
QByteArray acceptKey(QByteArrayView clientKey);
// `extraHeaders`: complete "Name: value\r\n" lines (the extensions we agreed to).
QByteArray handshakeResponse(const RequestHead &head, const QByteArray &extraHeaders = {});

// Server frames are never masked. `compressed` sets RSV1 (a permessage-deflate message).
void appendFrameHeader(QByteArray &out, Opcode opcode, quint64 payloadLength, bool compressed = false);
void appendFrame(QByteArray &out, Opcode opcode, QByteArrayView payload);
QByteArray closePayload(quint16 code, const QString &reason);

// UTF-8 checked as it arrives (RFC 3629), so a fragmented text message can be failed on the
// fragment that carries the bad bytes (RFC 6455 §8.1) rather than when it completes. A code
// point split across two feeds is fine; complete() says whether the text ends on a boundary.
class Utf8Validator
{
public:
    // False as soon as `bytes` cannot continue valid UTF-8; the validator then stays failed.
    bool feed(QByteArrayView bytes);
    bool complete() const { return !m_failed && m_pending == 0; }
    void reset() { *this = Utf8Validator(); }

private:
    int m_pending = 0; // continuation bytes still owed by the current code point
    quint8 m_low = 0x80, m_high = 0xBF; // allowed range for the next continuation byte
    bool m_failed = false;
};

// Turns client bytes into messages: unmasks, joins fragments, inflates permessage-deflate
// messages, answers nothing itself. A protocol violation stops it with the close code to send.
class FrameDecoder
{
public:
    using OnMessage = std::function<void(Opcode opcode, QByteArray &&payload)>;

    explicit FrameDecoder(qint64 maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) { }
    // The largest message, compressed as sent and inflated alike.
    void setMaxMessageBytes(qint64 bytes) { m_maxMessageBytes = bytes; }
    // permessage-deflate was negotiated: RSV1 on the first frame of a message means compressed.
    void setDeflate(bool on) { m_deflate = on; }

    // Consumes the complete frames at the start of `data` and returns how many bytes they
    // took; the caller keeps the rest for the next call. -1 on a protocol error.
    qsizetype feed(const char *data, qsizetype size, const OnMessage &onMessage);

    quint16 errorCode() const { return m_errorCode; }
    const QString &errorReason() const { return m_errorReason; }

private:
    qsizetype fail(quint16 code, const char *reason);
    // A whole message; false (with the error set) when it is corrupt, too big or bad UTF-8.
    bool deliver(Opcode opcode, QByteArray &&payload, bool compressed, const OnMessage &onMessage);

    qint64 m_maxMessageBytes;
    QByteArray m_message; // a fragmented message being joined
    Opcode m_messageOpcode = Opcode::Text;
    bool m_inMessage = false;
    bool m_messageCompressed = false; // the message being joined had RSV1: inflated when complete
    bool m_deflate = false;
    Utf8Validator m_utf8; // the text message being joined, checked fragment by fragment
    quint16 m_errorCode = 0;
    QString m_errorReason;
};

} // namespace mythos::ws
