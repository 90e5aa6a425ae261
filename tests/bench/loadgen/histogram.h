#pragma once
// Latency histogram with log-linear buckets (like HdrHistogram): 32 sub-buckets per power of two,
// so any recorded value is reported within about 3 %. Fixed size, no allocation when recording.

#include <array>
#include <bit>
#include <cstdint>

namespace loadgen {

class LatencyHistogram
{
public:
    static constexpr int kSubBits = 5;
    static constexpr int kSub = 1 << kSubBits;
    static constexpr int kBuckets = 60 * kSub;

    void record(uint64_t value)
    {
        ++m_counts[indexOf(value)];
        ++m_total;
        if (value > m_max)
            m_max = value;
    }

    void merge(const LatencyHistogram &other)
    {
        for (int i = 0; i < kBuckets; ++i)
            m_counts[i] += other.m_counts[i];
        m_total += other.m_total;
        if (other.m_max > m_max)
            m_max = other.m_max;
    }

    uint64_t count() const { return m_total; }
    uint64_t max() const { return m_max; }

    // The smallest bucket value at or below which a fraction q of the recorded values lie
    // (the bucket's middle, capped by the exact maximum).
    uint64_t percentile(double q) const
    {
        if (m_total == 0)
            return 0;
        uint64_t wanted = static_cast<uint64_t>(q * static_cast<double>(m_total) + 0.999999);
        if (wanted == 0)
            wanted = 1;
        uint64_t seen = 0;
        for (int i = 0; i < kBuckets; ++i) {
            seen += m_counts[i];
            if (seen >= wanted) {
                const uint64_t middle = lowerBound(i) + width(i) / 2;
                return middle < m_max ? middle : m_max;
            }
        }
        return m_max;
    }

private:
    static int indexOf(uint64_t v)
    {
        if (v < kSub)
            return static_cast<int>(v);
        const int msb = 63 - std::countl_zero(v);
        const int shift = msb - kSubBits;
        const int index = ((shift + 1) << kSubBits) + static_cast<int>((v >> shift) & (kSub - 1));
        return index < kBuckets ? index : kBuckets - 1;
    }
    static uint64_t lowerBound(int index)
    {
        if (index < kSub)
            return static_cast<uint64_t>(index);
        const int shift = (index >> kSubBits) - 1;
        return static_cast<uint64_t>(kSub + (index & (kSub - 1))) << shift;
    }
    static uint64_t width(int index) { return index < kSub ? 1 : uint64_t(1) << ((index >> kSubBits) - 1); }

    std::array<uint64_t, kBuckets> m_counts {};
    uint64_t m_total = 0;
    uint64_t m_max = 0;
};

} // namespace loadgen
