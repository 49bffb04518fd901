#include "modules/auth/auth_rules.hpp"

#include <algorithm>

namespace safeloop::auth {

ThrottleDecision DecideLogin(const std::vector<TimePoint>& failures, TimePoint now, const ThrottlePolicy& policy) {
    std::vector<TimePoint> recent;
    for (auto t : failures) {
        if (t > now - policy.window && t <= now) recent.push_back(t);
    }
    std::sort(recent.begin(), recent.end());
    int n = static_cast<int>(recent.size());
    ThrottleDecision d;
    auto ceil_seconds = [](Millis ms) { return std::chrono::seconds((ms.count() + 999) / 1000); };
    if (n >= policy.max_failures) {
        // Refused until enough failures leave the window to drop below the limit.
        TimePoint frees_at = recent[static_cast<size_t>(n - policy.max_failures)] + policy.window;
        d.allowed = false;
        d.retry_after = std::max(std::chrono::seconds(1), ceil_seconds(frees_at - now));
        return d;
    }
    if (n >= policy.slow_after) {
        auto delay = std::chrono::seconds(1LL << std::min(n - policy.slow_after, 30));
        delay = std::min(delay, policy.max_delay);
        TimePoint next_allowed = recent.back() + delay;
        if (now < next_allowed) {
            d.allowed = false;
            d.retry_after = std::max(std::chrono::seconds(1), ceil_seconds(next_allowed - now));
        }
    }
    return d;
}

}  // namespace safeloop::auth
