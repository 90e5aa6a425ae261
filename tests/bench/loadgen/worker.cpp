// Worker: sockets, epoll, connection lifecycle, buffering and the send schedule.
#include "worker.h"

#include "bytes.h"
#include "procstats.h"
#include "wsframe.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

namespace {

constexpr uint32_t kInitialBuffer = 16 * 1024;
constexpr int kMaxSendsPerTurn = 256;

// Ordinary chat text; long enough to be cut to any payload size, nothing a profanity list masks.
constexpr const char kFiller[] =
        "The most merciful thing in the world is the inability of the human mind to correlate all its contents. "
        "We live on a placid island of ignorance in the midst of black seas of infinity, and it was not meant that "
        "we should voyage far. ";

std::string filler(size_t length)
{
    std::string text;
    while (text.size() < length)
        text += kFiller;
    text.resize(length);
    if (!text.empty() && text.back() == ' ')
        text.back() = '.'; // the server trims content; keep the length we asked for
    return text;
}

} // namespace

Shared::Shared(const Plan &p) : plan(p)
{
    if (p.reportEveryS > 0) {
        // Late deliveries are counted where their message was sent, so the drain is covered too.
        const double span = p.warmupS + p.durationS + p.drainS;
        secondCount = static_cast<size_t>(span) + 2;
        seconds.reset(new SecondCounts[secondCount]);
        intervalCount = static_cast<size_t>(span / p.reportEveryS) + 2;
    }
    if (!p.ackedFile.empty())
        acked = std::fopen(p.ackedFile.c_str(), "w");
}

Shared::~Shared()
{
    if (acked)
        std::fclose(acked);
}

size_t Shared::secondOf(uint64_t stampNs) const
{
    const uint64_t start = sendStartNs.load(std::memory_order_relaxed);
    if (!seconds || start == 0 || stampNs < start)
        return secondCount;
    const uint64_t second = (stampNs - start) / 1000000000ull;
    return second < secondCount ? static_cast<size_t>(second) : secondCount;
}

Worker::Worker(int index, Shared &shared, std::vector<int> connectionIds)
    : m_index(index), m_shared(shared), m_plan(shared.plan)
{
    m_connections.resize(connectionIds.size());
    for (size_t i = 0; i < connectionIds.size(); ++i) {
        Connection &c = m_connections[i];
        c.id = connectionIds[i];
        c.room = m_plan.rooms > 0 ? c.id % m_plan.rooms : 0;
        // Members of one room alternate between endpoints, so room traffic crosses instances.
        const int spread = m_plan.rooms > 0 ? c.id / m_plan.rooms : c.id;
        c.endpoint = static_cast<uint16_t>(spread % static_cast<int>(m_plan.endpoints.size()));
        c.sender = c.id < m_plan.senders;
        if (c.sender)
            m_senders.push_back(static_cast<int>(i));
        c.stable = c.id < m_plan.stable();
        if (c.stable)
            ++m_stableTotal;
        else
            m_churners.push_back(static_cast<uint32_t>(i));
    }
    if (m_plan.churnPool > 0)
        m_churnRate = m_plan.churnPerS * static_cast<double>(m_churners.size()) / m_plan.churnPool;
    m_intervalLatency.resize(m_shared.intervalCount);
    m_random ^= static_cast<uint64_t>(index + 1) * 0xbf58476d1ce4e5b9ull;
    m_maxInProgress = std::max(1, m_plan.connectConcurrency / m_plan.threads);
    if (m_plan.senders > 0)
        m_rate = m_plan.rate * static_cast<double>(m_senders.size()) / m_plan.senders;

    const std::string text = filler(static_cast<size_t>(m_plan.payload));
    if (m_plan.protocol == Protocol::Mythos) {
        // content = 19 digits, a space, filler: `payload` characters in all.
        const std::string channel = m_plan.rooms > 0 ? "say" : m_plan.channel;
        m_chatTemplate = R"({"type":"send","channel":")" + channel + R"(","content":")";
        m_stampAt[0] = m_chatTemplate.size();
        m_chatTemplate += std::string(kStampDigits, '0') + " " + text.substr(0, m_plan.payload - kStampDigits - 1);
        m_chatTemplate += R"(","ref":")";
        m_stampAt[1] = m_chatTemplate.size();
        m_chatTemplate += std::string(kStampDigits, '0') + R"("})";
    } else {
        // The whole payload is `payload` bytes: {"content":"<digits> <filler>"}
        m_chatTemplate = R"({"content":")";
        m_stampAt[0] = m_chatTemplate.size();
        m_chatTemplate += std::string(kStampDigits, '0') + " ";
        m_chatTemplate += text.substr(0, m_plan.payload - m_chatTemplate.size() - 2) + R"("})";
        m_stampAt[1] = m_stampAt[0];
    }
    m_frame.resize(m_chatTemplate.size() + 256 + ws::kMaxHeader);
}

