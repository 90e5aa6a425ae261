// The two protocols a Worker speaks over WebSocket: Mythos Chat's JSON frames and the NATS text
// protocol. Parsing is in place in the connection's buffer; sending patches per-thread templates.
#include "worker.h"

#include "bytes.h"
#include "procstats.h"
#include "wsframe.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace loadgen {

void Worker::login(Connection &c)
{
    c.state = Connection::State::LoggingIn;
    char text[512];
    if (m_plan.protocol == Protocol::Mythos) {
        // A reopened connection is a new player: the old name may still be online somewhere.
        const int n = c.generation == 0 ? std::snprintf(text, sizeof text, R"({"type":"auth","guest_name":"%s%d"})",
                                                        m_plan.namePrefix.c_str(), c.id)
                                        : std::snprintf(text, sizeof text, R"({"type":"auth","guest_name":"%s%dx%u"})",
                                                        m_plan.namePrefix.c_str(), c.id, c.generation);
        sendFrame(c, ws::Text, text, static_cast<size_t>(n));
    } else {
        // echo off: like the chat server, a sender does not get its own message back.
        const int n = std::snprintf(text, sizeof text,
                                    "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,\"lang\":\"c\","
                                    "\"version\":\"1\",\"protocol\":1,\"headers\":false}\r\nSUB %s 1\r\nPING\r\n",
                                    m_plan.subjectFor(c.room).c_str());
        sendFrame(c, ws::Binary, text, static_cast<size_t>(n));
    }
}

void Worker::processMythos(Connection &c)
{
    size_t pos = 0;
    while (c.state != Connection::State::Closed) {
        const ws::FrameHeader h = ws::parseHeader(c.in.get() + pos, c.inLength - pos);
        if (!h.complete)
            break;
        const uint64_t size = h.headerLength + h.payloadLength;
        if (size > c.inLength - pos) {
            if (size > kMaxBuffer)
                return drop(c, "frame too large");
            break; // onReadable grows the buffer when it is full
        }
        const char *payload = c.in.get() + pos + h.headerLength;
        if (h.compressed) {
            if (!m_inflater.inflate(payload, h.payloadLength, kMaxBuffer, m_inflated))
                return drop(c, "bad permessage-deflate data");
            onMythosFrame(c, h.opcode, m_inflated.data(), m_inflated.size(), h.payloadLength);
        } else {
            onMythosFrame(c, h.opcode, payload, h.payloadLength, h.payloadLength);
        }
        pos += size;
    }
    if (c.state == Connection::State::Closed)
        return;
    if (pos > 0) {
        std::memmove(c.in.get(), c.in.get() + pos, c.inLength - pos);
        c.inLength -= static_cast<uint32_t>(pos);
    }
}

