#include "gateway/ws/wsconnection.h"

#include "gateway/ws/permessagedeflate.h"
#include "protocol/event.h"

#include <cstdio>
#include <memory>

namespace mythos::ws {

namespace {
// Reads go through one buffer shared by every connection (the event loop is one thread); a
// connection keeps bytes of its own only for a frame that is not complete yet.
constexpr qsizetype kReadChunk = 64 * 1024;
// Reads per wake-up before another connection gets its turn.
constexpr int kReadsPerWake = 8;
// An output buffer this large is released once written; smaller ones are kept for reuse.
constexpr qsizetype kKeepOutputCapacity = 4096;
// A buffer that never drains completely (a client reading about as fast as it is written to)
// drops what it has sent once that much has gone out.
constexpr qsizetype kCompactAfter = 64 * 1024;
// Pings are answered only while the client reads what it is sent.
constexpr qint64 kPongBacklogLimit = 64 * 1024;

// RFC 6455 §5.5.1, §7.4: no body, or a code that may be sent plus a UTF-8 reason.
bool isValidClose(const QByteArray &payload)
{
    if (payload.isEmpty())
        return true;
    if (payload.size() == 1)
        return false;
    const quint16 code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
    const bool sendable =
            (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    return sendable && QByteArrayView(payload).sliced(2).isValidUtf8();
}

char *readBuffer()
{
    thread_local std::unique_ptr<char[]> buffer(new char[kReadChunk]);
    return buffer.get();
}
} // namespace

WsConnection::WsConnection(sockio::Fd fd, RequestHead head, Poller *poller, qint64 maxMessageBytes)
    : m_fd(fd), m_head(std::move(head)), m_peer(sockio::peerAddress(fd)), m_poller(poller), m_decoder(maxMessageBytes)
{
    sockio::setNonBlocking(fd);
    sockio::setNoDelay(fd);
    poller->add(fd, this);
}

WsConnection::~WsConnection()
{
    if (m_state != State::Closed) {
        m_poller->remove(m_fd, this);
        sockio::closeSocket(m_fd);
    }
}

void WsConnection::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    m_poller->flushSoon(this);
}

void WsConnection::startClosing()
{
    m_state = State::Closing;
    m_closeAfterFlush = true;
    scheduleFlush();
    if (m_handler)
        m_handler->closingStarted();
}

void WsConnection::enableDeflate(int compressWindowBits)
{
    m_deflateWindowBits = quint8(compressWindowBits);
    m_decoder.setDeflate(true);
}

void WsConnection::sendEvent(const EncodedEvent &event, quint64 sequenceNumber)
{
    if (m_state != State::Open)
        return;
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%llu}", static_cast<unsigned long long>(sequenceNumber));
    const QByteArray &head = event.head();
    if (m_deflateWindowBits) {
        DeflateCounters &counters = deflateCounters();
        const QByteArray compressed = deflatedHead(event, m_deflateWindowBits);
        if (!compressed.isEmpty()) {
            const qsizetype size = compressed.size() + kStoredTailOverhead + n;
            appendFrameHeader(m_out, Opcode::Text, static_cast<quint64>(size), true);
            m_out.append(compressed);
            appendStoredTail(m_out, QByteArrayView(digits, n));
            ++counters.compressedSent;
            counters.bytesBefore += quint64(head.size() + n);
            counters.bytesAfter += quint64(size);
            return scheduleFlush();
        }
        ++counters.plainSent;
    }
    appendFrameHeader(m_out, Opcode::Text, static_cast<quint64>(head.size() + n));
    m_out.append(head).append(digits, n);
    scheduleFlush();
}

void WsConnection::sendRaw(const QByteArray &bytes)
{
    m_out.append(bytes);
    scheduleFlush();
}

void WsConnection::queue(Opcode opcode, QByteArrayView payload)
{
    appendFrame(m_out, opcode, payload);
    scheduleFlush();
}

void WsConnection::close(quint16 code, const QString &reason)
{
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    m_closeCode = code;
    queue(Opcode::Close, closePayload(code, reason));
}

void WsConnection::abort()
{
    finish();
}

void WsConnection::sendPing()
{
    if (m_state == State::Open && pendingBytes() < kPongBacklogLimit)
        queue(Opcode::Ping, {});
}

