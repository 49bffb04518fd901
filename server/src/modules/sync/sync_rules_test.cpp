#include "modules/sync/sync_rules.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace safeloop::sync {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }

constexpr std::string_view kId = "0190f5d2-7a1b-7c3d-8e4f-123456789abc";

TEST(SyncRules, ParsesABatchInOrder) {
    auto b = ParseBatch(Obj(R"({"device_id":"phone-1","mutations":[
        {"id":"0190F5D2-7A1B-7C3D-8E4F-123456789ABC","type":"hazard.create","payload":{"title":"x"},
         "created_at":"2026-11-28T08:00:00+08:00"},
        {"id":"0190f5d2-7a1b-7c3d-8e4f-123456789abd","type":"hazard.accept","payload":{}}]})"));
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b->mutations.size(), 2U);
    EXPECT_EQ(b->device_id, "phone-1");
    EXPECT_EQ(b->mutations[0].id, kId);  // lower-cased
    EXPECT_EQ(b->mutations[0].type, "hazard.create");
    ASSERT_TRUE(b->mutations[0].recorded_at.has_value());
    EXPECT_EQ(*b->mutations[0].recorded_at, 1795824000000);  // 2026-11-28T00:00:00Z
    EXPECT_FALSE(b->mutations[0].invalid.has_value());
    EXPECT_EQ(b->mutations[1].type, "hazard.accept");
}

TEST(SyncRules, AMalformedEnvelopeRefusesTheWholeBatch) {
    EXPECT_EQ(ParseBatch(Obj(R"({"mutations":[]})")).error().fields.count("device_id"), 1U);
    EXPECT_EQ(ParseBatch(Obj(R"({"device_id":"d"})")).error().fields.count("mutations"), 1U);
    auto no_id = ParseBatch(Obj(R"({"device_id":"d","mutations":[{"type":"hazard.create","payload":{}}]})"));
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
        {"id":"0190f5d2-7a1b-7c3d-8e4f-123456789abc","type":"Hazard Create!","payload":[]},
        {"id":"0190f5d2-7a1b-7c3d-8e4f-123456789abd","type":"hazard.create","payload":{},"created_at":"yesterday"}]})"));
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

HazardView Submitted() {
    HazardView v;
    v.code = "YH-2026-000001";
    v.status = "submitted";
    v.assignee_id = "worker";
    v.assignee_name = "张三";
    v.assignment_no = 1;
    v.latest_round = 1;
    return v;
}

TEST(SyncRules, TheFirstVerificationWins) {
    HazardView v = Submitted();
    EXPECT_FALSE(HazardConflict(HazardAction::kVerify, v, {}, "officer2").has_value());
    v.status = "closed";
    v.verified_result = "pass";
    v.verified_by_name = "安全员一";
    v.verified_at = "2026-11-28T08:00:00.000Z";
    auto c = HazardConflict(HazardAction::kVerify, v, {}, "officer2");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->code, "already_verified");
    EXPECT_NE(c->message.find("安全员一"), std::string::npos);
    // Failed and resubmitted meanwhile: the round the phone verified is not the one standing.
    v = Submitted();
    v.latest_round = 2;
    v.verified_result = "fail";
    EXPECT_EQ(HazardConflict(HazardAction::kVerify, v, {std::nullopt, 1}, "officer2")->code, "already_verified");
    EXPECT_FALSE(HazardConflict(HazardAction::kVerify, v, {std::nullopt, 2}, "officer2").has_value());
}

TEST(SyncRules, ActionsOfAReassignedHazardAreRefused) {
    HazardView v = Submitted();
    v.status = "accepted";
    v.assignment_no = 2;
    v.assignee_id = "other";
    v.assignee_name = "李四";
    auto c = HazardConflict(HazardAction::kRectify, v, {1, std::nullopt}, "worker");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->code, "reassigned");
    EXPECT_NE(c->message.find("李四"), std::string::npos);
    // Reassigned back to the same person: still another assignment than the one the phone saw.
    v.assignee_id = "worker";
    EXPECT_EQ(HazardConflict(HazardAction::kAccept, v, {1, std::nullopt}, "worker")->code, "reassigned");
    EXPECT_FALSE(HazardConflict(HazardAction::kAccept, v, {2, std::nullopt}, "worker").has_value());
    EXPECT_FALSE(HazardConflict(HazardAction::kExtension, v, {}, "worker").has_value());
    EXPECT_EQ(ReassignedOutOfSight().code, "reassigned");
}

TEST(SyncRules, ClosedAndArchivedHazardsAreRefused) {
    HazardView v = Submitted();
    v.status = "closed";
    EXPECT_EQ(HazardConflict(HazardAction::kRectify, v, {}, "worker")->code, "hazard_closed");
    EXPECT_EQ(HazardConflict(HazardAction::kExtension, v, {}, "worker")->code, "hazard_closed");
    v.status = "archived";
    EXPECT_EQ(HazardConflict(HazardAction::kAccept, v, {}, "worker")->code, "hazard_archived");
    EXPECT_EQ(HazardConflict(HazardAction::kVerify, v, {}, "officer")->code, "hazard_archived");
}

TEST(SyncRules, CursorsRoundTrip) {
    ChangeCursor c{ChangeCursor::Phase::kSnapshot, 42, "abc"};
    auto back = DecodeChangeCursor(EncodeChangeCursor(c));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->phase, ChangeCursor::Phase::kSnapshot);
    EXPECT_EQ(back->watermark, 42);
    EXPECT_EQ(back->list_cursor, "abc");
    EXPECT_FALSE(DecodeChangeCursor("zz").has_value());
    EXPECT_FALSE(DecodeChangeCursor("").has_value());
}

}  // namespace
}  // namespace safeloop::sync