Worker::~Worker()
{
    join();
}

void Worker::start()
{
    m_thread = std::thread([this] { run(); });
}

void Worker::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void Worker::run()
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event events[512];
    while (!m_shared.stop.load(std::memory_order_relaxed)) {
        openMore();
        if (!m_reopening.empty())
            reopenDue(monotonicNs());
        const bool sending = m_shared.sending.load(std::memory_order_relaxed);
        const int timeoutMs = sending ? 1 : (m_nextOpen < m_connections.size() || m_inProgress > 0 ? 5 : 20);
        const int n = epoll_wait(m_epoll, events, 512, timeoutMs);
        for (int i = 0; i < n; ++i)
            onEvents(m_connections[events[i].data.u32], events[i].events);
        if (sending) {
            if (!m_wasSending) {
                m_wasSending = true;
                m_sentThisRun = 0;
                m_churnedThisRun = 0;
            }
            const uint64_t now = monotonicNs();
            sendDue(now);
            if (m_churnRate > 0)
                churnDue(now);
            // A stable receiver that is not there makes this second's deliveries incomplete.
            if (m_stableReady < m_stableTotal && m_shared.seconds) {
                const size_t second = m_shared.secondOf(now);
                if (second < m_shared.secondCount)
                    m_shared.seconds[second].down.store(1, std::memory_order_relaxed);
            }
        } else {
            m_wasSending = false;
        }
        flushCounters();
        flushAcked(false);
    }
    flushCounters();
    flushAcked(true);
    // Reset instead of FIN: no TIME_WAIT, so the next scenario has every ephemeral port back.
    const linger hardClose { 1, 0 };
    for (Connection &c : m_connections) {
        if (c.fd >= 0) {
            setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &hardClose, sizeof hardClose);
            close(c.fd);
            c.fd = -1;
        }
    }
    close(m_epoll);
}

void Worker::flushCounters()
{
    if (m_localDelivered) {
        m_shared.delivered.fetch_add(m_localDelivered, std::memory_order_relaxed);
        m_localDelivered = 0;
        m_shared.deliveredBytes.fetch_add(m_localDeliveredBytes, std::memory_order_relaxed);
        m_localDeliveredBytes = 0;
    }
    if (m_localAcks) {
        m_shared.acks.fetch_add(m_localAcks, std::memory_order_relaxed);
        m_localAcks = 0;
    }
    if (m_localErrors) {
        m_shared.errors.fetch_add(m_localErrors, std::memory_order_relaxed);
        m_localErrors = 0;
    }
    if (m_skipped) {
        m_shared.blocked.fetch_add(m_skipped, std::memory_order_relaxed);
        m_skipped = 0;
    }
}

void Worker::flushAcked(bool force)
{
    if (!m_shared.acked || m_acked.empty() || (!force && m_acked.size() < (1u << 20)))
        return;
    std::lock_guard<std::mutex> lock(m_shared.ackedMutex);
    std::fwrite(m_acked.data(), 1, m_acked.size(), m_shared.acked);
    m_acked.clear();
}

void Worker::openMore()
{
    while (m_inProgress < m_maxInProgress && m_nextOpen < m_connections.size())
        open(m_connections[m_nextOpen++]);
}

