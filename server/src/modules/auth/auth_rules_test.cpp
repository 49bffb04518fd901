#include "modules/auth/auth_rules.hpp"

#include <gtest/gtest.h>

namespace safeloop::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TimePoint At(int64_t seconds_since_start) { return FromUnixMillis(1'800'000'000'000 + seconds_since_start * 1000); }

std::vector<TimePoint> FailuresEvery(int count, int step_seconds) {
    std::vector<TimePoint> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) out.push_back(At(static_cast<int64_t>(i) * step_seconds));
    return out;
}

TEST(LoginThrottle, FewFailuresAreAllowedAtOnce) {
    ThrottlePolicy policy;
    auto d = DecideLogin(FailuresEvery(4, 1), At(4), policy);
    EXPECT_TRUE(d.allowed);
}

TEST(LoginThrottle, FifthFailureMakesTheNextTryWaitOneSecond) {
    ThrottlePolicy policy;
    // Failures at 0..4 s; the 5th at t=4 means the next try must wait 2^0 = 1 s, i.e. until t=5.
    auto failures = FailuresEvery(5, 1);
    EXPECT_FALSE(DecideLogin(failures, At(4), policy).allowed);
    EXPECT_EQ(DecideLogin(failures, At(4), policy).retry_after, seconds(1));
    EXPECT_TRUE(DecideLogin(failures, At(5), policy).allowed);
}

TEST(LoginThrottle, DelayDoublesWithEachFailure) {
    ThrottlePolicy policy;
    // 8 failures, last at t=70: wait 2^(8-5) = 8 s → allowed from t=78.
    auto failures = FailuresEvery(8, 10);
    EXPECT_FALSE(DecideLogin(failures, At(77), policy).allowed);
    EXPECT_EQ(DecideLogin(failures, At(75), policy).retry_after, seconds(3));
    EXPECT_TRUE(DecideLogin(failures, At(78), policy).allowed);
}

TEST(LoginThrottle, TenFailuresInTheWindowRefuseUntilTheOldestAgesOut) {
    ThrottlePolicy policy;
    // Failures at 0, 60, ..., 540 s (10 of them). The first leaves the 15-minute window at 900 s.
    auto failures = FailuresEvery(10, 60);
    auto d = DecideLogin(failures, At(600), policy);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.retry_after, seconds(300));
    EXPECT_FALSE(DecideLogin(failures, At(899), policy).allowed);
    // At 900 s only 9 failures are inside the window; the last one (540 s) is long past its 16 s delay.
    EXPECT_TRUE(DecideLogin(failures, At(901), policy).allowed);
}

TEST(LoginThrottle, FailuresOutsideTheWindowDoNotCount) {
    ThrottlePolicy policy;
    auto failures = FailuresEvery(10, 1);
    EXPECT_TRUE(DecideLogin(failures, At(16LL * 60), policy).allowed);
}

}  // namespace
}  // namespace safeloop::auth
