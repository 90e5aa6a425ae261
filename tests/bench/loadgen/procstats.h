#pragma once
// What the benchmark reads about processes from /proc: resident memory and CPU time.

#include <cstdint>
#include <string>
#include <time.h>

namespace loadgen {

inline uint64_t monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// pid 0 means this process.
struct ProcessSample
{
    bool ok = false;
    uint64_t rssKiB = 0;
    double cpuSeconds = 0; // user + system, all threads
    uint64_t atNs = 0;
};

ProcessSample sampleProcess(int pid);

// CPU used between two samples, in percent of one core.
double cpuPercent(const ProcessSample &before, const ProcessSample &after);

// Raises the open-files soft limit to the hard limit; returns the new soft limit.
long raiseFileLimit();

} // namespace loadgen
