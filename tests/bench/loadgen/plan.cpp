#include "plan.h"

#include <cstdlib>
#include <cstring>

namespace loadgen {

const char *usage()
{
    return "usage: loadgen --protocol mythos|nats --url ws://127.0.0.1:PORT/PATH[,ws://...] [options]\n"
           "  --scenario LABEL          label for the RESULT line\n"
           "  --connections N           WebSocket connections (default 100)\n"
           "  --senders S               connections 0..S-1 send (default 0)\n"
           "  --threads K               worker threads, each with its own epoll (default 2)\n"
           "  --rooms R                 connection i joins room i%R (mythos: move frame, channel say;\n"
           "                            nats: subject chat.say.rR); 0 = everyone on --channel (default)\n"
           "  --channel NAME            mythos channel when rooms = 0 (default global)\n"
           "  --rate MSGS_PER_S         total send rate over all senders (0 = window-limited)\n"
           "  --window W                most messages not yet delivered to every receiver\n"
           "  --ack-window W            mythos: most unacknowledged sends per connection\n"
           "  --payload BYTES           mythos: content length; nats: payload length (default 100)\n"
           "  --deflate                 mythos: offer permessage-deflate (no context takeover);\n"
           "                            delivery_bytes is then what came over the wire\n"
           "  --no-login                stop after the WebSocket upgrade (mythos closes such\n"
           "                            connections after its 10 s auth timeout)\n"
           "  --name-prefix P           guest names are P<index> (default b)\n"
           "  --connect-concurrency C   handshakes in progress at once (default 32)\n"
           "  --settle S --warmup S --duration S --hold S --drain S   phase lengths in seconds\n"
           "  --watch LABEL=PID         report that process's memory and CPU (repeatable)\n"
           "soak (scripts/soak.sh):\n"
           "  --reconnect               a dropped connection comes back (as a new guest) after\n"
           "                            --reconnect-delay S (default 0.5), doubling up to 8x\n"
           "                            while it keeps failing\n"
           "  --churn-pool N            the last N connections neither send nor count as receivers\n"
           "  --churn-per-s R           R of them a second close and join again as new guests\n"
           "  --report-every S          print SECOND lines and an INTERVAL line every S seconds of\n"
           "                            sending (by send time) after the RESULT line\n"
           "  --acked-file PATH         write \"<endpoint> <message_id>\" for every ack\n";
}

int Plan::fanout() const
{
    if (rooms <= 0)
        return connections - 1;
    // Rooms are filled round-robin; with connections a multiple of rooms every room is equal.
    const int perRoom = connections / rooms;
    return perRoom > 0 ? perRoom - 1 : 0;
}

int Plan::stableIn(int room) const
{
    if (rooms <= 0)
        return stable();
    // Connection i is in room i % rooms: count the stable ids below stable() with that rest.
    return room < stable() ? (stable() - 1 - room) / rooms + 1 : 0;
}

std::string Plan::subjectFor(int room) const
{
    return rooms > 0 ? "chat.say.r" + std::to_string(room) : "chat." + channel;
}

namespace {

bool parseEndpoint(const std::string &url, Endpoint &out)
{
    const std::string scheme = "ws://";
    if (url.compare(0, scheme.size(), scheme) != 0)
        return false;
    const std::string rest = url.substr(scheme.size());
    const size_t slash = rest.find('/');
    const std::string hostPort = rest.substr(0, slash);
    out.path = slash == std::string::npos ? "/" : rest.substr(slash);
    const size_t colon = hostPort.rfind(':');
    if (colon == std::string::npos)
        return false;
    out.host = hostPort.substr(0, colon);
    const long port = std::strtol(hostPort.c_str() + colon + 1, nullptr, 10);
    if (port <= 0 || port > 65535)
        return false;
    out.port = static_cast<uint16_t>(port);
    return true;
}

} // namespace

std::string parsePlan(int argc, char **argv, Plan &plan)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h")
            return "help";
        if (arg == "--no-login") {
            plan.login = false;
            continue;
        }
        if (arg == "--deflate") {
            plan.deflate = true;
            continue;
        }
        if (arg == "--reconnect") {
            plan.reconnect = true;
            continue;
        }
        if (i + 1 >= argc)
            return "missing value for " + arg;
        const std::string value = argv[++i];
        auto number = [&] { return std::strtod(value.c_str(), nullptr); };
        if (arg == "--scenario")
            plan.scenario = value;
        else if (arg == "--protocol") {
            if (value == "mythos")
                plan.protocol = Protocol::Mythos;
            else if (value == "nats")
                plan.protocol = Protocol::Nats;
            else
                return "unknown protocol " + value;
        } else if (arg == "--url") {
            size_t start = 0;
            while (start <= value.size()) {
                const size_t comma = value.find(',', start);
                Endpoint e;
                if (!parseEndpoint(value.substr(start, comma - start), e))
                    return "bad url " + value;
                plan.endpoints.push_back(e);
                if (comma == std::string::npos)
                    break;
                start = comma + 1;
            }
        } else if (arg == "--connections")
            plan.connections = static_cast<int>(number());
        else if (arg == "--senders")
            plan.senders = static_cast<int>(number());
        else if (arg == "--threads")
            plan.threads = static_cast<int>(number());
        else if (arg == "--rooms")
            plan.rooms = static_cast<int>(number());
        else if (arg == "--channel")
            plan.channel = value;
        else if (arg == "--rate")
            plan.rate = number();
        else if (arg == "--window")
            plan.window = static_cast<int>(number());
        else if (arg == "--ack-window")
            plan.ackWindow = static_cast<int>(number());
        else if (arg == "--payload")
            plan.payload = static_cast<int>(number());
        else if (arg == "--name-prefix")
            plan.namePrefix = value;
        else if (arg == "--connect-concurrency")
            plan.connectConcurrency = static_cast<int>(number());
        else if (arg == "--connect-timeout")
            plan.connectTimeoutS = number();
        else if (arg == "--settle")
            plan.settleS = number();
        else if (arg == "--warmup")
            plan.warmupS = number();
        else if (arg == "--duration")
            plan.durationS = number();
        else if (arg == "--hold")
            plan.holdS = number();
        else if (arg == "--drain")
            plan.drainS = number();
        else if (arg == "--reconnect-delay")
            plan.reconnectDelayS = number();
        else if (arg == "--churn-pool")
            plan.churnPool = static_cast<int>(number());
        else if (arg == "--churn-per-s")
            plan.churnPerS = number();
        else if (arg == "--report-every")
            plan.reportEveryS = number();
        else if (arg == "--acked-file")
            plan.ackedFile = value;
        else if (arg == "--watch") {
            const size_t eq = value.find('=');
            if (eq == std::string::npos)
                return "--watch needs LABEL=PID";
            plan.watched.emplace_back(value.substr(0, eq), std::atoi(value.c_str() + eq + 1));
        } else
            return "unknown option " + arg;
    }
    if (plan.endpoints.empty())
        return "--url is required";
    if (plan.connections < 1 || plan.threads < 1 || plan.senders < 0 || plan.senders > plan.connections)
        return "bad connection, sender or thread count";
    if (plan.churnPool < 0 || plan.churnPool >= plan.connections || plan.senders > plan.stable())
        return "the churn pool must leave stable connections, and only stable ones send";
    if (plan.churnPerS > 0 && plan.churnPool == 0)
        return "--churn-per-s needs --churn-pool";
    if (plan.payload < 40 || plan.payload > 60000)
        return "--payload must be 40..60000";
    return {};
}

} // namespace loadgen
