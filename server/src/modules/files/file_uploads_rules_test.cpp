#include "modules/files/file_uploads_rules.hpp"

#include <gtest/gtest.h>

namespace safeloop::files {
namespace {

TEST(UploadRules, ParsesContentRange) {
    auto r = ParseContentRange("bytes 0-1048575/41943040");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->first, 0);
    EXPECT_EQ(r->last, 1048575);
    EXPECT_EQ(r->total, 41943040);
    EXPECT_FALSE(ParseContentRange("bytes 10-5/100").has_value());
    EXPECT_FALSE(ParseContentRange("bytes 0-100/100").has_value());  // last must be < total
    EXPECT_FALSE(ParseContentRange("bytes */100").has_value());
    EXPECT_FALSE(ParseContentRange("items 0-1/2").has_value());
    EXPECT_FALSE(ParseContentRange("bytes -1-5/10").has_value());
    EXPECT_FALSE(ParseContentRange("bytes 0-5/10x").has_value());
}

TEST(UploadRules, AChunkMustContinueWhereTheUploadStands) {
    EXPECT_TRUE(CheckChunk({0, 9, 100}, 10, 100, 0).ok());
    EXPECT_TRUE(CheckChunk({10, 99, 100}, 90, 100, 10).ok());
    auto behind = CheckChunk({0, 9, 100}, 10, 100, 10);
    ASSERT_FALSE(behind.ok());
    EXPECT_EQ(behind.error().code, "offset_mismatch");
    EXPECT_EQ(behind.error().extra.at("received").as_int64(), 10);
    EXPECT_EQ(CheckChunk({0, 9, 200}, 10, 100, 0).error().code, "invalid_range");
    EXPECT_EQ(CheckChunk({0, 9, 100}, 11, 100, 0).error().code, "invalid_range");
    const auto big = static_cast<int64_t>(kMaxChunkBytes);
    EXPECT_EQ(CheckChunk({0, big, big + 10}, kMaxChunkBytes + 1, big + 10, 0).error().code, "payload_too_large");
}

TEST(UploadRules, Sha256IsLowerCaseHex) {
    EXPECT_TRUE(IsSha256Hex(std::string(64, 'a')));
    EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
    EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
    EXPECT_FALSE(IsSha256Hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace safeloop::files
