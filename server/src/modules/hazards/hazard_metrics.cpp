#include "modules/hazards/hazard_metrics.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>

namespace safeloop::hazards {

namespace {

constexpr double kHour = static_cast<double>(kHourMs);
constexpr double kPercent = 100.0;

bool In(int64_t t, int64_t from, int64_t to) { return t >= from && t < to; }

std::string GroupOf(const std::map<std::string, Placement>& people, const std::optional<std::string>& user_id,
                    GroupBy group_by) {
    if (!user_id) return "";
    auto it = people.find(*user_id);
    if (it == people.end()) return "";
    const auto& id = group_by == GroupBy::kPosition ? it->second.position_id : it->second.department_id;
    return id.value_or("");
}

}  // namespace

Timeline BuildTimeline(const std::vector<MetricEvent>& events) {
    Timeline t;
    std::optional<int64_t> standing;
    for (const auto& e : events) {
        if (e.type == "assigned" || e.type == "reassigned") {
            if (!t.first_assigned_at) t.first_assigned_at = e.at;
        } else if (e.type == "accepted") {
            if (!t.first_accepted_at) t.first_accepted_at = e.at;
        } else if (e.type == "submitted") {
            standing = e.at;
        } else if (e.type == "rework") {
            standing.reset();
            ++t.rework_rounds;
        } else if (e.type == "closed") {
            if (!t.closed_at) {
                t.closed_at = e.at;
                t.rectified_at = standing.value_or(e.at);
            }
        } else if (e.type == "escalated") {
            ++t.escalations;
        }
    }
    if (!t.closed_at) t.rectified_at = standing;
    return t;
}

std::optional<double> Ratio::Percent() const {
    if (denominator == 0) return std::nullopt;
    return kPercent * static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::optional<double> Mean(const std::vector<double>& values) {
    if (values.empty()) return std::nullopt;
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

std::optional<double> Median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::vector<double> RectificationHours(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to) {
    std::vector<double> out;
    for (const auto& h : hazards) {
        auto t = BuildTimeline(h.events);
        if (t.closed_at && In(*t.closed_at, from, to)) {
            out.push_back(static_cast<double>(*t.closed_at - h.reported_at) / kHour);
        }
    }
    return out;
}

Ratio OverdueRate(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to, int64_t as_of) {
    Ratio r;
    const int64_t end = std::min(to, as_of);
    for (const auto& h : hazards) {
        if (!In(h.due_at, from, end)) continue;
        ++r.denominator;
        auto t = BuildTimeline(h.events);
        if (!t.rectified_at || *t.rectified_at > h.due_at) ++r.numerator;
    }
    return r;
}

Ratio OnTimeRate(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to) {
    Ratio r;
    for (const auto& h : hazards) {
        auto t = BuildTimeline(h.events);
        if (!t.closed_at || !In(*t.closed_at, from, to)) continue;
        ++r.denominator;
        if (t.rectified_at && *t.rectified_at <= h.due_at) ++r.numerator;
    }
    return r;
}

std::map<Grade, Ratio> ClosureRateByGrade(const std::vector<MetricHazard>& hazards, int64_t from, int64_t to,
                                          int64_t as_of) {
    std::map<Grade, Ratio> out;
    for (Grade g : kAllGrades) out[g] = Ratio{};
    for (const auto& h : hazards) {
        if (!In(h.reported_at, from, to)) continue;
        auto& r = out[h.grade];
        ++r.denominator;
        auto t = BuildTimeline(h.events);
        if (t.closed_at && *t.closed_at <= as_of) ++r.numerator;
    }
    return out;
}

std::set<std::string> RepeatHazards(const std::vector<MetricHazard>& hazards, int64_t window_days) {
    // Per (asset, category), the report times in order; a hazard repeats when the previous one of the
    // same pair lies within the window before it.
    std::map<std::pair<std::string, std::string>, std::vector<std::pair<int64_t, std::string>>> by_pair;
    for (const auto& h : hazards) {
        if (!h.asset_id || h.asset_id->empty()) continue;
        by_pair[{*h.asset_id, h.category}].emplace_back(h.reported_at, h.id);
    }
    std::set<std::string> repeats;
    const int64_t window = window_days * kDayMs;
    for (auto& [pair, list] : by_pair) {
        std::sort(list.begin(), list.end());
        for (size_t i = 1; i < list.size(); ++i) {
            if (list[i].first - list[i - 1].first <= window) repeats.insert(list[i].second);
        }
    }
    return repeats;
}

Ratio RepeatRate(const std::vector<MetricHazard>& hazards, const std::set<std::string>& repeats, int64_t from,
                 int64_t to) {
    Ratio r;
    for (const auto& h : hazards) {
        if (!h.asset_id || h.asset_id->empty() || !In(h.reported_at, from, to)) continue;
        ++r.denominator;
        if (repeats.contains(h.id)) ++r.numerator;
    }
    return r;
}

std::vector<PenetrationRow> Penetration(const std::vector<MetricHazard>& hazards,
                                        const std::vector<MetricWorkOrder>& work_orders,
                                        const std::map<std::string, Placement>& people,
                                        const std::set<std::string>& repeats, GroupBy group_by, int64_t from,
                                        int64_t to) {
    std::map<std::string, PenetrationRow> rows;
    auto row = [&](const std::string& id) -> PenetrationRow& {
        auto& r = rows[id];
        r.group_id = id;
        return r;
    };
    for (const auto& h : hazards) {
        for (const auto& e : h.events) {
            if (e.type != "escalated" || !In(e.at, from, to)) continue;
            for (const auto& recipient : e.recipients) ++row(GroupOf(people, recipient, group_by)).escalations_received;
            ++row(GroupOf(people, e.subject_id ? e.subject_id : h.assignee_id, group_by)).escalations_caused;
        }
        if (h.asset_id && !h.asset_id->empty() && In(h.reported_at, from, to)) {
            std::string group = group_by == GroupBy::kDepartment ? h.department_id.value_or("")
                                                                 : GroupOf(people, h.assignee_id, group_by);
            auto& r = row(group);
            ++r.repeat.denominator;
            if (repeats.contains(h.id)) ++r.repeat.numerator;
        }
    }
    std::map<std::string, std::vector<double>> response;
    for (const auto& w : work_orders) {
        if (!In(w.opened_at, from, to)) continue;
        auto& r = row(GroupOf(people, w.owner_id, group_by));
        ++r.work_orders;
        if (w.closed_at) {
            response[r.group_id].push_back(static_cast<double>(*w.closed_at - w.opened_at) / kHour);
        } else {
            ++r.work_orders_open;
        }
    }
    std::vector<PenetrationRow> out;
    for (auto& [id, r] : rows) {
        r.avg_response_hours = Mean(response[id]);
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const PenetrationRow& a, const PenetrationRow& b) {
        return std::tie(b.escalations_caused, b.escalations_received, a.group_id) <
               std::tie(a.escalations_caused, a.escalations_received, b.group_id);
    });
    return out;
}

}  // namespace safeloop::hazards
