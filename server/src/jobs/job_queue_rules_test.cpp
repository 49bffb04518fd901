#include "jobs/job_queue_rules.hpp"

#include <gtest/gtest.h>

namespace safeloop::jobs {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TEST(JobQueueRules, RetryDelayDoublesFromThirtySecondsAndStopsAtOneHour) {
    EXPECT_EQ(JobRetryDelay(1), seconds(30));
    EXPECT_EQ(JobRetryDelay(2), seconds(60));
    EXPECT_EQ(JobRetryDelay(3), seconds(120));
    EXPECT_EQ(JobRetryDelay(7), seconds(1920));
    EXPECT_EQ(JobRetryDelay(8), hours(1));  // 3840 s would exceed the cap
    EXPECT_EQ(JobRetryDelay(19), hours(1));
    EXPECT_EQ(JobRetryDelay(100000), hours(1));
    EXPECT_EQ(JobRetryDelay(0), seconds(30));
}

TEST(JobQueueRules, GivesUpAtTheLimit) {
    EXPECT_FALSE(JobGivesUp(1));
    EXPECT_FALSE(JobGivesUp(kMaxJobAttempts - 1));
    EXPECT_TRUE(JobGivesUp(kMaxJobAttempts));
}

}  // namespace
}  // namespace safeloop::jobs
