#include "http/server.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace safeloop::http {
namespace {

TEST(DefaultMaxConnections, LeavesRoomBelowTheOpenFileLimit) {
    EXPECT_EQ(DefaultMaxConnections(1024, 80), 768u);     // a quarter kept
    EXPECT_EQ(DefaultMaxConnections(65536, 80), 49152u);  // a quarter kept
    EXPECT_EQ(DefaultMaxConnections(256, 96), 160u);      // the reserve asked for
    EXPECT_EQ(DefaultMaxConnections(128, 0), 64u);        // at least 64 kept
    EXPECT_EQ(DefaultMaxConnections(40, 0), 16u);         // never below 16
    EXPECT_EQ(DefaultMaxConnections(std::numeric_limits<uint64_t>::max(), 80), (size_t{1} << 20) / 4 * 3);
}

}  // namespace
}  // namespace safeloop::http
