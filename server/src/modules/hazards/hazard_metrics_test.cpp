#include "modules/hazards/hazard_metrics.hpp"

#include <gtest/gtest.h>

namespace safeloop::hazards {
namespace {

constexpr int64_t kT0 = 1772323200000;  // 2026-03-01T00:00:00Z
constexpr int64_t kH = kHourMs;
constexpr int64_t kD = kDayMs;

MetricEvent E(std::string type, int64_t at) { return MetricEvent{std::move(type), at, {}, std::nullopt}; }

MetricHazard H(std::string id, Grade grade, int64_t reported_at, int64_t due_at, std::vector<MetricEvent> events) {
    MetricHazard h;
    h.id = std::move(id);
    h.grade = grade;
    h.category = "电气";
    h.reported_at = reported_at;
    h.due_at = due_at;
    h.events = std::move(events);
    return h;
}

TEST(HazardMetrics, TimelineFollowsSubmissionsReworkAndClosure) {
    // reported 0, assigned 0, accepted 1h, submitted 3h, rework 4h, submitted 6h, closed 7h.
    auto t =
        BuildTimeline({E("reported", kT0), E("assigned", kT0), E("accepted", kT0 + kH), E("submitted", kT0 + 3 * kH),
                       E("rework", kT0 + 4 * kH), E("submitted", kT0 + 6 * kH), E("closed", kT0 + 7 * kH)});
    EXPECT_EQ(t.first_assigned_at, kT0);
    EXPECT_EQ(t.first_accepted_at, kT0 + kH);
    EXPECT_EQ(t.rectified_at, kT0 + 6 * kH);  // the submission that passed
    EXPECT_EQ(t.closed_at, kT0 + 7 * kH);
    EXPECT_EQ(t.rework_rounds, 1);
    // Sent back and not yet resubmitted: nothing stands.
    t = BuildTimeline({E("reported", kT0), E("submitted", kT0 + kH), E("rework", kT0 + 2 * kH)});
    EXPECT_FALSE(t.rectified_at);
    EXPECT_FALSE(t.closed_at);
    // Awaiting verification: the submission stands.
    t = BuildTimeline({E("reported", kT0), E("submitted", kT0 + kH)});
    EXPECT_EQ(t.rectified_at, kT0 + kH);
    // Fixed on the spot: reported, submitted and closed at once.
    t = BuildTimeline({E("reported", kT0), E("submitted", kT0), E("closed", kT0)});
    EXPECT_EQ(t.rectified_at, kT0);
    EXPECT_EQ(t.closed_at, kT0);
}

TEST(HazardMetrics, MeanAndMedian) {
    EXPECT_FALSE(Mean({}));
    EXPECT_FALSE(Median({}));
    EXPECT_DOUBLE_EQ(*Mean({1, 2, 6}), 3.0);
    EXPECT_DOUBLE_EQ(*Median({6, 1, 2}), 2.0);
    EXPECT_DOUBLE_EQ(*Median({4, 1, 2, 10}), 3.0);
}

// Four hazards in March 2026 (period [kT0, kT0 + 31 d)):
//   a red,    reported day 0, due +2 h, submitted +1 h, closed +3 h          → on time, 3 h
//   b yellow, reported day 1, due +24 h, submitted +30 h, closed +50 h       → late, 50 h
//   c blue,   reported day 2, due +72 h, submitted +10 h, rework, still open → overdue at day 5
//   d blue,   reported day 30, due +72 h (April 2): not yet due in March
std::vector<MetricHazard> March() {
    return {
        H("a", Grade::kRed, kT0, kT0 + 2 * kH,
          {E("reported", kT0), E("submitted", kT0 + kH), E("closed", kT0 + 3 * kH)}),
        H("b", Grade::kYellow, kT0 + kD, kT0 + kD + 24 * kH,
          {E("reported", kT0 + kD), E("submitted", kT0 + kD + 30 * kH), E("closed", kT0 + kD + 50 * kH)}),
        H("c", Grade::kBlue, kT0 + 2 * kD, kT0 + 2 * kD + 72 * kH,
          {E("reported", kT0 + 2 * kD), E("submitted", kT0 + 2 * kD + 10 * kH), E("rework", kT0 + 2 * kD + 20 * kH)}),
        H("d", Grade::kBlue, kT0 + 30 * kD, kT0 + 33 * kD, {E("reported", kT0 + 30 * kD)}),
    };
}

TEST(HazardMetrics, RectificationTimeIsReportToClosure) {
    auto hours = RectificationHours(March(), kT0, kT0 + 31 * kD);
    ASSERT_EQ(hours.size(), 2u);
    EXPECT_DOUBLE_EQ(*Mean(hours), (3.0 + 50.0) / 2);
    EXPECT_DOUBLE_EQ(*Median(hours), 26.5);
    EXPECT_TRUE(RectificationHours(March(), kT0 + 31 * kD, kT0 + 62 * kD).empty());
}

TEST(HazardMetrics, OverdueRateCountsDeadlinesThatFellInThePeriod) {
    // Due in March and judged by April 10: a (on time), b (late), c (rework, nothing stands) → 2 of 3.
    auto r = OverdueRate(March(), kT0, kT0 + 31 * kD, kT0 + 40 * kD);
    EXPECT_EQ(r.numerator, 2);
    EXPECT_EQ(r.denominator, 3);
    EXPECT_NEAR(*r.Percent(), 66.667, 0.001);
    // As of day 1 12:00 only a's deadline has passed.
    r = OverdueRate(March(), kT0, kT0 + 31 * kD, kT0 + kD + 12 * kH);
    EXPECT_EQ(r.denominator, 1);
    EXPECT_EQ(r.numerator, 0);
    EXPECT_FALSE(Ratio{}.Percent());
}

TEST(HazardMetrics, OnTimeRateIsOverClosedHazards) {
    auto r = OnTimeRate(March(), kT0, kT0 + 31 * kD);
    EXPECT_EQ(r.numerator, 1);    // a
    EXPECT_EQ(r.denominator, 2);  // a, b
    EXPECT_DOUBLE_EQ(*r.Percent(), 50.0);
}

TEST(HazardMetrics, ClosureRateCountsOnlyClosures) {
    auto hazards = March();
    // e: yellow, submitted and awaiting verification — a pseudo-closure, not counted.
    hazards.push_back(H("e", Grade::kYellow, kT0 + 3 * kD, kT0 + 4 * kD,
                        {E("reported", kT0 + 3 * kD), E("submitted", kT0 + 3 * kD + kH)}));
    auto rates = ClosureRateByGrade(hazards, kT0, kT0 + 31 * kD, kT0 + 40 * kD);
    EXPECT_EQ(rates[Grade::kRed].numerator, 1);
    EXPECT_EQ(rates[Grade::kRed].denominator, 1);
    EXPECT_EQ(rates[Grade::kYellow].numerator, 1);  // b only
    EXPECT_EQ(rates[Grade::kYellow].denominator, 2);
    EXPECT_EQ(rates[Grade::kBlue].numerator, 0);
    EXPECT_EQ(rates[Grade::kBlue].denominator, 2);
    // Judged as of day 1: b was not closed yet.
    rates = ClosureRateByGrade(hazards, kT0, kT0 + 31 * kD, kT0 + kD + kH);
    EXPECT_EQ(rates[Grade::kYellow].numerator, 0);
}

TEST(HazardMetrics, RepeatsAreSameAssetAndCategoryWithinTheWindow) {
    auto mk = [](std::string id, std::string asset, std::string category, int64_t day) {
        auto h = H(std::move(id), Grade::kBlue, kT0 + day * kD, kT0 + day * kD + 72 * kH, {});
        h.asset_id = std::move(asset);
        h.category = std::move(category);
        return h;
    };
    std::vector<MetricHazard> hs = {
        mk("p1", "crane-1", "设备", 0),                           //
        mk("p2", "crane-1", "设备", 90),                          // 90 days after p1: repeat (window inclusive)
        mk("p3", "crane-1", "设备", 181),                         // 91 days after p2: not a repeat
        mk("p4", "crane-1", "电气", 100),                         // other category
        mk("p5", "crane-2", "设备", 95),                          // other asset
        H("p6", Grade::kBlue, kT0 + 95 * kD, kT0 + 96 * kD, {}),  // no asset: never a repeat
    };
    auto repeats = RepeatHazards(hs, 90);
    EXPECT_EQ(repeats, (std::set<std::string>{"p2"}));
    // Period [day 60, day 200): p2, p3, p4, p5 have an asset → 1 of 4.
    auto r = RepeatRate(hs, repeats, kT0 + 60 * kD, kT0 + 200 * kD);
    EXPECT_EQ(r.numerator, 1);
    EXPECT_EQ(r.denominator, 4);
}

TEST(HazardMetrics, PenetrationCountsEscalationsWorkOrdersAndRepeatsPerGroup) {
    // People: leader (position P-lead, dept D-weld), director (P-dir, D-weld), vp (P-vp, D-office).
    std::map<std::string, Placement> people = {
        {"leader", {std::string("P-lead"), std::string("D-weld")}},
        {"director", {std::string("P-dir"), std::string("D-weld")}},
        {"vp", {std::string("P-vp"), std::string("D-office")}},
    };
    MetricEvent to_director = E("escalated", kT0 + 15 * kMinuteMs);
    to_director.recipients = {"director"};
    to_director.subject_id = "leader";
    MetricEvent to_vp = E("escalated", kT0 + 2 * kH);
    to_vp.recipients = {"vp"};
    to_vp.subject_id = "leader";
    auto h1 = H("h1", Grade::kRed, kT0, kT0 + 2 * kH, {E("reported", kT0), to_director, to_vp});
    h1.assignee_id = "leader";
    h1.department_id = "D-weld";
    h1.asset_id = "welder-7";
    auto h2 = H("h2", Grade::kBlue, kT0 + kD, kT0 + 4 * kD, {E("reported", kT0 + kD)});
    h2.assignee_id = "leader";
    h2.department_id = "D-weld";
    h2.asset_id = "welder-7";
    h2.category = h1.category;
    std::vector<MetricHazard> hazards = {h1, h2};
    auto repeats = RepeatHazards(hazards, 90);  // h2 repeats h1
    std::vector<MetricWorkOrder> orders = {
        {"w1", "director", kT0 + 2 * kH, kT0 + 8 * kH},  // 6 h to close
        {"w2", "director", kT0 + kD, std::nullopt},      // still open
    };
    auto rows = Penetration(hazards, orders, people, repeats, GroupBy::kPosition, kT0, kT0 + 31 * kD);
    std::map<std::string, PenetrationRow> by;
    for (const auto& r : rows) by[r.group_id] = r;
    EXPECT_EQ(rows.front().group_id, "P-lead");  // most escalations caused first
    EXPECT_EQ(by["P-lead"].escalations_caused, 2);
    EXPECT_EQ(by["P-lead"].escalations_received, 0);
    EXPECT_EQ(by["P-lead"].repeat.numerator, 1);
    EXPECT_EQ(by["P-lead"].repeat.denominator, 2);
    EXPECT_EQ(by["P-dir"].escalations_received, 1);
    EXPECT_EQ(by["P-dir"].work_orders, 2);
    EXPECT_EQ(by["P-dir"].work_orders_open, 1);
    EXPECT_DOUBLE_EQ(*by["P-dir"].avg_response_hours, 6.0);
    EXPECT_EQ(by["P-vp"].escalations_received, 1);
    EXPECT_FALSE(by["P-vp"].avg_response_hours);

    auto depts = Penetration(hazards, orders, people, repeats, GroupBy::kDepartment, kT0, kT0 + 31 * kD);
    std::map<std::string, PenetrationRow> d;
    for (const auto& r : depts) d[r.group_id] = r;
    EXPECT_EQ(d["D-weld"].escalations_caused, 2);
    EXPECT_EQ(d["D-weld"].escalations_received, 1);  // the director
    EXPECT_EQ(d["D-weld"].work_orders, 2);
    EXPECT_EQ(d["D-office"].escalations_received, 1);
    // Outside the period nothing counts.
    EXPECT_TRUE(
        Penetration(hazards, orders, people, repeats, GroupBy::kDepartment, kT0 + 40 * kD, kT0 + 50 * kD).empty());
}

}  // namespace
}  // namespace safeloop::hazards
