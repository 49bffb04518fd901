#include "http/log_limiter.hpp"

namespace safeloop::http {

std::optional<uint64_t> LogLimiter::Admit(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (last_logged_ && now - *last_logged_ < interval_) {
        ++suppressed_;
        return std::nullopt;
    }
    last_logged_ = now;
    const uint64_t suppressed = suppressed_;
    suppressed_ = 0;
    return suppressed;
}

}  // namespace safeloop::http
