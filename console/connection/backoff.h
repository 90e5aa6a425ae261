#pragma once
// The wait before reconnect attempt `attempt` (1, 2, …): 0.5 s, 1 s, 2 s, … up to `maxMs`.
// Quick when a server restarts, gentle when it is gone. Shared by the console and the CLI.

#include <algorithm>

namespace mythos::console {

inline int backoffFor(int attempt, int maxMs)
{
    const int shift = std::clamp(attempt - 1, 0, 16);
    return std::min(maxMs, 500 << shift);
}

} // namespace mythos::console