void Worker::open(Connection &c)
{
    const Endpoint &e = m_plan.endpoints[c.endpoint];
    ++m_inProgress; // until ready or dropped
    c.state = Connection::State::Connecting;
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0)
        return drop(c, "socket", std::strerror(errno), std::strlen(std::strerror(errno)));
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(e.port);
    inet_pton(AF_INET, e.host.c_str(), &addr.sin_addr);
    if (connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 && errno != EINPROGRESS)
        return drop(c, "connect", std::strerror(errno), std::strlen(std::strerror(errno)));
    c.in.reset(new char[kInitialBuffer]);
    c.inCapacity = kInitialBuffer;
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u32 = static_cast<uint32_t>(&c - m_connections.data());
    c.writeArmed = true;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev);
}

void Worker::armWrite(Connection &c, bool on)
{
    if (c.writeArmed == on || c.fd < 0)
        return;
    c.writeArmed = on;
    epoll_event ev {};
    ev.events = on ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(&c - m_connections.data());
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
}

void Worker::drop(Connection &c, const char *why, const char *detail, size_t detailLength)
{
    if (c.state == Connection::State::Closed)
        return;
    const bool wasReady = c.state == Connection::State::Ready;
    if (wasReady) {
        m_shared.closed.fetch_add(1, std::memory_order_relaxed);
        m_shared.readyNow.fetch_sub(1, std::memory_order_relaxed);
        if (c.stable)
            --m_stableReady;
    } else {
        m_shared.failed.fetch_add(1, std::memory_order_relaxed);
        --m_inProgress;
    }
    if (m_shared.reportsLeft.fetch_sub(1, std::memory_order_relaxed) > 0)
        std::fprintf(stderr, "loadgen: connection %d: %s%s%.*s\n", c.id, why, detail ? ": " : "",
                     static_cast<int>(std::min<size_t>(detailLength, 300)), detail ? detail : "");
    c.state = Connection::State::Closed;
    if (c.fd >= 0) {
        close(c.fd);
        c.fd = -1;
    }
    // The buffers stay until the worker ends (or reopens it): a caller up the stack may still
    // be parsing them.
    c.out.clear();
    if (m_plan.reconnect && !m_shared.stop.load(std::memory_order_relaxed))
        scheduleReopen(c, monotonicNs(), !wasReady);
}

void Worker::leave(Connection &c)
{
    // A player who quits: a close frame, then the socket is closed without waiting for the echo.
    static constexpr char normal[] = { '\x03', '\xe8' }; // 1000
    sendFrame(c, ws::Close, normal, sizeof normal);
    if (c.state == Connection::State::Closed)
        return; // the send failed and dropped it (and scheduled the reopen)
    c.state = Connection::State::Closed;
    m_shared.readyNow.fetch_sub(1, std::memory_order_relaxed);
    m_shared.churned.fetch_add(1, std::memory_order_relaxed);
    if (c.stable)
        --m_stableReady;
    close(c.fd);
    c.fd = -1;
    c.out.clear();
    scheduleReopen(c, monotonicNs(), false);
}

void Worker::scheduleReopen(Connection &c, uint64_t now, bool failed)
{
    // Backoff while the server stays away (0.5, 1, 2, 4 s by default), with jitter, so a
    // restarting instance is not met by a storm of attempts in lockstep.
    if (!failed)
        c.failures = 0;
    else if (c.failures < 3)
        ++c.failures;
    m_random ^= m_random << 13;
    m_random ^= m_random >> 7;
    m_random ^= m_random << 17;
    const double jitter = 0.75 + static_cast<double>(m_random % 1000) / 2000.0;
    const double delay = m_plan.reconnectDelayS * static_cast<double>(1u << c.failures) * jitter;
    c.reopenAtNs = now + static_cast<uint64_t>(delay * 1e9);
    m_reopening.push_back(static_cast<uint32_t>(&c - m_connections.data()));
}

