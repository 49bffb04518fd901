#include "modules/hazards/hazard_sync_rules.hpp"

#include <gtest/gtest.h>

namespace safeloop::hazards {
namespace {

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

TEST(HazardSyncRules, TheFirstVerificationWins) {
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

TEST(HazardSyncRules, ActionsOfAReassignedHazardAreRefused) {
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

TEST(HazardSyncRules, ClosedAndArchivedHazardsAreRefused) {
    HazardView v = Submitted();
    v.status = "closed";
    EXPECT_EQ(HazardConflict(HazardAction::kRectify, v, {}, "worker")->code, "hazard_closed");
    EXPECT_EQ(HazardConflict(HazardAction::kExtension, v, {}, "worker")->code, "hazard_closed");
    v.status = "archived";
    EXPECT_EQ(HazardConflict(HazardAction::kAccept, v, {}, "worker")->code, "hazard_archived");
    EXPECT_EQ(HazardConflict(HazardAction::kVerify, v, {}, "officer")->code, "hazard_archived");
}

}  // namespace
}  // namespace safeloop::hazards
