// The principal cache's rules: an entry is used only while it is young, its session lasts and nothing was forgotten
// since it was read.

#include "api/principal_cache.hpp"

#include <gtest/gtest.h>

namespace safeloop::api {
namespace {

using std::chrono::milliseconds;

Principal Someone(const std::string& login) {
    Principal p;
    p.user_id = "u-" + login;
    p.login = login;
    return p;
}

class PrincipalCacheTest : public ::testing::Test {
protected:
    PrincipalCache cache_{milliseconds(5000), 3};
    const TimePoint now_ = FromUnixMillis(1'800'000'000'000);
    const TimePoint session_end_ = now_ + std::chrono::hours(8);
    const PrincipalCache::Steady t0_{};
};

TEST_F(PrincipalCacheTest, AnEntryServesUntilItsTimeToLiveIsOver) {
    cache_.Put("tok-a", Someone("welder1"), session_end_, cache_.epoch(), t0_);
    auto hit = cache_.Find("tok-a", now_, t0_ + milliseconds(4999));
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->login, "welder1");
    EXPECT_FALSE(cache_.Find("tok-a", now_, t0_ + milliseconds(5000)).has_value());
    EXPECT_FALSE(cache_.Find("tok-b", now_, t0_).has_value()) << "another token";
}

TEST_F(PrincipalCacheTest, AnExpiredSessionIsNotServedByTheRequestsClock) {
    cache_.Put("tok-a", Someone("welder1"), session_end_, cache_.epoch(), t0_);
    EXPECT_TRUE(cache_.Find("tok-a", session_end_ - milliseconds(1), t0_).has_value());
    EXPECT_FALSE(cache_.Find("tok-a", session_end_, t0_).has_value());
}

TEST_F(PrincipalCacheTest, ForgetDropsEntriesAndVoidsLookupsStartedBeforeIt) {
    cache_.Put("tok-a", Someone("welder1"), session_end_, cache_.epoch(), t0_);
    const uint64_t before = cache_.epoch();  // a lookup starts
    cache_.Forget();                         // a user is disabled meanwhile
    EXPECT_FALSE(cache_.Find("tok-a", now_, t0_).has_value());
    cache_.Put("tok-b", Someone("welder2"), session_end_, before, t0_);  // what that lookup read may be stale
    EXPECT_FALSE(cache_.Find("tok-b", now_, t0_).has_value());
    EXPECT_EQ(cache_.size(), 0U);
    cache_.Put("tok-b", Someone("welder2"), session_end_, cache_.epoch(), t0_);
    EXPECT_TRUE(cache_.Find("tok-b", now_, t0_).has_value());
}

TEST_F(PrincipalCacheTest, AFullCacheStartsOver) {
    for (const char* token : {"t1", "t2", "t3"}) cache_.Put(token, Someone(token), session_end_, cache_.epoch(), t0_);
    EXPECT_EQ(cache_.size(), 3U);
    cache_.Put("t4", Someone("t4"), session_end_, cache_.epoch(), t0_);
    EXPECT_EQ(cache_.size(), 1U);
    EXPECT_TRUE(cache_.Find("t4", now_, t0_).has_value());
    EXPECT_FALSE(cache_.Find("t1", now_, t0_).has_value());
}

}  // namespace
}  // namespace safeloop::api
