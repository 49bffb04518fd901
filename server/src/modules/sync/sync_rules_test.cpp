#include "modules/sync/sync_rules.hpp"

#include "api/paging.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace safeloop::sync {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }

constexpr std::string_view kId = "0190f5d2-7a1b-7c3d-8e4f-123456789abc";

TEST(SyncRules, ParsesABatchInOrder) {
    auto b = ParseBatch(Obj(R"({"device_id":"phone-1","mutations":[
        {"id":"0190F5D2-7A1B-7C3D-8E4F-123456789ABC","type":"report.create","payload":{"title":"x"},
         "created_at":"2026-11-28T08:00:00+08:00"},
        {"id":"0190f5d2-7a1b-7c3d-8e4f-123456789abd","type":"report.accept","payload":{}}]})"));
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b->mutations.size(), 2U);
    EXPECT_EQ(b->device_id, "phone-1");
    EXPECT_EQ(b->mutations[0].id, kId);  // lower-cased
    EXPECT_EQ(b->mutations[0].type, "report.create");
    ASSERT_TRUE(b->mutations[0].recorded_at.has_value());
    EXPECT_EQ(*b->mutations[0].recorded_at, 1795824000000);  // 2026-11-28T00:00:00Z
    EXPECT_FALSE(b->mutations[0].invalid.has_value());
    EXPECT_EQ(b->mutations[1].type, "report.accept");
}

TEST(SyncRules, AMalformedEnvelopeRefusesTheWholeBatch) {
    EXPECT_EQ(ParseBatch(Obj(R"({"mutations":[]})")).error().fields.count("device_id"), 1U);
    EXPECT_EQ(ParseBatch(Obj(R"({"device_id":"d"})")).error().fields.count("mutations"), 1U);
    auto no_id = ParseBatch(Obj(R"({"device_id":"d","mutations":[{"type":"report.create","payload":{}}]})"));
    ASSERT_FALSE(no_id.ok());
    EXPECT_EQ(no_id.error().fields.count("mutations[0].id"), 1U);
    boost::json::array many;
    for (size_t i = 0; i <= kMaxMutations; ++i) many.push_back(boost::json::object{{"id", kId}});
    auto big = ParseBatch(boost::json::object{{"device_id", "d"}, {"mutations", many}});
    ASSERT_FALSE(big.ok());
    EXPECT_EQ(big.error().code, "too_many_mutations");
}

TEST(SyncRules, ABadMutationOnlyRejectsItself) {
    auto b = ParseBatch(Obj(R"({"device_id":"d","mutations":[
        {"id":"0190f5d2-7a1b-7c3d-8e4f-123456789abc","type":"Report Create!","payload":[]},
        {"id":"0190f5d2-7a1b-7c3d-8e4f-123456789abd","type":"report.create","payload":{},"created_at":"yesterday"}]})"));
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(b->mutations[0].invalid.has_value());
    EXPECT_EQ(b->mutations[0].invalid->fields.count("type"), 1U);
    EXPECT_EQ(b->mutations[0].invalid->fields.count("payload"), 1U);
    ASSERT_TRUE(b->mutations[1].invalid.has_value());
    EXPECT_EQ(b->mutations[1].invalid->fields.count("created_at"), 1U);
}

TEST(SyncRules, RetryableRejectionsAreNotRemembered) {
    EXPECT_FALSE(IsRemembered("file_missing"));
    EXPECT_FALSE(IsRemembered("unknown_type"));
    EXPECT_FALSE(IsRemembered("not_found"));
    EXPECT_FALSE(IsRemembered("internal_error"));
    EXPECT_TRUE(IsRemembered("validation_failed"));
    EXPECT_TRUE(IsRemembered("already_verified"));
    EXPECT_TRUE(IsRemembered("reassigned"));
    EXPECT_TRUE(IsRetryable("file_missing"));
}

TEST(SyncRules, CursorsRoundTrip) {
    ChangeCursor c{ChangeCursor::Phase::kSnapshot, 42, "abc", 2};
    auto back = DecodeChangeCursor(EncodeChangeCursor(c));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->phase, ChangeCursor::Phase::kSnapshot);
    EXPECT_EQ(back->watermark, 42);
    EXPECT_EQ(back->list_cursor, "abc");
    EXPECT_EQ(back->feed, 2U);
    EXPECT_FALSE(DecodeChangeCursor("zz").has_value());
    EXPECT_FALSE(DecodeChangeCursor("").has_value());
}

TEST(SyncRules, ACursorOfThreePartsIsStillRead) {
    // Given before the feeds were the features' own: changes keep their watermark, a snapshot starts again.
    auto changes = DecodeChangeCursor(api::EncodeCursor({"c", "17", ""}));
    ASSERT_TRUE(changes.has_value());
    EXPECT_EQ(changes->phase, ChangeCursor::Phase::kChanges);
    EXPECT_EQ(changes->watermark, 17);
    auto snapshot = DecodeChangeCursor(api::EncodeCursor({"s", "17", "somewhere"}));
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_EQ(snapshot->phase, ChangeCursor::Phase::kSnapshot);
    EXPECT_EQ(snapshot->feed, 0U);
    EXPECT_EQ(snapshot->list_cursor, "");
    EXPECT_FALSE(DecodeChangeCursor(api::EncodeCursor({"c", "17", "", "x"})).has_value());
}

}  // namespace
}  // namespace safeloop::sync
