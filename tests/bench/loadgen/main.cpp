// Load generator for Mythos Chat and, with the same plan, for nats-server's WebSocket listener
// (the baseline). Connects, logs in, optionally sends for a measured window, and prints one
// `RESULT key=value …` line that scripts/bench.sh turns into docs/performance.md.
#include "plan.h"
#include "procstats.h"
#include "worker.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace loadgen;

namespace {

void sleepFor(double seconds)
{
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

struct Snapshot
{
    uint64_t sent, delivered, acks, blocked;
    std::vector<ProcessSample> watched;
    ProcessSample self;
};

Snapshot snapshot(const Shared &shared, const Plan &plan)
{
    Snapshot s { shared.sent.load(), shared.delivered.load(), shared.acks.load(), shared.blocked.load(), {}, {} };
    for (const auto &[label, pid] : plan.watched)
        s.watched.push_back(sampleProcess(pid));
    s.self = sampleProcess(0);
    return s;
}

bool waitForConnections(const Shared &shared, const Plan &plan)
{
    const uint64_t start = monotonicNs();
    uint64_t lastReport = start;
    for (;;) {
        // With --reconnect a failed connection tries again: wait until all are in at once.
        if (plan.reconnect && shared.readyNow.load() >= plan.connections)
            return true;
        const uint64_t done = shared.ready.load() + shared.failed.load();
        if (!plan.reconnect && done >= static_cast<uint64_t>(plan.connections))
            return shared.failed.load() == 0;
        const uint64_t now = monotonicNs();
        if (now - start > static_cast<uint64_t>(plan.connectTimeoutS * 1e9)) {
            std::fprintf(stderr, "loadgen: only %llu of %d connections ready after %.0f s\n",
                         static_cast<unsigned long long>(shared.ready.load()), plan.connections, plan.connectTimeoutS);
            return false;
        }
        if (now - lastReport > 5000000000ull) {
            lastReport = now;
            std::fprintf(stderr, "loadgen: %llu/%d connected\n", static_cast<unsigned long long>(shared.ready.load()),
                         plan.connections);
        }
        sleepFor(0.01);
    }
}

} // namespace

int main(int argc, char **argv)
{
    Plan plan;
    if (const std::string error = parsePlan(argc, argv, plan); !error.empty()) {
        if (error != "help")
            std::fprintf(stderr, "loadgen: %s\n", error.c_str());
        std::fputs(usage(), stderr);
        return error == "help" ? 0 : 2;
    }
    const long files = raiseFileLimit();
    if (files > 0 && files < plan.connections + 64) {
        std::fprintf(stderr, "loadgen: %d connections need more open files than the limit (%ld)\n", plan.connections,
                     files);
        return 2;
    }

    Shared shared(plan);
    if (!plan.ackedFile.empty() && !shared.acked) {
        std::fprintf(stderr, "loadgen: cannot write %s\n", plan.ackedFile.c_str());
        return 2;
    }
    std::vector<ProcessSample> idleBefore;
    for (const auto &[label, pid] : plan.watched)
        idleBefore.push_back(sampleProcess(pid));
    const ProcessSample selfBefore = sampleProcess(0);

    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < plan.threads; ++t) {
        std::vector<int> ids;
        for (int i = t; i < plan.connections; i += plan.threads)
            ids.push_back(i);
        workers.push_back(std::make_unique<Worker>(t, shared, std::move(ids)));
    }
    const uint64_t connectStart = monotonicNs();
    for (auto &w : workers)
        w->start();
    const bool allConnected = waitForConnections(shared, plan);
    const double connectSeconds = static_cast<double>(monotonicNs() - connectStart) / 1e9;
    const Snapshot afterConnect = snapshot(shared, plan);
    sleepFor(plan.settleS);
    const Snapshot settled = snapshot(shared, plan);

