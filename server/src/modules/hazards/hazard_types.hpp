#pragma once

// The hazard module's records as plain values (hazards, their events, rectifications, extension
// requests, cross-department work orders, responsibility owners) and who may see a hazard. Times are
// UTC milliseconds since the epoch.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/hazards/hazard_rules.hpp"

namespace safeloop::hazards {

struct GeoPoint {
    double lat = 0;
    double lng = 0;
    std::optional<double> accuracy_m;
};

struct Hazard {
    std::string id;
    std::string tenant_id;
    std::string code;  // YH-2026-000123
    int64_t code_year = 0;
    int64_t code_seq = 0;
    std::string title;
    std::string description;
    std::string category;
    Grade grade = Grade::kBlue;
    HazardStatus status = HazardStatus::kReported;
    // Provincial fields (DOMAIN.md code lists).
    int64_t source = 1;  // dangerSrc
    int64_t manage_type = kManageDeadline;
    std::optional<int64_t> hazard_type;
    std::optional<int64_t> management_class;
    std::optional<int64_t> occurrence_link;
    std::optional<double> cost;  // 整改资金, CNY
    std::optional<std::string> liable_person_id;
    std::optional<std::string> major_plan_json;  // 重大隐患 五到位 and report, as JSON text
    // Where and what.
    std::optional<std::string> site_id;
    std::optional<std::string> department_id;  // responsible department
    std::optional<std::string> team_id;        // responsible team (the assignee's)
    std::string location;
    std::optional<GeoPoint> position;
    std::optional<std::string> asset_id;
    std::optional<std::string> area;
    std::vector<std::string> photos;
    std::optional<std::string> change_order_no;
    // Who and when.
    std::string reporter_id;
    std::optional<std::string> reporter_team_id;
    std::optional<std::string> reporter_department_id;
    std::optional<std::string> assignee_id;
    int64_t assignment_no = 0;  // 1 for the first assignment, +1 per reassignment
    int64_t reported_at = 0;
    int64_t due_at = 0;           // after approved extensions
    int64_t original_due_at = 0;  // from the grade's deadline
    std::optional<int64_t> assigned_at;
    std::optional<int64_t> accepted_at;
    std::optional<int64_t> submitted_at;
    std::optional<std::string> last_submitted_by;
    std::optional<int64_t> closed_at;
    std::optional<int64_t> archived_at;
    // 验收: acceptance person, time and comment.
    std::optional<std::string> acceptance_by;
    std::optional<int64_t> acceptance_at;
    std::optional<std::string> acceptance_comment;
    // Shown on the hazard; the metrics recompute everything from events.
    int64_t rework_rounds = 0;
    int64_t extension_count = 0;
    int64_t escalation_count = 0;
    std::optional<std::string> pending_extension_id;
    int64_t version = 1;
    int64_t updated_at = 0;
};

struct Event {
    int64_t seq = 0;  // order of the hazard's history (also its id in answers)
    std::string tenant_id;
    std::string hazard_id;
    std::string type;  // reported, assigned, reassigned, accepted, submitted, rework, closed, archived,
                       // escalated, extension_requested, extension_approved, extension_refused,
                       // work_order_closed
    int64_t at = 0;
    std::optional<std::string> actor_id;  // absent for the system (escalations, archiving)
    std::optional<std::string> from_status;
    std::optional<std::string> to_status;
    boost::json::object data;
};

// A recorded voice note attached to the report (the fallback of dictation), as the files module measured it.
struct VoiceNote {
    std::string tenant_id;
    std::string hazard_id;
    std::string file_id;
    std::string content_type;
    double duration_s = 0;
    int64_t created_at = 0;
};

struct Rectification {
    std::string id;
    std::string tenant_id;
    std::string hazard_id;
    int64_t round = 1;
    std::string submitted_by;
    int64_t submitted_at = 0;
    std::string note;
    std::optional<GeoPoint> position;
    std::vector<EvidenceItem> evidence;
    std::optional<std::string> signature_file_id;
    std::optional<std::string> signed_by;
    std::optional<int64_t> signed_at;
    std::optional<std::string> content_sha256;  // of CanonicalSigningText at signing
    std::optional<std::string> result;          // pass, fail (absent while awaiting verification)
    std::optional<std::string> verified_by;
    std::optional<int64_t> verified_at;
    std::optional<std::string> verify_comment;
};

struct Extension {
    std::string id;
    std::string tenant_id;
    std::string hazard_id;
    std::string requested_by;
    int64_t requested_at = 0;
    std::string reason;
    int64_t old_due_at = 0;
    int64_t new_due_at = 0;
    std::optional<std::string> approver_id;
    std::string status = "pending";  // pending, approved, refused
    std::optional<std::string> decided_by;
    std::optional<int64_t> decided_at;
    std::optional<std::string> comment;
};

struct WorkOrder {
    std::string id;
    std::string tenant_id;
    std::string hazard_id;
    std::string hazard_code;
    std::string title;
    std::string reason;
    std::string owner_id;                  // coordinates the departments involved
    std::vector<std::string> cc_user_ids;  // the deputy GM in charge
    std::optional<std::string> department_id;
    std::string status = "open";  // open, closed
    int64_t opened_at = 0;
    std::optional<int64_t> closed_at;
    std::optional<std::string> closed_by;
    std::optional<std::string> resolution;
    std::string dedupe_key;
};

// Who answers for an asset or an area (kind "asset" or "area"): new hazards there go to them.
struct Owner {
    std::string kind;
    std::string key;
    std::string user_id;
};

// ---- visibility ----

// How far a person sees hazards. Workers (no hazards.assign) see only what they reported or hold, even
// though their data scope is their team.
struct HazardScope {
    enum class Kind { kTenant, kSite, kDepartment, kTeam, kSelf };
    Kind kind = Kind::kSelf;
    std::string user_id;
    std::vector<std::string> department_ids;  // kDepartment: the department and everything under it
    std::optional<std::string> team_id;       // kTeam
    std::optional<std::string> site_id;       // kSite
};

bool VisibleTo(const Hazard& hazard, const HazardScope& scope);
// Whether the user of `scope` may read the hazard's detail: it is in their scope, or they approve one of its
// extension requests (`extensions`: the hazard's).
bool ReadableBy(const Hazard& hazard, const std::vector<Extension>& extensions, const HazardScope& scope);

// ---- JSON ----

// Display names resolved by the service for answers (ids stay in the record).
struct Names {
    std::optional<std::string> reporter;
    std::optional<std::string> assignee;
    std::optional<std::string> department;
};

boost::json::object ToJson(const Hazard& hazard, int64_t now, const Names& names = {});
boost::json::object ToJson(const Event& event);
boost::json::object ToJson(const Rectification& rectification);
boost::json::object ToJson(const Extension& x);
boost::json::object ToJson(const WorkOrder& w);
boost::json::object ToJson(const HazardConfig& config);
boost::json::object ToJson(const GeoPoint& point);
boost::json::object ToJson(const VoiceNote& note);

std::string Rfc3339(int64_t ms);

}  // namespace safeloop::hazards
