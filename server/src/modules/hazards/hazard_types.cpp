#include "modules/hazards/hazard_types.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "api/json_body.hpp"
#include "core/clock.hpp"

namespace safeloop::hazards {

namespace {

boost::json::value OptTime(const std::optional<int64_t>& ms) {
    return ms ? boost::json::value(Rfc3339(*ms)) : boost::json::value(nullptr);
}

boost::json::value OptString(const std::optional<std::string>& s) { return api::OptionalToJson(s); }

boost::json::value OptInt(const std::optional<int64_t>& v) { return api::OptionalToJson(v); }

boost::json::value OptDouble(const std::optional<double>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::array Strings(const std::vector<std::string>& values) {
    boost::json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}

boost::json::value ParsedOrNull(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    boost::system::error_code ec;
    auto v = boost::json::parse(*text, ec);
    return ec ? boost::json::value(nullptr) : v;
}

bool Has(const std::vector<std::string>& ids, const std::optional<std::string>& id) {
    return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
}

}  // namespace

bool ReadableBy(const Hazard& h, const std::vector<Extension>& extensions, const HazardScope& scope) {
    return VisibleTo(h, scope) || std::any_of(extensions.begin(), extensions.end(),
                                              [&](const Extension& x) { return x.approver_id == scope.user_id; });
}

std::string Rfc3339(int64_t ms) { return FormatRfc3339(FromUnixMillis(ms)); }

bool VisibleTo(const Hazard& h, const HazardScope& scope) {
    using Kind = HazardScope::Kind;
    if (scope.kind == Kind::kTenant) return true;
    const std::string& me = scope.user_id;
    if (h.reporter_id == me || h.assignee_id == me || h.liable_person_id == me) return true;
    switch (scope.kind) {
        case Kind::kDepartment:
            return Has(scope.department_ids, h.department_id) || Has(scope.department_ids, h.reporter_department_id);
        case Kind::kTeam: return scope.team_id && (h.team_id == scope.team_id || h.reporter_team_id == scope.team_id);
        case Kind::kSite: return scope.site_id && h.site_id == scope.site_id;
        default: return false;
    }
}

boost::json::object ToJson(const GeoPoint& p) {
    boost::json::object o;
    o["lat"] = p.lat;
    o["lng"] = p.lng;
    o["accuracy_m"] = OptDouble(p.accuracy_m);
    return o;
}

boost::json::object ToJson(const VoiceNote& n) {
    boost::json::object o;
    o["file_id"] = n.file_id;
    o["content_type"] = n.content_type;
    o["duration_s"] = n.duration_s;
    o["created_at"] = Rfc3339(n.created_at);
    return o;
}

boost::json::object ToJson(const Hazard& h, int64_t now, const Names& names) {
    boost::json::object o;
    o["id"] = h.id;
    o["code"] = h.code;
    o["status"] = StatusName(h.status);
    o["status_label"] = StatusLabel(h.status);
    o["grade"] = GradeName(h.grade);
    o["grade_label"] = GradeLabel(h.grade);
    o["level"] = ProvincialLevel(h.grade);
    o["title"] = h.title;
    o["description"] = h.description;
    o["category"] = h.category;
    o["source"] = h.source;
    o["manage_type"] = h.manage_type;
    o["hazard_type"] = OptInt(h.hazard_type);
    o["management_class"] = OptInt(h.management_class);
    o["occurrence_link"] = OptInt(h.occurrence_link);
    o["provincial_state"] = ProvincialState(h.status);
    o["cost"] = OptDouble(h.cost);
    o["liable_person_id"] = OptString(h.liable_person_id);
    o["major_plan"] = ParsedOrNull(h.major_plan_json);
    o["site_id"] = OptString(h.site_id);
    o["department_id"] = OptString(h.department_id);
    o["department_name"] = OptString(names.department);
    o["team_id"] = OptString(h.team_id);
    o["location"] = h.location;
    o["position"] = h.position ? boost::json::value(ToJson(*h.position)) : boost::json::value(nullptr);
    o["asset_id"] = OptString(h.asset_id);
    o["area"] = OptString(h.area);
    o["photos"] = Strings(h.photos);
    o["change_order_no"] = OptString(h.change_order_no);
    o["reporter_id"] = h.reporter_id;
    o["reporter_name"] = OptString(names.reporter);
    o["assignee_id"] = OptString(h.assignee_id);
    o["assignee_name"] = OptString(names.assignee);
    o["assignment_no"] = h.assignment_no;
    o["reported_at"] = Rfc3339(h.reported_at);
    o["due_at"] = Rfc3339(h.due_at);
    o["original_due_at"] = Rfc3339(h.original_due_at);
    o["assigned_at"] = OptTime(h.assigned_at);
    o["accepted_at"] = OptTime(h.accepted_at);
    o["submitted_at"] = OptTime(h.submitted_at);
    o["closed_at"] = OptTime(h.closed_at);
    o["archived_at"] = OptTime(h.archived_at);
    o["overdue"] = IsOverdue(h.status, h.due_at, now);
    // Seconds left until the deadline (negative once overdue) while rectification is outstanding.
    o["remaining_s"] =
        AwaitsRectification(h.status) ? boost::json::value((h.due_at - now) / 1000) : boost::json::value(nullptr);
    if (h.acceptance_by) {
        o["acceptance"] = boost::json::object{
            {"by", *h.acceptance_by}, {"at", OptTime(h.acceptance_at)}, {"comment", OptString(h.acceptance_comment)}};
    } else {
        o["acceptance"] = nullptr;
    }
    o["rework_rounds"] = h.rework_rounds;
    o["extension_count"] = h.extension_count;
    o["escalation_count"] = h.escalation_count;
    o["pending_extension_id"] = OptString(h.pending_extension_id);
    o["version"] = h.version;
    o["updated_at"] = Rfc3339(h.updated_at);
    return o;
}

boost::json::object ToJson(const Event& e) {
    boost::json::object o;
    o["seq"] = e.seq;
    o["type"] = e.type;
    o["at"] = Rfc3339(e.at);
    o["actor_id"] = OptString(e.actor_id);
    o["from_status"] = OptString(e.from_status);
    o["to_status"] = OptString(e.to_status);
    o["data"] = e.data;
    return o;
}

boost::json::object ToJson(const Rectification& r) {
    boost::json::array evidence;
    for (const auto& e : r.evidence)
        evidence.emplace_back(boost::json::object{{"kind", e.kind}, {"file_id", e.file_id}});
    boost::json::object o;
    o["id"] = r.id;
    o["round"] = r.round;
    o["submitted_by"] = r.submitted_by;
    o["submitted_at"] = Rfc3339(r.submitted_at);
    o["note"] = r.note;
    o["position"] = r.position ? boost::json::value(ToJson(*r.position)) : boost::json::value(nullptr);
    o["evidence"] = std::move(evidence);
    if (r.signature_file_id) {
        o["signature"] = boost::json::object{{"file_id", *r.signature_file_id},
                                             {"signed_by", OptString(r.signed_by)},
                                             {"signed_at", OptTime(r.signed_at)},
                                             {"content_sha256", OptString(r.content_sha256)}};
    } else {
        o["signature"] = nullptr;
    }
    o["result"] = OptString(r.result);
    o["verified_by"] = OptString(r.verified_by);
    o["verified_at"] = OptTime(r.verified_at);
    o["verify_comment"] = OptString(r.verify_comment);
    return o;
}

boost::json::object ToJson(const Extension& x) {
    boost::json::object o;
    o["id"] = x.id;
    o["hazard_id"] = x.hazard_id;
    o["requested_by"] = x.requested_by;
    o["requested_at"] = Rfc3339(x.requested_at);
    o["reason"] = x.reason;
    o["old_due_at"] = Rfc3339(x.old_due_at);
    o["new_due_at"] = Rfc3339(x.new_due_at);
    o["approver_id"] = OptString(x.approver_id);
    o["status"] = x.status;
    o["decided_by"] = OptString(x.decided_by);
    o["decided_at"] = OptTime(x.decided_at);
    o["comment"] = OptString(x.comment);
    return o;
}

boost::json::object ToJson(const WorkOrder& w) {
    boost::json::object o;
    o["id"] = w.id;
    o["hazard_id"] = w.hazard_id;
    o["hazard_code"] = w.hazard_code;
    o["title"] = w.title;
    o["reason"] = w.reason;
    o["owner_id"] = w.owner_id;
    o["cc_user_ids"] = Strings(w.cc_user_ids);
    o["department_id"] = OptString(w.department_id);
    o["status"] = w.status;
    o["opened_at"] = Rfc3339(w.opened_at);
    o["closed_at"] = OptTime(w.closed_at);
    o["closed_by"] = OptString(w.closed_by);
    o["resolution"] = OptString(w.resolution);
    return o;
}

boost::json::object ToJson(const HazardConfig& c) {
    boost::json::array grades;
    for (Grade g : kAllGrades) {
        const auto& r = RuleFor(c, g);
        grades.emplace_back(boost::json::object{{"grade", GradeName(g)},
                                                {"deadline_min", r.deadline_min},
                                                {"accept_escalation_min", r.accept_escalation_min},
                                                {"submit_escalation_min", r.submit_escalation_min},
                                                {"closure_target_pct", r.closure_target_pct},
                                                {"on_the_spot_allowed", r.on_the_spot_allowed}});
    }
    boost::json::array evidence;
    for (const auto& e : c.evidence) {
        evidence.emplace_back(
            boost::json::object{{"grade", GradeName(e.grade)}, {"category", e.category}, {"kinds", Strings(e.kinds)}});
    }
    boost::json::object o;
    o["grades"] = std::move(grades);
    o["evidence"] = std::move(evidence);
    o["archive_after_days"] = c.archive_after_days;
    o["min_video_s"] = c.min_video_s;
    o["repeat_window_days"] = c.repeat_window_days;
    o["code_utc_offset_min"] = c.code_utc_offset_min;
    o["deputy_gm_ids"] = Strings(c.deputy_gm_ids);
    return o;
}

}  // namespace safeloop::hazards