    Snapshot begin = settled, end = settled;
    double measured = 0;
    if (allConnected && plan.senders > 0 && plan.durationS > 0) {
        timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        shared.sendStartNs.store(monotonicNs());
        shared.sending.store(true);
        // The soak script places its faults and reads its samples on this clock.
        std::fprintf(stderr, "loadgen: sending since epoch_ms=%lld\n",
                     static_cast<long long>(wall.tv_sec) * 1000 + wall.tv_nsec / 1000000);
        sleepFor(plan.warmupS);
        begin = snapshot(shared, plan);
        shared.measuring.store(true);
        std::fprintf(stderr, "loadgen: measuring for %.0f s\n", plan.durationS);
        if (plan.reportEveryS > 0) {
            // A progress line per interval, so a long run shows it is alive and how it goes.
            const uint64_t until = monotonicNs() + static_cast<uint64_t>(plan.durationS * 1e9);
            uint64_t next = monotonicNs() + static_cast<uint64_t>(plan.reportEveryS * 1e9);
            for (uint64_t now = monotonicNs(); now < until; now = monotonicNs()) {
                sleepFor(std::min(0.1, static_cast<double>(until - now) / 1e9));
                if (monotonicNs() >= next && monotonicNs() < until) {
                    next += static_cast<uint64_t>(plan.reportEveryS * 1e9);
                    std::fprintf(
                            stderr,
                            "loadgen: sent %llu acked %llu delivered %llu ready %lld reconnects %llu churned %llu errors %llu\n",
                            static_cast<unsigned long long>(shared.sent.load()),
                            static_cast<unsigned long long>(shared.acks.load()),
                            static_cast<unsigned long long>(shared.delivered.load()),
                            static_cast<long long>(shared.readyNow.load()),
                            static_cast<unsigned long long>(shared.reconnects.load()),
                            static_cast<unsigned long long>(shared.churned.load()),
                            static_cast<unsigned long long>(shared.errors.load()));
                }
            }
        } else {
            sleepFor(plan.durationS);
        }
        shared.measuring.store(false);
        end = snapshot(shared, plan);
        shared.sending.store(false);
        measured = static_cast<double>(end.self.atNs - begin.self.atNs) / 1e9;
        sleepFor(plan.drainS);
    } else if (plan.holdS > 0) {
        sleepFor(plan.holdS);
        end = snapshot(shared, plan);
        measured = static_cast<double>(end.self.atNs - begin.self.atNs) / 1e9;
    }
    const uint64_t deliveredAfterDrain = shared.delivered.load();
    shared.stop.store(true);
    LatencyHistogram latency, ackLatency;
    std::vector<LatencyHistogram> intervals(shared.intervalCount);
    for (auto &w : workers) {
        w->join();
        latency.merge(w->latency());
        ackLatency.merge(w->ackLatency());
        for (size_t i = 0; i < intervals.size(); ++i)
            intervals[i].merge(w->intervalLatency()[i]);
    }