void Worker::onMythosFrame(Connection &c, uint8_t opcode, const char *p, size_t n, size_t wireBytes)
{
    if (opcode == ws::Ping)
        return sendFrame(c, ws::Pong, p, n);
    if (opcode == ws::Close) {
        const unsigned code = n >= 2 ? (uint8_t(p[0]) << 8 | uint8_t(p[1])) : 0;
        char why[64];
        std::snprintf(why, sizeof why, "server closed with %u", code);
        return drop(c, why, n > 2 ? p + 2 : nullptr, n > 2 ? n - 2 : 0);
    }
    if (opcode != ws::Text)
        return;
    constexpr size_t prefix = sizeof(R"({"event_type":")") - 1;
    if (n < prefix || std::memcmp(p, R"({"event_type":")", prefix) != 0)
        return;
    const char *type = p + prefix;
    const size_t rest = n - prefix;
    if (startsWith(type, rest, "chat_message\"")) {
        onDelivery(c, p, n, wireBytes);
    } else if (startsWith(type, rest, "ack\"")) {
        onAck(c, p, n);
    } else if (startsWith(type, rest, "welcome\"")) {
        if (m_plan.rooms > 0) {
            char text[128];
            const int len =
                    std::snprintf(text, sizeof text, R"({"type":"move","room_id":"bench_zone_sub_r%d"})", c.room);
            c.state = Connection::State::Moving;
            sendFrame(c, ws::Text, text, static_cast<size_t>(len));
        } else {
            becomeReady(c);
        }
    } else if (startsWith(type, rest, "presence\"")) {
        if (c.state == Connection::State::Moving)
            becomeReady(c);
    } else if (startsWith(type, rest, "error\"")) {
        ++m_localErrors;
        if (c.state != Connection::State::Ready)
            return drop(c, "refused", p, n);
        if (c.unacked > 0)
            --c.unacked; // a refused send is answered too
        static constexpr char key[] = R"("ref":")";
        uint64_t stamp = 0;
        if (const char *at = find(p, n, key, sizeof key - 1); at && parseStamp(at + sizeof key - 1, p + n, stamp)) {
            if (const size_t second = m_shared.secondOf(stamp); second < m_shared.secondCount)
                m_shared.seconds[second].refused.fetch_add(1, std::memory_order_relaxed);
        }
        if (m_shared.reportsLeft.fetch_sub(1, std::memory_order_relaxed) > 0)
            std::fprintf(stderr, "loadgen: connection %d: %.*s\n", c.id, static_cast<int>(std::min<size_t>(n, 300)), p);
    }
}

void Worker::onDelivery(Connection &c, const char *p, size_t n, size_t wireBytes)
{
    ++m_localDelivered;
    m_localDeliveredBytes += wireBytes;
    static constexpr char key[] = R"("content":")";
    const char *at = find(p, n, key, sizeof key - 1);
    uint64_t stamp = 0;
    if (!at || !parseStamp(at + sizeof key - 1, p + n, stamp))
        return;
    const uint64_t now = monotonicNs();
    const uint64_t latency = now > stamp ? now - stamp : 0;
    if (m_shared.measuring.load(std::memory_order_relaxed))
        m_latency.record(latency);
    if (!m_shared.seconds)
        return;
    if (c.stable) {
        if (const size_t second = m_shared.secondOf(stamp); second < m_shared.secondCount)
            m_shared.seconds[second].delivered.fetch_add(1, std::memory_order_relaxed);
    }
    const uint64_t start = m_shared.sendStartNs.load(std::memory_order_relaxed);
    if (stamp >= start) {
        const size_t interval = static_cast<size_t>(static_cast<double>(stamp - start) / (m_plan.reportEveryS * 1e9));
        if (interval < m_intervalLatency.size())
            m_intervalLatency[interval].record(latency);
    }
}

void Worker::onAck(Connection &c, const char *p, size_t n)
{
    ++m_localAcks;
    if (c.unacked > 0)
        --c.unacked;
    static constexpr char refKey[] = R"("ref":")";
    const char *at = find(p, n, refKey, sizeof refKey - 1);
    uint64_t stamp = 0;
    const bool stamped = at && parseStamp(at + sizeof refKey - 1, p + n, stamp);
    if (stamped && m_shared.measuring.load(std::memory_order_relaxed)) {
        const uint64_t now = monotonicNs();
        m_ackLatency.record(now > stamp ? now - stamp : 0);
    }
    // Held by the content filter: acknowledged, but nobody receives it and history lacks it.
    static constexpr char heldKey[] = R"("held":true)";
    const bool held = find(p, n, heldKey, sizeof heldKey - 1) != nullptr;
    if (held)
        m_shared.held.fetch_add(1, std::memory_order_relaxed);
    if (stamped) {
        if (const size_t second = m_shared.secondOf(stamp); second < m_shared.secondCount) {
            SecondCounts &counts = m_shared.seconds[second];
            counts.acked.fetch_add(1, std::memory_order_relaxed);
            if (!held)
                counts.expected.fetch_add(static_cast<uint64_t>(m_plan.stableIn(c.room) - (c.stable ? 1 : 0)),
                                          std::memory_order_relaxed);
        }
    }
    if (m_shared.acked && !held) {
        static constexpr char idKey[] = R"("message_id":")";
        if (const char *id = find(p, n, idKey, sizeof idKey - 1)) {
            id += sizeof idKey - 1;
            const char *idEnd = static_cast<const char *>(std::memchr(id, '"', static_cast<size_t>(p + n - id)));
            if (idEnd) {
                m_acked += std::to_string(c.endpoint);
                m_acked += ' ';
                m_acked.append(id, static_cast<size_t>(idEnd - id));
                m_acked += '\n';
            }
        }
    }
}

