#include "api/paging.hpp"

#include <gtest/gtest.h>

namespace safeloop::api {
namespace {

TEST(Paging, CursorIsHexOfTheKeyPartsAndRoundTrips) {
    // "5" = 0x35, separator 0x1f, "abc" = 0x61 0x62 0x63.
    EXPECT_EQ(EncodeCursor({"5", "abc"}), "351f616263");
    auto parts = DecodeCursor("351f616263");
    ASSERT_TRUE(parts);
    EXPECT_EQ(*parts, (std::vector<std::string>{"5", "abc"}));
    EXPECT_FALSE(DecodeCursor(""));
    EXPECT_FALSE(DecodeCursor("abc"));                  // odd length
    EXPECT_FALSE(DecodeCursor("zz"));                   // not hex
    EXPECT_FALSE(DecodeCursor("6A"));                   // upper case is not what we hand out
    EXPECT_FALSE(DecodeCursor(std::string(514, 'a')));  // longer than any cursor we hand out
}

TEST(Paging, LimitDefaultsClampsAndRejectsGarbage) {
    EXPECT_EQ(ParseLimit(std::nullopt), 50);
    EXPECT_EQ(ParseLimit("10"), 10);
    EXPECT_EQ(ParseLimit("1000"), 1000);
    EXPECT_EQ(ParseLimit("5000"), 1000);
    EXPECT_EQ(ParseLimit("99999999999999999999"), 1000);
    EXPECT_EQ(ParseLimit("007"), 7);
    EXPECT_FALSE(ParseLimit("0"));
    EXPECT_FALSE(ParseLimit("-1"));
    EXPECT_FALSE(ParseLimit("ten"));
    EXPECT_FALSE(ParseLimit(""));
}

}  // namespace
}  // namespace safeloop::api