void WsConnection::failProtocol(quint16 code, const QString &reason)
{
    // RFC 6455 §7.1.7: fail the connection; the close frame is a courtesy, then the socket goes.
    if (m_state == State::Open) {
        m_closeCode = code;
        queue(Opcode::Close, closePayload(code, reason));
    }
    startClosing();
}

void WsConnection::readable()
{
    for (int i = 0; i < kReadsPerWake && m_state != State::Closed; ++i) {
        const qsizetype n = sockio::receive(m_fd, readBuffer(), kReadChunk);
        if (n == sockio::WouldBlock)
            return;
        if (n <= 0)
            return finish(); // the peer closed or the socket failed
        m_heardFrom = true;
        if (m_closeAfterFlush)
            continue; // failed: the rest is noise
        const char *data = readBuffer();
        qsizetype size = n;
        if (!m_in.isEmpty()) {
            m_in.append(readBuffer(), n);
            data = m_in.constData();
            size = m_in.size();
        }
        const qsizetype used = m_decoder.feed(
                data, size, [this](Opcode opcode, QByteArray &&payload) { onFrame(opcode, std::move(payload)); });
        // onFrame never ends the connection itself: `data` may point into m_in.
        if (m_closeAfterFlush && pendingBytes() == 0)
            return finish();
        if (used < 0) {
            m_in.clear();
            failProtocol(m_decoder.errorCode(), m_decoder.errorReason());
            continue;
        }
        if (m_in.isEmpty()) {
            if (used < size)
                m_in = QByteArray(data + used, size - used);
        } else if (used == m_in.size()) {
            m_in.clear();
        } else {
            m_in.remove(0, used);
        }
#ifndef Q_OS_WIN
        if (n < kReadChunk)
            return; // drained (level-triggered: anything left is reported again)
#endif
        // On Windows a close is signalled only once: read on until the socket would block.
    }
}

void WsConnection::onFrame(Opcode opcode, QByteArray &&payload)
{
    switch (opcode) {
    case Opcode::Text:
    case Opcode::Binary:
        if (m_state == State::Open && m_handler)
            m_handler->messageReceived(opcode, std::move(payload));
        break;
    case Opcode::Ping:
        if (m_state == State::Open && pendingBytes() < kPongBacklogLimit)
            queue(Opcode::Pong, payload);
        break;
    case Opcode::Pong: break;
    case Opcode::Close:
        if (m_state == State::Open) {
            if (!isValidClose(payload))
                return failProtocol(ProtocolError, QStringLiteral("invalid close frame"));
            // The peer starts the closing handshake: echo its code, then let the socket go.
            m_closeCode =
                    payload.size() >= 2 ? quint16((quint8(payload[0]) << 8) | quint8(payload[1])) : quint16(NoStatus);
            queue(Opcode::Close, payload.size() >= 2 ? QByteArrayView(payload).first(2) : QByteArrayView());
            startClosing();
        } else {
            m_closeAfterFlush = true; // the answer to our close: done once our bytes are out
        }
        break;
    default: break;
    }
}

void WsConnection::writable()
{
    flush();
}

void WsConnection::flush()
{
    m_flushScheduled = false;
    if (m_state == State::Closed)
        return;
    while (m_outOffset < m_out.size()) {
        const qsizetype n = sockio::send(m_fd, m_out.constData() + m_outOffset, m_out.size() - m_outOffset);
        if (n == sockio::WouldBlock) {
            if (m_outOffset > kCompactAfter) {
                m_out.remove(0, m_outOffset);
                m_outOffset = 0;
            }
            if (!m_writeInterest) {
                m_writeInterest = true;
                m_poller->setWriteInterest(m_fd, true);
            }
            return;
        }
        if (n < 0)
            return finish();
        m_outOffset += n;
        m_bytesWritten += quint64(n);
    }
    if (m_out.capacity() > kKeepOutputCapacity)
        m_out = QByteArray();
    else
        m_out.resize(0);
    m_outOffset = 0;
    if (m_writeInterest) {
        m_writeInterest = false;
        m_poller->setWriteInterest(m_fd, false);
    }
    if (m_closeAfterFlush)
        finish();
}

void WsConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_poller->remove(m_fd, this);
    sockio::closeSocket(m_fd);
    m_in = QByteArray();
    m_out = QByteArray();
    m_outOffset = 0;
    if (m_handler)
        m_handler->connectionClosed();
}

} // namespace mythos::ws
