#pragma once
// Small byte helpers shared by the worker's I/O and protocol code.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string.h>

namespace loadgen {

constexpr int kStampDigits = 19; // CLOCK_MONOTONIC nanoseconds, zero-padded, in every chat message

inline void writeStamp(char *at, uint64_t value)
{
    for (int i = kStampDigits - 1; i >= 0; --i) {
        at[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

inline const char *find(const char *data, size_t length, const char *needle, size_t needleLength)
{
    return static_cast<const char *>(memmem(data, length, needle, needleLength));
}

inline bool startsWith(const char *data, size_t length, const char *prefix)
{
    const size_t n = std::strlen(prefix);
    return length >= n && std::memcmp(data, prefix, n) == 0;
}

} // namespace loadgen
