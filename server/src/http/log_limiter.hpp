#pragma once

// Rate-limits a log line that can repeat very fast (a failing accept() writes one per try): the first
// occurrence is logged, then at most one line per interval, saying how many were suppressed since the last.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace safeloop::http {

class LogLimiter {
public:
    using Clock = std::chrono::steady_clock;
    explicit LogLimiter(Clock::duration interval) : interval_(interval) {}

    // An occurrence at `now`: the number of occurrences suppressed since the last logged one when this one should
    // be logged, nullopt when it should not.
    std::optional<uint64_t> Admit(Clock::time_point now);

private:
    std::mutex mutex_;
    Clock::duration interval_;
    std::optional<Clock::time_point> last_logged_;
    uint64_t suppressed_ = 0;
};

}  // namespace safeloop::http
