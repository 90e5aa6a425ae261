#pragma once
// One load-generator thread: owns many non-blocking client sockets on its own epoll, does the
// WebSocket upgrade and the login of its protocol, sends chat at its share of the rate and
// records send-to-receive latency. Nothing is allocated per message: frames are built in a
// per-thread scratch buffer and parsed in place in each connection's receive buffer.

#include "histogram.h"
#include "inflate.h"
#include "plan.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace loadgen {

constexpr uint32_t kMaxBuffer = 64 * 1024 * 1024; // largest receive buffer of one connection

// Soak: what happened to the messages sent in one second (by their send stamp, so a late
// delivery counts where its message was sent). Only stable connections count as receivers.
struct SecondCounts
{
    std::atomic<uint64_t> sent { 0 };
    std::atomic<uint64_t> acked { 0 };
    std::atomic<uint64_t> refused { 0 }; // error replies to sends
    std::atomic<uint64_t> expected { 0 }; // acked messages x stable receivers in the sender's room
    std::atomic<uint64_t> delivered { 0 }; // chat_message events at stable receivers
    std::atomic<uint8_t> down { 0 }; // a stable connection was not ready in this second
};

// What the coordinating thread and the workers share.
struct Shared
{
    explicit Shared(const Plan &p);
    ~Shared();
    const Plan &plan;
    std::atomic<bool> sending { false };
    std::atomic<bool> measuring { false };
    std::atomic<bool> stop { false };
    std::atomic<uint64_t> sendStartNs { 0 };
    // Totals since the start; the coordinator takes differences over the measured window.
    std::atomic<uint64_t> sent { 0 };
    std::atomic<uint64_t> delivered { 0 };
    std::atomic<uint64_t> deliveredBytes { 0 }; // payload bytes of the delivered messages, as sent
    std::atomic<uint64_t> acks { 0 };
    std::atomic<uint64_t> ready { 0 };
    std::atomic<uint64_t> failed { 0 }; // never became ready
    std::atomic<uint64_t> closed { 0 }; // lost after becoming ready
    std::atomic<uint64_t> errors { 0 }; // error events / -ERR from the server
    std::atomic<uint64_t> blocked { 0 }; // sends skipped: no sender could take one
    std::atomic<int> reportsLeft { 12 }; // problem lines printed to stderr

    // Soak.
    std::atomic<int64_t> readyNow { 0 }; // connections ready at this moment
    std::atomic<uint64_t> reconnects { 0 }; // reopened after a drop
    std::atomic<uint64_t> churned { 0 }; // closed on purpose (and reopened)
    std::atomic<uint64_t> held { 0 }; // acks with held: true (not delivered, not counted)
    std::unique_ptr<SecondCounts[]> seconds; // from sendStartNs, secondCount of them
    size_t secondCount = 0;
    size_t intervalCount = 0; // of plan.reportEveryS, from sendStartNs
    std::mutex ackedMutex;
    FILE *acked = nullptr;

    // The second (since sending started) of a send stamp, or secondCount when out of range.
    size_t secondOf(uint64_t stampNs) const;
};

struct Connection
{
    enum class State : uint8_t { Pending, Connecting, Upgrading, LoggingIn, Moving, Ready, Closed };
    int fd = -1;
    State state = State::Pending;
    bool sender = false;
    bool writeArmed = false;
    bool stable = true; // soak: counts as a receiver, never churned
    uint32_t generation = 0; // soak: times reopened; part of the guest name
    uint8_t failures = 0; // soak: reopen attempts in a row that never became ready
    uint16_t endpoint = 0;
    uint32_t unacked = 0;
    int id = 0;
    int room = 0;
    uint32_t inLength = 0; // bytes in `in`
    uint32_t inCapacity = 0;
    uint32_t streamLength = 0; // nats: decoded protocol bytes at the start of `in`
    uint64_t frameLeft = 0; // nats: payload bytes of the current frame still to come
    std::unique_ptr<char[]> in;
    std::string out; // what the socket did not take yet
    uint64_t reopenAtNs = 0; // soak: when a closed connection opens again
};

