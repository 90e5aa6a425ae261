#include "gateway/ws/wsframing.h"

#include "gateway/ws/permessagedeflate.h"

#include <QCryptographicHash>
#include <QList>

#include <algorithm>
#include <cstring>

namespace mythos::ws {

namespace {
constexpr char kGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool containsToken(const QByteArray &list, const char *token)
{
    for (const QByteArray &part : list.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

bool isKnown(Opcode opcode)
{
    switch (opcode) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong: return true;
    }
    return false;
}
} // namespace

QByteArray RequestHead::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

bool RequestHead::isWebSocketUpgrade() const
{
    return method == "GET" && upgrade.trimmed().compare("websocket", Qt::CaseInsensitive) == 0
            && containsToken(connection, "upgrade") && !key.isEmpty();
}

std::optional<RequestHead> parseHead(QByteArrayView bytes)
{
    const qsizetype end = bytes.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0)
        return std::nullopt;
    RequestHead head;
    head.length = end + 4;
    const QList<QByteArray> lines = bytes.first(end).toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    head.method = requestLine.value(0);
    head.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "upgrade")
            head.upgrade = value;
        else if (name == "connection")
            head.connection = value;
        else if (name == "sec-websocket-key")
            head.key = value;
        else if (name == "sec-websocket-version")
            head.version = value;
        else if (name == "authorization")
            head.authorization = value;
        else if (name == "sec-websocket-extensions")
            head.extensions += (head.extensions.isEmpty() ? QByteArray() : QByteArray(", ")) + value;
    }
    return head;
}

QByteArray acceptKey(QByteArrayView clientKey)
{
    return QCryptographicHash::hash(clientKey.toByteArray() + kGuid, QCryptographicHash::Sha1).toBase64();
}

QByteArray handshakeResponse(const RequestHead &head, const QByteArray &extraHeaders)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
            + acceptKey(head.key) + "\r\n" + extraHeaders + "\r\n";
}

void appendFrameHeader(QByteArray &out, Opcode opcode, quint64 payloadLength, bool compressed)
{
    char header[10];
    int n = 2;
    header[0] = static_cast<char>(0x80 | (compressed ? 0x40 : 0) | static_cast<quint8>(opcode));
    if (payloadLength < 126) {
        header[1] = static_cast<char>(payloadLength);
    } else if (payloadLength <= 0xFFFF) {
        header[1] = 126;
        header[2] = static_cast<char>(payloadLength >> 8);
        header[3] = static_cast<char>(payloadLength);
        n = 4;
    } else {
        header[1] = 127;
        for (int i = 0; i < 8; ++i)
            header[2 + i] = static_cast<char>(payloadLength >> (8 * (7 - i)));
        n = 10;
    }
    out.append(header, n);
}

void appendFrame(QByteArray &out, Opcode opcode, QByteArrayView payload)
{
    appendFrameHeader(out, opcode, static_cast<quint64>(payload.size()));
    out.append(payload);
}

QByteArray closePayload(quint16 code, const QString &reason)
{
    QByteArray payload;
    payload.append(static_cast<char>(code >> 8)).append(static_cast<char>(code & 0xFF));
    // A control frame carries at most 125 bytes; cut the reason on a character boundary.
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        qsizetype cut = 123;
        while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80)
            --cut;
        text.truncate(cut);
    }
    payload.append(text);
    return payload;
}

bool Utf8Validator::feed(QByteArrayView bytes)
{
    if (m_failed)
        return false;
    for (const char c : bytes) {
        const quint8 b = quint8(c);
        if (m_pending > 0) {
            if (b < m_low || b > m_high)
                return !(m_failed = true);
            --m_pending;
            m_low = 0x80;
            m_high = 0xBF;
            continue;
        }
        if (b < 0x80)
            continue;
        // Lead bytes; the narrowed second-byte ranges exclude overlong forms, surrogates
        // (U+D800..U+DFFF) and code points above U+10FFFF.
        if (b >= 0xC2 && b <= 0xDF) {
            m_pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            m_pending = 2;
            if (b == 0xE0)
                m_low = 0xA0;
            else if (b == 0xED)
                m_high = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            m_pending = 3;
            if (b == 0xF0)
                m_low = 0x90;
            else if (b == 0xF4)
                m_high = 0x8F;
        } else {
            return !(m_failed = true);
        }
    }
    return true;
}

qsizetype FrameDecoder::fail(quint16 code, const char *reason)
{
    m_errorCode = code;
    m_errorReason = QString::fromLatin1(reason);
    return -1;
}

