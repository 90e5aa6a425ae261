#include "procstats.h"

#include <cstdio>
#include <cstring>
#include <sys/resource.h>
#include <unistd.h>

namespace loadgen {

namespace {
std::string procPath(int pid, const char *file)
{
    return pid == 0 ? std::string("/proc/self/") + file : "/proc/" + std::to_string(pid) + "/" + file;
}
} // namespace

ProcessSample sampleProcess(int pid)
{
    ProcessSample s;
    s.atNs = monotonicNs();
    if (FILE *f = std::fopen(procPath(pid, "status").c_str(), "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "VmRSS:", 6) == 0) {
                s.rssKiB = std::strtoull(line + 6, nullptr, 10);
                break;
            }
        }
        std::fclose(f);
    } else {
        return s;
    }
    if (FILE *f = std::fopen(procPath(pid, "stat").c_str(), "r")) {
        char buf[1024];
        const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
        std::fclose(f);
        buf[n] = 0;
        // The command name may contain spaces: fields are counted after its closing ')'.
        const char *p = std::strrchr(buf, ')');
        if (!p)
            return s;
        unsigned long long utime = 0, stime = 0;
        // After ')': state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
        if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
            return s;
        s.cpuSeconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
        s.ok = true;
    }
    return s;
}

double cpuPercent(const ProcessSample &before, const ProcessSample &after)
{
    if (!before.ok || !after.ok || after.atNs <= before.atNs)
        return 0;
    return 100.0 * (after.cpuSeconds - before.cpuSeconds) / (static_cast<double>(after.atNs - before.atNs) / 1e9);
}

long raiseFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<long>(limit.rlim_cur);
}

} // namespace loadgen
