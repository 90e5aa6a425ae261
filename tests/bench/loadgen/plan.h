#pragma once
// What one load-generator run does: the target, how many connections, who sends what and how
// fast, how long. Parsed from the command line (see usage() in plan.cpp).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace loadgen {

enum class Protocol { Mythos, Nats };

struct Endpoint
{
    std::string host = "127.0.0.1";
    uint16_t port = 0;
    std::string path = "/";
};

struct Plan
{
    std::string scenario = "run"; // label echoed in the result line
    Protocol protocol = Protocol::Mythos;
    std::vector<Endpoint> endpoints; // connection i uses endpoints[i % size]
    int connections = 100;
    int senders = 0; // connections [0, senders) send; everyone receives
    int threads = 2;
    int rooms = 0; // 0: everyone on `channel` (global); else connection i is in room i % rooms
    std::string channel = "global"; // mythos channel; rooms use "say"
    bool deflate = false; // mythos: offer permessage-deflate, inflate what comes compressed
    bool login = true; // false: stop after the WebSocket upgrade (what a bare connection costs)
    std::string namePrefix = "b"; // guest names are prefix + connection index
    double rate = 0; // messages per second over all senders; 0: as fast as the windows allow
    int window = 0; // most messages not yet delivered to every receiver; 0: no limit
    int ackWindow = 0; // mythos: most unacknowledged sends per connection; 0: no limit
    int payload = 100; // mythos: content characters; nats: payload bytes
    int connectConcurrency = 32; // handshakes in progress at once (the server's accept backlog)
    double connectTimeoutS = 180;
    double settleS = 1; // after everyone is connected, before memory is read
    double warmupS = 1;
    double durationS = 0; // measured sending time; 0: no sending
    double holdS = 0; // idle: keep the connections open this long after measuring memory
    double drainS = 1;
    std::vector<std::pair<std::string, int>> watched; // label, pid: memory and CPU reported

    // Soak (scripts/soak.sh). A dropped connection comes back as a new guest; the last
    // `churnPool` connections neither send nor count as receivers, and `churnPerS` of them a
    // second leave (close) and join again; per-second and per-interval figures are printed.
    bool reconnect = false;
    double reconnectDelayS = 0.5;
    double churnPerS = 0;
    int churnPool = 0;
    double reportEveryS = 0; // > 0: SECOND and INTERVAL lines after the RESULT line
    std::string ackedFile; // every ack's "<endpoint> <message_id>", one a line

    // Receivers of one message: everyone else in the sender's room (or everyone else at all).
    int fanout() const;
    // Connections that count for lost deliveries: [0, stable()).
    int stable() const { return connections - churnPool; }
    // Stable connections in a room (connections - churnPool when rooms = 0).
    int stableIn(int room) const;

    std::string subjectFor(int room) const; // nats
};

// Returns an error message, or empty on success.
std::string parsePlan(int argc, char **argv, Plan &plan);
const char *usage();

} // namespace loadgen
