#include "http/log_limiter.hpp"

#include <gtest/gtest.h>

namespace safeloop::http {
namespace {

using std::chrono::milliseconds;

TEST(LogLimiter, LogsTheFirstThenOneLinePerIntervalWithTheSuppressedCount) {
    LogLimiter limiter(std::chrono::seconds(10));
    const LogLimiter::Clock::time_point t0{};
    EXPECT_EQ(limiter.Admit(t0), 0u);
    int logged = 0;
    for (int i = 1; i <= 1000; ++i) {
        if (limiter.Admit(t0 + milliseconds(i))) ++logged;  // a tight loop: one second of repeats
    }
    EXPECT_EQ(logged, 0);
    EXPECT_EQ(limiter.Admit(t0 + milliseconds(9999)), std::nullopt);
    EXPECT_EQ(limiter.Admit(t0 + milliseconds(10000)), 1001u);  // the 1000 of the loop and the one just before
    EXPECT_EQ(limiter.Admit(t0 + milliseconds(10001)), std::nullopt);
    EXPECT_EQ(limiter.Admit(t0 + milliseconds(60000)), 1u);  // a quiet spell: the next one logs at once
}

}  // namespace
}  // namespace safeloop::http