    const double seconds = measured > 0 ? measured : 1;
    const uint64_t sent = end.sent - begin.sent;
    const uint64_t delivered = end.delivered - begin.delivered;
    const uint64_t expected = sent * static_cast<uint64_t>(plan.fanout());
    const uint64_t totalExpected = shared.sent.load() * static_cast<uint64_t>(plan.fanout());
    std::string line = "RESULT scenario=" + plan.scenario;
    auto add = [&line](const char *key, double value, int decimals = 0) {
        char text[64];
        std::snprintf(text, sizeof text, " %s=%.*f", key, decimals, value);
        line += text;
    };
    line += std::string(" protocol=") + (plan.protocol == Protocol::Mythos ? "mythos" : "nats");
    add("connections", plan.connections);
    add("ready", static_cast<double>(shared.ready.load()));
    add("failed", static_cast<double>(shared.failed.load()));
    add("closed", static_cast<double>(shared.closed.load()));
    add("errors", static_cast<double>(shared.errors.load()));
    add("connect_s", connectSeconds, 2);
    add("connects_per_s", plan.connections / connectSeconds);
    add("senders", plan.senders);
    add("fanout", plan.fanout());
    add("payload", plan.payload);
    add("deflate", plan.deflate ? 1 : 0);
    add("measured_s", measured, 2);
    add("sent", static_cast<double>(sent));
    add("msgs_per_s", sent / seconds);
    add("deliveries", static_cast<double>(delivered));
    add("deliveries_per_s", delivered / seconds);
    const uint64_t allDelivered = shared.delivered.load();
    add("delivery_bytes", allDelivered ? static_cast<double>(shared.deliveredBytes.load()) / allDelivered : 0);
    add("acks_per_s", static_cast<double>(end.acks - begin.acks) / seconds);
    add("blocked", static_cast<double>(end.blocked - begin.blocked));
    // Everything sent, minus what arrived by the end of the drain: lost or still queued.
    add("missing", static_cast<double>(totalExpected > deliveredAfterDrain ? totalExpected - deliveredAfterDrain : 0));
    add("expected", static_cast<double>(expected));
    add("p50_us", latency.percentile(0.50) / 1e3, 1);
    add("p99_us", latency.percentile(0.99) / 1e3, 1);
    add("p999_us", latency.percentile(0.999) / 1e3, 1);
    add("max_us", latency.max() / 1e3, 1);
    add("samples", static_cast<double>(latency.count()));
    add("ack_p50_us", ackLatency.percentile(0.50) / 1e3, 1);
    add("ack_p99_us", ackLatency.percentile(0.99) / 1e3, 1);
    add("ack_max_us", ackLatency.max() / 1e3, 1);
    add("acks", static_cast<double>(shared.acks.load()));
    add("held", static_cast<double>(shared.held.load()));
    add("reconnects", static_cast<double>(shared.reconnects.load()));
    add("churned", static_cast<double>(shared.churned.load()));
    add("stable", plan.stable());
    add("cpu_loadgen_pct", cpuPercent(begin.self, end.self), 1);
    add("cpu_loadgen_connect_pct", cpuPercent(selfBefore, afterConnect.self), 1);
    add("rss_loadgen_kib", static_cast<double>(settled.self.rssKiB));
    for (size_t i = 0; i < plan.watched.size(); ++i) {
        const std::string &label = plan.watched[i].first;
        line += " rss_" + label + "_before_kib=" + std::to_string(idleBefore[i].rssKiB);
        line += " rss_" + label + "_kib=" + std::to_string(settled.watched[i].rssKiB);
        char text[96];
        std::snprintf(text, sizeof text, " cpu_%s_pct=%.1f cpu_%s_connect_pct=%.1f", label.c_str(),
                      cpuPercent(begin.watched[i], end.watched[i]), label.c_str(),
                      cpuPercent(idleBefore[i], afterConnect.watched[i]));
        line += text;
    }
    std::printf("%s\n", line.c_str());
    if (plan.reportEveryS > 0) {
        // By send time: what was sent in each second and what became of it. Stable receivers only.
        std::printf("# SECOND second sent acked refused expected delivered down\n");
        for (size_t i = 0; i < shared.secondCount; ++i) {
            const SecondCounts &s = shared.seconds[i];
            std::printf("SECOND %zu %llu %llu %llu %llu %llu %u\n", i, static_cast<unsigned long long>(s.sent.load()),
                        static_cast<unsigned long long>(s.acked.load()),
                        static_cast<unsigned long long>(s.refused.load()),
                        static_cast<unsigned long long>(s.expected.load()),
                        static_cast<unsigned long long>(s.delivered.load()), static_cast<unsigned>(s.down.load()));
        }
        std::printf("# INTERVAL index from_s samples p50_us p99_us max_us (delivery latency, by send time)\n");
        for (size_t i = 0; i < intervals.size(); ++i)
            std::printf("INTERVAL %zu %.0f %llu %.1f %.1f %.1f\n", i, static_cast<double>(i) * plan.reportEveryS,
                        static_cast<unsigned long long>(intervals[i].count()), intervals[i].percentile(0.50) / 1e3,
                        intervals[i].percentile(0.99) / 1e3, intervals[i].max() / 1e3);
    }
    return allConnected ? 0 : 1;
}