bool FrameDecoder::deliver(Opcode opcode, QByteArray &&payload, bool compressed, const OnMessage &onMessage)
{
    if (!compressed) {
        onMessage(opcode, std::move(payload));
        return true;
    }
    QByteArray inflated;
    const InflateResult result = inflateMessage(payload, m_maxMessageBytes, &inflated);
    DeflateCounters &counters = deflateCounters();
    if (result == InflateResult::TooBig) {
        ++counters.inflateFailures;
        fail(TooBig, "message too big");
        return false;
    }
    if (result == InflateResult::Corrupt) {
        // RFC 7692 only says to fail the connection; 1007 says what is wrong (the data is not
        // what its frame claims), as for bad UTF-8.
        ++counters.inflateFailures;
        fail(InvalidPayload, "invalid permessage-deflate data");
        return false;
    }
    ++counters.inflated;
    Utf8Validator utf8;
    if (opcode == Opcode::Text && (!utf8.feed(inflated) || !utf8.complete())) {
        fail(InvalidPayload, "invalid UTF-8 in a text frame");
        return false;
    }
    onMessage(opcode, std::move(inflated));
    return true;
}

qsizetype FrameDecoder::feed(const char *data, qsizetype size, const OnMessage &onMessage)
{
    const auto *bytes = reinterpret_cast<const quint8 *>(data);
    qsizetype pos = 0;
    while (size - pos >= 2) {
        const quint8 b0 = bytes[pos];
        const quint8 b1 = bytes[pos + 1];
        const bool fin = b0 & 0x80;
        const auto opcode = static_cast<Opcode>(b0 & 0x0F);
        const bool rsv1 = b0 & 0x40;
        if (b0 & 0x30)
            return fail(ProtocolError, "reserved bits set");
        // RSV1 is permessage-deflate's "compressed" bit: only once negotiated, and only on the
        // first frame of a data message (RFC 7692 §6.1), never on control frames or continuations.
        if (rsv1 && (!m_deflate || (opcode != Opcode::Text && opcode != Opcode::Binary)))
            return fail(ProtocolError, "reserved bits set");
        if (!(b1 & 0x80))
            return fail(ProtocolError, "client frames must be masked");
        quint64 length = b1 & 0x7F;
        qsizetype headerSize = 2;
        if (length == 126) {
            if (size - pos < 4)
                break;
            length = (quint64(bytes[pos + 2]) << 8) | bytes[pos + 3];
            headerSize = 4;
        } else if (length == 127) {
            if (size - pos < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | bytes[pos + 2 + i];
            headerSize = 10;
        }
        if (length >> 63)
            return fail(ProtocolError, "the most significant bit of a 64-bit length must be 0");
        const bool control = static_cast<quint8>(opcode) & 0x08;
        if (control && (!fin || length > 125))
            return fail(ProtocolError, "control frames must be whole and at most 125 bytes");
        if (!isKnown(opcode))
            return fail(ProtocolError, "unknown opcode"); // before any of its payload is buffered
        // Unsigned and without overflow: a hostile length must not wrap around the check.
        if (!control && length > quint64(std::max<qint64>(0, m_maxMessageBytes - m_message.size())))
            return fail(TooBig, "message too big");
        if (size - pos < headerSize + 4 + qsizetype(length))
            break; // wait for the whole frame
        const quint8 *mask = bytes + pos + headerSize;
        const quint8 *payload = mask + 4;
        QByteArray unmasked(qsizetype(length), Qt::Uninitialized);
        char *out = unmasked.data();
        for (quint64 i = 0; i < length; ++i)
            out[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
        pos += headerSize + 4 + qsizetype(length);

        switch (opcode) {
        case Opcode::Close:
        case Opcode::Ping:
        case Opcode::Pong: onMessage(opcode, std::move(unmasked)); break;
        case Opcode::Text:
        case Opcode::Binary:
            if (m_inMessage)
                return fail(ProtocolError, "a new message started inside a fragmented one");
            // Compressed text is checked once inflated; plain text fragment by fragment.
            if (opcode == Opcode::Text && !rsv1) {
                m_utf8.reset();
                if (!m_utf8.feed(unmasked) || (fin && !m_utf8.complete()))
                    return fail(InvalidPayload, "invalid UTF-8 in a text frame");
            }
            if (fin) {
                if (!deliver(opcode, std::move(unmasked), rsv1, onMessage))
                    return -1;
            } else {
                m_inMessage = true;
                m_messageCompressed = rsv1;
                m_messageOpcode = opcode;
                m_message = std::move(unmasked);
            }
            break;
        case Opcode::Continuation:
            if (!m_inMessage)
                return fail(ProtocolError, "continuation without a message");
            // Checked before it is joined: bad bytes fail the connection on this fragment.
            if (m_messageOpcode == Opcode::Text && !m_messageCompressed
                && (!m_utf8.feed(unmasked) || (fin && !m_utf8.complete())))
                return fail(InvalidPayload, "invalid UTF-8 in a text frame");
            m_message.append(unmasked);
            if (fin) {
                m_inMessage = false;
                if (!deliver(m_messageOpcode, std::exchange(m_message, {}), m_messageCompressed, onMessage))
                    return -1;
            }
            break;
        default: return fail(ProtocolError, "unknown opcode");
        }
    }
    return pos;
}

} // namespace mythos::ws