void Worker::reopenDue(uint64_t now)
{
    for (size_t i = 0; i < m_reopening.size() && m_inProgress < m_maxInProgress;) {
        Connection &c = m_connections[m_reopening[i]];
        if (c.reopenAtNs > now) {
            ++i;
            continue;
        }
        m_reopening[i] = m_reopening.back();
        m_reopening.pop_back();
        // Nothing parses this connection's buffers now: they can start over.
        c.inLength = 0;
        c.streamLength = 0;
        c.frameLeft = 0;
        c.unacked = 0;
        c.out.clear();
        ++c.generation;
        c.state = Connection::State::Pending;
        m_shared.reconnects.fetch_add(1, std::memory_order_relaxed);
        open(c);
    }
}

void Worker::churnDue(uint64_t now)
{
    const uint64_t start = m_shared.sendStartNs.load(std::memory_order_relaxed);
    const double elapsed = now > start ? static_cast<double>(now - start) / 1e9 : 0;
    const uint64_t target = static_cast<uint64_t>(elapsed * m_churnRate);
    for (; m_churnedThisRun < target; ++m_churnedThisRun) {
        // A random member of the pool that is in; one still rejoining is not picked twice.
        for (int tries = 0; tries < 8; ++tries) {
            m_random ^= m_random << 13;
            m_random ^= m_random >> 7;
            m_random ^= m_random << 17;
            Connection &c = m_connections[m_churners[m_random % m_churners.size()]];
            if (c.state == Connection::State::Ready) {
                leave(c);
                break;
            }
        }
    }
}

void Worker::onEvents(Connection &c, uint32_t events)
{
    if (c.state == Connection::State::Closed)
        return;
    if (c.state == Connection::State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            return drop(c, "connect", std::strerror(error), std::strlen(std::strerror(error)));
        if (!(events & (EPOLLOUT | EPOLLIN)))
            return;
        const Endpoint &e = m_plan.endpoints[c.endpoint];
        char request[512];
        const int n =
                std::snprintf(request, sizeof request,
                              "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
                              e.path.c_str(), e.host.c_str(), e.port,
                              m_plan.deflate ? "Sec-WebSocket-Extensions: permessage-deflate; "
                                               "server_no_context_takeover; client_no_context_takeover\r\n"
                                             : "");
        c.state = Connection::State::Upgrading;
        writeRaw(c, request, static_cast<size_t>(n));
        if (c.out.empty())
            armWrite(c, false);
        return;
    }
    if (events & EPOLLOUT)
        onWritable(c);
    if (c.state != Connection::State::Closed && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        onReadable(c);
}

void Worker::onWritable(Connection &c)
{
    while (!c.out.empty()) {
        const ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            return drop(c, "send", std::strerror(errno), std::strlen(std::strerror(errno)));
        }
        c.out.erase(0, static_cast<size_t>(n));
    }
    armWrite(c, false);
}

void Worker::writeRaw(Connection &c, const char *data, size_t length)
{
    if (c.fd < 0)
        return;
    if (c.out.empty()) {
        const ssize_t n = send(c.fd, data, length, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return drop(c, "send", std::strerror(errno), std::strlen(std::strerror(errno)));
        const size_t written = n > 0 ? static_cast<size_t>(n) : 0;
        if (written == length)
            return;
        data += written;
        length -= written;
    }
    c.out.append(data, length);
    armWrite(c, true);
}

void Worker::sendFrame(Connection &c, uint8_t opcode, const char *payload, size_t length)
{
    if (m_frame.size() < length + ws::kMaxHeader)
        m_frame.resize(length + ws::kMaxHeader);
    writeRaw(c, m_frame.data(), ws::buildFrame(m_frame.data(), opcode, payload, length));
}

void Worker::onReadable(Connection &c)
{
    if (c.inLength == c.inCapacity) {
        if (c.inCapacity >= kMaxBuffer)
            return drop(c, "receive buffer limit reached");
        const uint32_t bigger = c.inCapacity * 2;
        std::unique_ptr<char[]> grown(new char[bigger]);
        std::memcpy(grown.get(), c.in.get(), c.inLength);
        c.in = std::move(grown);
        c.inCapacity = bigger;
    }
    const ssize_t n = recv(c.fd, c.in.get() + c.inLength, c.inCapacity - c.inLength, 0);
    if (n == 0)
        return drop(c, "closed by the server");
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        return drop(c, "recv", std::strerror(errno), std::strlen(std::strerror(errno)));
    }
    c.inLength += static_cast<uint32_t>(n);
    if (c.state == Connection::State::Upgrading && !takeUpgradeResponse(c))
        return;
    if (m_plan.protocol == Protocol::Mythos)
        processMythos(c);
    else
        processNats(c);
}

