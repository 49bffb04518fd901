#include "jobs/job_queue_rules.hpp"

#include <algorithm>

namespace safeloop::jobs {

namespace {
constexpr Millis kFirstRetry = std::chrono::seconds(30);
constexpr Millis kMaxRetry = std::chrono::hours(1);
constexpr int kMaxDoublings = 20;  // 30 s * 2^20 is far past the cap; stops the shift from overflowing
}  // namespace

Millis JobRetryDelay(int failures) {
    const int doublings = std::clamp(failures - 1, 0, kMaxDoublings);
    return std::min(kFirstRetry * (int64_t{1} << doublings), kMaxRetry);
}

bool JobGivesUp(int failures) { return failures >= kMaxJobAttempts; }

}  // namespace safeloop::jobs