void Worker::processNats(Connection &c)
{
    // nats-server cuts its protocol stream into WebSocket frames anywhere, so frames are
    // unwrapped in place into one contiguous stream at the start of the buffer, then parsed.
    char *buf = c.in.get();
    size_t raw = c.streamLength; // raw bytes always follow the decoded stream directly
    size_t stream = c.streamLength;
    while (c.state != Connection::State::Closed) {
        if (c.frameLeft > 0) {
            const size_t n = std::min<uint64_t>(c.frameLeft, c.inLength - raw);
            if (n == 0)
                break;
            if (stream != raw)
                std::memmove(buf + stream, buf + raw, n);
            stream += n;
            raw += n;
            c.frameLeft -= n;
            continue;
        }
        const ws::FrameHeader h = ws::parseHeader(buf + raw, c.inLength - raw);
        if (!h.complete)
            break;
        if (h.opcode >= ws::Close) {
            if (h.headerLength + h.payloadLength > c.inLength - raw)
                break;
            const char *payload = buf + raw + h.headerLength;
            if (h.opcode == ws::Ping)
                sendFrame(c, ws::Pong, payload, h.payloadLength);
            else if (h.opcode == ws::Close)
                return drop(c, "server closed", payload, h.payloadLength);
            raw += h.headerLength + h.payloadLength;
            continue;
        }
        raw += h.headerLength;
        c.frameLeft = h.payloadLength;
    }
    if (c.state == Connection::State::Closed)
        return;
    const size_t consumed = parseNatsStream(c, buf, stream);
    if (c.state == Connection::State::Closed)
        return;
    const size_t leftStream = stream - consumed;
    const size_t leftRaw = c.inLength - raw;
    if (consumed > 0 && leftStream > 0)
        std::memmove(buf, buf + consumed, leftStream);
    if (raw != stream || consumed > 0)
        std::memmove(buf + leftStream, buf + raw, leftRaw);
    c.streamLength = static_cast<uint32_t>(leftStream);
    c.inLength = static_cast<uint32_t>(leftStream + leftRaw);
}

size_t Worker::parseNatsStream(Connection &c, const char *data, size_t length)
{
    size_t pos = 0;
    while (pos < length) {
        const char *line = data + pos;
        const char *nl = static_cast<const char *>(std::memchr(line, '\n', length - pos));
        if (!nl)
            break;
        const size_t lineLength = static_cast<size_t>(nl - line) + 1;
        if (startsWith(line, lineLength, "MSG ")) {
            // MSG <subject> <sid> [reply-to] <#bytes>\r\n<payload>\r\n
            const char *sizeStart = nl - 1; // the '\r'
            while (sizeStart > line && sizeStart[-1] != ' ')
                --sizeStart;
            const size_t payloadLength = std::strtoul(sizeStart, nullptr, 10);
            if (pos + lineLength + payloadLength + 2 > length)
                break;
            onNatsMessage(nl + 1, payloadLength);
            pos += lineLength + payloadLength + 2;
            continue;
        }
        if (startsWith(line, lineLength, "PING")) {
            static constexpr char pong[] = "PONG\r\n";
            sendFrame(c, ws::Binary, pong, sizeof pong - 1);
            if (c.state == Connection::State::Closed)
                return pos;
        } else if (startsWith(line, lineLength, "PONG")) {
            if (c.state == Connection::State::LoggingIn)
                becomeReady(c); // CONNECT and SUB are processed in order, before this PONG
        } else if (startsWith(line, lineLength, "-ERR")) {
            ++m_localErrors;
            if (c.state != Connection::State::Ready) {
                drop(c, "refused", line, lineLength);
                return pos;
            }
            if (m_shared.reportsLeft.fetch_sub(1, std::memory_order_relaxed) > 0)
                std::fprintf(stderr, "loadgen: connection %d: %.*s", c.id, static_cast<int>(lineLength), line);
        }
        pos += lineLength; // INFO, +OK
    }
    return pos;
}