bool Worker::takeUpgradeResponse(Connection &c)
{
    const char *data = c.in.get();
    const char *end = find(data, c.inLength, "\r\n\r\n", 4);
    if (!end) {
        if (c.inLength > 8192)
            drop(c, "no end of the upgrade response");
        return false;
    }
    const size_t headerLength = static_cast<size_t>(end + 4 - data);
    if (!startsWith(data, c.inLength, "HTTP/1.1 101")) {
        drop(c, "upgrade refused", data, headerLength);
        return false;
    }
    // Asked for and not agreed: the run would not measure what it says.
    if (m_plan.deflate && !find(data, headerLength, "permessage-deflate", 18)) {
        drop(c, "permessage-deflate not negotiated", data, headerLength);
        return false;
    }
    std::memmove(c.in.get(), data + headerLength, c.inLength - headerLength);
    c.inLength -= static_cast<uint32_t>(headerLength);
    if (!m_plan.login) {
        becomeReady(c);
        return true;
    }
    login(c);
    return c.state != Connection::State::Closed;
}

void Worker::becomeReady(Connection &c)
{
    c.state = Connection::State::Ready;
    --m_inProgress;
    m_shared.ready.fetch_add(1, std::memory_order_relaxed);
    m_shared.readyNow.fetch_add(1, std::memory_order_relaxed);
    if (c.stable)
        ++m_stableReady;
}

Connection *Worker::nextSender()
{
    for (size_t tries = 0; tries < m_senders.size(); ++tries) {
        Connection &c = m_connections[m_senders[m_senderCursor]];
        if (++m_senderCursor == m_senders.size())
            m_senderCursor = 0;
        // A sender whose socket is full, or with its acknowledgement window used up, waits.
        if (c.state == Connection::State::Ready && c.out.empty()
            && (m_plan.ackWindow <= 0 || c.unacked < static_cast<uint32_t>(m_plan.ackWindow)))
            return &c;
    }
    return nullptr;
}

void Worker::sendDue(uint64_t now)
{
    if (m_senders.empty())
        return;
    uint64_t due = kMaxSendsPerTurn;
    if (m_rate > 0) {
        const uint64_t start = m_shared.sendStartNs.load(std::memory_order_relaxed);
        const double elapsed = now > start ? static_cast<double>(now - start) / 1e9 : 0;
        const uint64_t target = static_cast<uint64_t>(elapsed * m_rate);
        if (target <= m_sentThisRun)
            return;
        due = target - m_sentThisRun;
        // More than 100 ms behind: the slack is not sent later as a burst; it is counted.
        const uint64_t slack = static_cast<uint64_t>(m_rate / 10) + 1;
        if (due > slack) {
            m_skipped += due - slack;
            m_sentThisRun += due - slack;
            due = slack;
        }
        due = std::min<uint64_t>(due, kMaxSendsPerTurn);
    }
    const int fanout = m_plan.fanout();
    for (uint64_t i = 0; i < due; ++i) {
        if (m_plan.window > 0 && fanout > 0) {
            const uint64_t sent = m_shared.sent.load(std::memory_order_relaxed);
            const uint64_t fullyDelivered = m_shared.delivered.load(std::memory_order_relaxed) / fanout;
            if (sent > fullyDelivered && sent - fullyDelivered >= static_cast<uint64_t>(m_plan.window))
                return; // with a rate the debt stays and is paid when the window opens
        }
        Connection *c = nextSender();
        if (!c) {
            if (m_rate > 0) {
                m_skipped += due - i;
                m_sentThisRun += due - i;
            }
            return;
        }
        sendChat(*c, monotonicNs());
        ++m_sentThisRun;
    }
}

} // namespace loadgen