class Worker
{
public:
    Worker(int index, Shared &shared, std::vector<int> connectionIds);
    ~Worker();
    void start();
    void join();

    const LatencyHistogram &latency() const { return m_latency; }
    const LatencyHistogram &ackLatency() const { return m_ackLatency; }
    // Soak: delivery latency by the interval (plan.reportEveryS) a message was sent in.
    const std::vector<LatencyHistogram> &intervalLatency() const { return m_intervalLatency; }

private:
    void run();
    void openMore();
    void open(Connection &c);
    void onEvents(Connection &c, uint32_t events);
    void onWritable(Connection &c);
    void onReadable(Connection &c);
    bool takeUpgradeResponse(Connection &c);
    void processMythos(Connection &c);
    void processNats(Connection &c);
    size_t parseNatsStream(Connection &c, const char *data, size_t length);
    // wireBytes: the payload as it came (compressed or not); length: as parsed.
    void onMythosFrame(Connection &c, uint8_t opcode, const char *payload, size_t length, size_t wireBytes);
    void onNatsMessage(const char *payload, size_t length);
    void login(Connection &c);
    void becomeReady(Connection &c);
    void drop(Connection &c, const char *why, const char *detail = nullptr, size_t detailLength = 0);
    void leave(Connection &c);
    void scheduleReopen(Connection &c, uint64_t now, bool failed);
    void reopenDue(uint64_t now);
    void churnDue(uint64_t now);
    void onDelivery(Connection &c, const char *p, size_t n, size_t wireBytes);
    void onAck(Connection &c, const char *p, size_t n);
    void flushAcked(bool force);
    void sendDue(uint64_t now);
    Connection *nextSender();
    void sendChat(Connection &c, uint64_t now);
    void sendFrame(Connection &c, uint8_t opcode, const char *payload, size_t length);
    void writeRaw(Connection &c, const char *data, size_t length);
    void armWrite(Connection &c, bool on);
    void recordLatency(const char *digits, const char *end, LatencyHistogram &into);
    static bool parseStamp(const char *digits, const char *end, uint64_t &stamp);
    void flushCounters();

    int m_index;
    Shared &m_shared;
    const Plan &m_plan;
    int m_epoll = -1;
    std::thread m_thread;
    std::vector<Connection> m_connections;
    std::vector<int> m_senders; // indices into m_connections
    size_t m_nextOpen = 0;
    int m_inProgress = 0;
    int m_maxInProgress = 1;
    size_t m_senderCursor = 0;
    double m_rate = 0; // this thread's share, messages per second
    bool m_wasSending = false;
    uint64_t m_sentThisRun = 0;
    uint64_t m_skipped = 0;

    // Per-thread scratch: templates patched in place, one frame buffer.
    std::string m_chatTemplate; // mythos send frame payload, or nats message payload
    size_t m_stampAt[2] = { 0, 0 }; // where the 19 timestamp digits go (second: mythos ref)
    std::vector<char> m_frame;
    RawInflater m_inflater; // --deflate: compressed messages are inflated into m_inflated
    std::vector<char> m_inflated;

    uint64_t m_localDelivered = 0;
    uint64_t m_localDeliveredBytes = 0;
    uint64_t m_localAcks = 0;
    uint64_t m_localErrors = 0;
    LatencyHistogram m_latency;
    LatencyHistogram m_ackLatency;

    // Soak.
    std::vector<uint32_t> m_reopening; // indices of closed connections waiting for reopenAtNs
    std::vector<uint32_t> m_churners; // indices of this thread's churn pool
    double m_churnRate = 0; // this thread's share, closes per second
    uint64_t m_churnedThisRun = 0;
    int m_stableTotal = 0;
    int m_stableReady = 0;
    uint64_t m_random = 0x9e3779b97f4a7c15ull;
    std::vector<LatencyHistogram> m_intervalLatency;
    std::string m_acked; // lines not yet written to Shared::acked
};

} // namespace loadgen
