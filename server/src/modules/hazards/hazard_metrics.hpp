#pragma once

// The hazard metrics as pure formulas over event histories (never stored counters): rectification
// time, overdue rate, on-time completion rate, closure rate by grade (verified closures only), repeat
// hazards, and the responsibility-penetration index per position and department. No I/O; the service
// loads the events and people and calls these. Times are UTC milliseconds; durations come out in hours.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "modules/hazards/hazard_rules.hpp"

namespace safeloop::hazards {

// One entry of a hazard's history as the metrics need it.
struct MetricEvent {
    std::string type;  // reported, assigned, accepted, submitted, rework, closed, archived, escalated, ...
    int64_t at = 0;
    std::vector<std::string> recipients;    // escalated: who was told
    std::optional<std::string> subject_id;  // escalated: the assignee whose inaction caused it
};

struct MetricHazard {
    std::string id;
    Grade grade = Grade::kBlue;
    std::string category;
    std::optional<std::string> asset_id;
    std::optional<std::string> department_id;  // responsible department
    std::optional<std::string> assignee_id;    // current assignee
    int64_t reported_at = 0;
    int64_t due_at = 0;               // after approved extensions
    std::vector<MetricEvent> events;  // in time order
};

struct MetricWorkOrder {
    std::string id;
    std::string owner_id;
    int64_t opened_at = 0;
    std::optional<int64_t> closed_at;
};

// What the history says happened when.
struct Timeline {
    std::optional<int64_t> first_assigned_at;
    std::optional<int64_t> first_accepted_at;
    // The submission that stands: the one that passed verification (closed hazards), or the latest one
    // that has not been sent back to rework. Absent when nothing stands.
    std::optional<int64_t> rectified_at;
    std::optional<int64_t> closed_at;  // first closure (verified, or on the spot with evidence)
    int64_t rework_rounds = 0;
    int64_t escalations = 0;
};
Timeline BuildTimeline(const std::vector<MetricEvent>& events);

struct Ratio {
    int64_t numerator = 0;
    int64_t denominator = 0;
    // numerator / denominator × 100, absent when the denominator is 0.
    std::optional<double> Percent() const;
};

std::optional<double> Mean(const std::vector<double>& values);
std::optional<double> Median(std::vector<double> values);

// Hours from report to closure for hazards closed in [from, to).
std::vector<double> RectificationHours(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to);

// Of the hazards whose deadline fell in [from, min(to, as_of)), the share not rectified by then
// (no standing submission, or one made after the deadline).
Ratio OverdueRate(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to, int64_t as_of);

// Of the hazards closed in [from, to), the share whose standing submission met the deadline.
Ratio OnTimeRate(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to);

// Per grade: of the hazards reported in [from, to), the share closed by as_of. Only closures count:
// a submission awaiting verification or sent back to rework is not a closure.
std::map<Grade, Ratio> ClosureRateByGrade(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to,
                                          int64_t as_of);

// Ids of the hazards that repeat an earlier one: same asset and category reported within
// `window_days` before it. `hazards` should reach back a window before the period looked at.
std::set<std::string> RepeatHazards(const std::vector<MetricHazard>& hazards, int64_t window_days);
// Of the hazards with a known asset reported in [from, to), the share that are repeats.
Ratio RepeatRate(const std::vector<MetricHazard>& hazards, const std::set<std::string>& repeats, int64_t from,
                 int64_t to);

// The responsibility-penetration index of one position or department.
struct PenetrationRow {
    std::string group_id;                      // position or department id; "" for people without one
    int64_t escalations_received = 0;          // times its people were told of someone else's stalled hazard
    int64_t escalations_caused = 0;            // times a hazard held by its people was escalated over their heads
    int64_t work_orders = 0;                   // cross-department work orders its people owned, opened in the period
    int64_t work_orders_open = 0;              // of which still open
    std::optional<double> avg_response_hours;  // opened → closed, over the closed ones
    Ratio repeat;                              // repeat hazards among its hazards with a known asset
};

struct Placement {
    std::optional<std::string> position_id;
    std::optional<std::string> department_id;
};

enum class GroupBy { kPosition, kDepartment };

// Rows for every group that appears, ordered by escalations caused, then received, then id. Hazards
// belong to their assignee's position (kPosition) or to their responsible department (kDepartment).
std::vector<PenetrationRow> Penetration(const std::vector<MetricHazard>& hazards,
                                        const std::vector<MetricWorkOrder>& work_orders,
                                        const std::map<std::string, Placement>& people,
                                        const std::set<std::string>& repeats, GroupBy group_by, int64_t from,
                                        int64_t to);

}  // namespace safeloop::hazards