void Worker::onNatsMessage(const char *payload, size_t length)
{
    ++m_localDelivered;
    m_localDeliveredBytes += length;
    if (!m_shared.measuring.load(std::memory_order_relaxed))
        return;
    static constexpr char key[] = R"({"content":")";
    if (length > sizeof key && std::memcmp(payload, key, sizeof key - 1) == 0)
        recordLatency(payload + sizeof key - 1, payload + length, m_latency);
}

bool Worker::parseStamp(const char *digits, const char *end, uint64_t &stamp)
{
    if (end - digits < kStampDigits)
        return false;
    uint64_t value = 0;
    for (int i = 0; i < kStampDigits; ++i) {
        const unsigned d = static_cast<unsigned>(digits[i] - '0');
        if (d > 9)
            return false;
        value = value * 10 + d;
    }
    stamp = value;
    return true;
}

void Worker::recordLatency(const char *digits, const char *end, LatencyHistogram &into)
{
    uint64_t sentAt = 0;
    if (!parseStamp(digits, end, sentAt))
        return;
    const uint64_t now = monotonicNs();
    into.record(now > sentAt ? now - sentAt : 0);
}

void Worker::sendChat(Connection &c, uint64_t now)
{
    char *tpl = m_chatTemplate.data();
    writeStamp(tpl + m_stampAt[0], now);
    if (m_stampAt[1] != m_stampAt[0])
        std::memcpy(tpl + m_stampAt[1], tpl + m_stampAt[0], kStampDigits);
    if (m_plan.protocol == Protocol::Mythos) {
        ++c.unacked;
        sendFrame(c, ws::Text, tpl, m_chatTemplate.size());
    } else {
        // PUB <subject> <#bytes>\r\n<payload>\r\n as one binary frame, built in the scratch buffer.
        char head[96];
        const int n = m_plan.rooms > 0
                ? std::snprintf(head, sizeof head, "PUB chat.say.r%d %zu\r\n", c.room, m_chatTemplate.size())
                : std::snprintf(head, sizeof head, "PUB chat.%s %zu\r\n", m_plan.channel.c_str(),
                                m_chatTemplate.size());
        const size_t length = static_cast<size_t>(n) + m_chatTemplate.size() + 2;
        char *frame = m_frame.data();
        const size_t header = ws::writeHeader(frame, ws::Binary, length);
        ws::maskInto(frame + header, head, static_cast<size_t>(n));
        // The mask repeats every 4 bytes: continue it at the right phase.
        char *body = frame + header + n;
        for (size_t i = 0; i < m_chatTemplate.size(); ++i)
            body[i] = static_cast<char>(static_cast<uint8_t>(tpl[i]) ^ ws::kMask[(n + i) & 3]);
        const size_t tail = n + m_chatTemplate.size();
        body[m_chatTemplate.size()] = static_cast<char>('\r' ^ ws::kMask[tail & 3]);
        body[m_chatTemplate.size() + 1] = static_cast<char>('\n' ^ ws::kMask[(tail + 1) & 3]);
        writeRaw(c, frame, header + length);
    }
    m_shared.sent.fetch_add(1, std::memory_order_relaxed);
    if (const size_t second = m_shared.secondOf(now); second < m_shared.secondCount)
        m_shared.seconds[second].sent.fetch_add(1, std::memory_order_relaxed);
}

} // namespace loadgen
