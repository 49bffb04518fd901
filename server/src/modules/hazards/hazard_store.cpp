#include "modules/hazards/hazard_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iterator>
#include <map>

#include "modules/hazards/hazard_files_store.hpp"

namespace safeloop::hazards {

namespace {

// ---- hazards ----

#define SAFELOOP_HAZARD_COLUMNS                                                                                    \
    "id, tenant_id, code, code_year, code_seq, title, description, category, grade, status, source, manage_type, " \
    "hazard_type, management_class, occurrence_link, cost, liable_person_id, major_plan_json, site_id, "           \
    "department_id, team_id, location, lat, lng, accuracy_m, asset_id, area, photos_json, change_order_no, "       \
    "reporter_id, reporter_team_id, reporter_department_id, assignee_id, assignment_no, reported_at, due_at, "     \
    "original_due_at, assigned_at, accepted_at, submitted_at, last_submitted_by, closed_at, archived_at, "         \
    "acceptance_by, acceptance_at, acceptance_comment, rework_rounds, extension_count, escalation_count, "         \
    "pending_extension_id, version, updated_at"
constexpr size_t kHazardColumnCount = 52;

constexpr std::string_view kInsertHazardPrefix = "INSERT INTO hazards (" SAFELOOP_HAZARD_COLUMNS ") VALUES ";
constexpr std::string_view kInsertHazard =
    "INSERT INTO hazards (" SAFELOOP_HAZARD_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
    "$23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, "
    "$45, $46, $47, $48, $49, $50, $51, $52)";
// $1 id, $2 tenant, $51 the version read (the row must still have it), the rest as in the column list.
constexpr std::string_view kUpdateHazard =
    "UPDATE hazards SET code = $3, code_year = $4, code_seq = $5, title = $6, description = $7, category = $8, "
    "grade = $9, status = $10, source = $11, manage_type = $12, hazard_type = $13, management_class = $14, "
    "occurrence_link = $15, cost = $16, liable_person_id = $17, major_plan_json = $18, site_id = $19, "
    "department_id = $20, team_id = $21, location = $22, lat = $23, lng = $24, accuracy_m = $25, asset_id = $26, "
    "area = $27, photos_json = $28, change_order_no = $29, reporter_id = $30, reporter_team_id = $31, "
    "reporter_department_id = $32, assignee_id = $33, assignment_no = $34, reported_at = $35, due_at = $36, "
    "original_due_at = $37, assigned_at = $38, accepted_at = $39, submitted_at = $40, last_submitted_by = $41, "
    "closed_at = $42, archived_at = $43, acceptance_by = $44, acceptance_at = $45, acceptance_comment = $46, "
    "rework_rounds = $47, extension_count = $48, escalation_count = $49, pending_extension_id = $50, "
    "updated_at = $52, version = version + 1 "
    "WHERE id = $1 AND tenant_id = $2 AND version = $51";
constexpr std::string_view kFindHazard =
    "SELECT " SAFELOOP_HAZARD_COLUMNS " FROM hazards WHERE tenant_id = $1 AND id = $2";
// Several hazards' rows for their details: a tenant, then an IN list of hazard ids (db::InList).
constexpr std::string_view kHazardsIn =
    "SELECT " SAFELOOP_HAZARD_COLUMNS " FROM hazards WHERE tenant_id = $1 AND id IN ";
constexpr std::string_view kFindHazardForUpdate =
    "SELECT " SAFELOOP_HAZARD_COLUMNS " FROM hazards WHERE tenant_id = $1 AND id = $2 FOR UPDATE";
constexpr std::string_view kHazardIdTaken = "SELECT 1 FROM hazards WHERE id = $1";

// List and statistics fragments; the builder numbers the placeholders. `h` is the hazards table.
constexpr std::string_view kSelectHazardsWhereTenant =
    "SELECT " SAFELOOP_HAZARD_COLUMNS " FROM hazards h WHERE h.tenant_id = ";
constexpr std::string_view kAndStatusIn = " AND h.status IN (";
constexpr std::string_view kAndGrade = " AND h.grade = ";
constexpr std::string_view kAndCategory = " AND h.category = ";
constexpr std::string_view kAndAssignee = " AND h.assignee_id = ";
constexpr std::string_view kAndReporter = " AND h.reporter_id = ";
constexpr std::string_view kAndDepartment = " AND h.department_id = ";
constexpr std::string_view kAndCode = " AND h.code = ";
constexpr std::string_view kAndCodeYearFrom = " AND h.code_year >= ";
constexpr std::string_view kAndCodeYearTo = " AND h.code_year <= ";
constexpr std::string_view kAndSeqRangesOpen = " AND (";
constexpr std::string_view kSeqRangeOr = " OR ";
constexpr std::string_view kSeqFrom = "(h.code_seq >= ";
constexpr std::string_view kSeqTo = " AND h.code_seq <= ";
constexpr std::string_view kAndNotSubmittedBy = " AND (h.last_submitted_by IS NULL OR h.last_submitted_by <> ";
constexpr std::string_view kAndReportedFrom = " AND h.reported_at >= ";
constexpr std::string_view kAndReportedBefore = " AND h.reported_at < ";
// Word for word the predicate of the partial index hazards_outstanding_due.
constexpr std::string_view kAndOutstandingDueBefore =
    " AND h.status IN ('reported', 'assigned', 'accepted', 'rework') AND h.due_at < ";
constexpr std::string_view kAndActive = " AND h.status IN ('reported', 'assigned', 'accepted', 'submitted', 'rework')";
constexpr std::string_view kAndNewestAfter = " AND (h.reported_at, h.code_year, h.code_seq) < (";
constexpr std::string_view kAndDueAfter = " AND (h.due_at, h.code_year, h.code_seq) > (";
constexpr std::string_view kOrderNewest = " ORDER BY h.reported_at DESC, h.code_year DESC, h.code_seq DESC LIMIT ";
constexpr std::string_view kOrderDue = " ORDER BY h.due_at, h.code_year, h.code_seq LIMIT ";
// Scope: what I reported, hold or answer for, plus my team's or my department's.
constexpr std::string_view kScopeSelfOpen = " AND (h.reporter_id = ";
constexpr std::string_view kScopeAssignee = " OR h.assignee_id = ";
constexpr std::string_view kScopeLiable = " OR h.liable_person_id = ";
constexpr std::string_view kScopeTeam = " OR h.team_id = ";
constexpr std::string_view kScopeReporterTeam = " OR h.reporter_team_id = ";
constexpr std::string_view kScopeSite = " OR h.site_id = ";
constexpr std::string_view kScopeDepartmentIn = " OR h.department_id IN (";
constexpr std::string_view kScopeReporterDepartmentIn = " OR h.reporter_department_id IN (";
constexpr std::string_view kStatsSelect = "SELECT ";
constexpr std::string_view kStatsCountFrom = "COUNT(*) FROM hazards h WHERE h.tenant_id = ";
constexpr std::string_view kGroupBy = " GROUP BY ";
constexpr std::string_view kOrderBy = " ORDER BY ";
constexpr std::string_view kCountFrom = "SELECT COUNT(*) FROM hazards h WHERE h.tenant_id = ";
constexpr std::string_view kBoardSelect = "SELECT h.status, h.grade, COUNT(*) FROM hazards h WHERE h.tenant_id = ";
constexpr std::string_view kBoardGroup = " GROUP BY h.status, h.grade";

// ---- voice notes ----
constexpr std::string_view kInsertVoiceNote =
    "INSERT INTO hazard_voice_notes (tenant_id, hazard_id, file_id, content_type, duration_s, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kVoiceNotesIn =
    "SELECT hazard_id, file_id, content_type, duration_s, created_at FROM hazard_voice_notes WHERE tenant_id = $1 AND "
    "hazard_id IN ";
constexpr std::string_view kSelectVoiceNote =
    "SELECT file_id, content_type, duration_s, created_at FROM hazard_voice_notes WHERE tenant_id = $1 AND "
    "hazard_id = $2";

// ---- code counter ----

constexpr std::string_view kNextCodeSeq =
    "INSERT INTO hazard_code_counters (tenant_id, year, last_seq) VALUES ($1, $2, 1) "
    "ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = hazard_code_counters.last_seq + 1 RETURNING last_seq";
constexpr std::string_view kRaiseCodeSeq =
    "INSERT INTO hazard_code_counters (tenant_id, year, last_seq) VALUES ($1, $2, $3) "
    "ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = CASE WHEN hazard_code_counters.last_seq < "
    "excluded.last_seq THEN excluded.last_seq ELSE hazard_code_counters.last_seq END";

// ---- settings and owners ----

constexpr std::string_view kLoadSettings =
    "SELECT archive_after_days, min_video_s, repeat_window_days, code_utc_offset_min, deputy_gm_ids "
    "FROM hazard_settings "
    "WHERE tenant_id = $1";
constexpr std::string_view kLoadGrades =
    "SELECT grade, deadline_min, accept_escalation_min, submit_escalation_min, closure_target_pct, "
    "on_the_spot_allowed FROM hazard_grade_settings WHERE tenant_id = $1";
constexpr std::string_view kLoadEvidence =
    "SELECT grade, category, kinds FROM hazard_evidence_rules WHERE tenant_id = $1 ORDER BY grade, category";
constexpr std::string_view kUpsertSettings =
    "INSERT INTO hazard_settings (tenant_id, archive_after_days, min_video_s, repeat_window_days, "
    "code_utc_offset_min, deputy_gm_ids, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (tenant_id) DO UPDATE SET "
    "archive_after_days = excluded.archive_after_days, min_video_s = excluded.min_video_s, "
    "repeat_window_days = excluded.repeat_window_days, code_utc_offset_min = excluded.code_utc_offset_min, "
    "deputy_gm_ids = excluded.deputy_gm_ids, updated_at = excluded.updated_at";
constexpr std::string_view kDeleteGrades = "DELETE FROM hazard_grade_settings WHERE tenant_id = $1";
constexpr std::string_view kInsertGrade =
    "INSERT INTO hazard_grade_settings (tenant_id, grade, deadline_min, accept_escalation_min, "
    "submit_escalation_min, closure_target_pct, on_the_spot_allowed) VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kDeleteEvidence = "DELETE FROM hazard_evidence_rules WHERE tenant_id = $1";
constexpr std::string_view kInsertEvidence =
    "INSERT INTO hazard_evidence_rules (tenant_id, grade, category, kinds) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kListOwners =
    "SELECT kind, key, user_id FROM hazard_owners WHERE tenant_id = $1 ORDER BY kind, key";
constexpr std::string_view kDeleteOwners = "DELETE FROM hazard_owners WHERE tenant_id = $1";
constexpr std::string_view kInsertOwner =
    "INSERT INTO hazard_owners (tenant_id, kind, key, user_id, updated_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kFindOwner =
    "SELECT user_id FROM hazard_owners WHERE tenant_id = $1 AND kind = $2 AND key = $3";

// ---- events ----

#define SAFELOOP_EVENT_COLUMNS "tenant_id, hazard_id, type, at, actor_id, from_status, to_status, data_json"
constexpr size_t kEventColumnCount = 8;
constexpr std::string_view kInsertEvent =
    "INSERT INTO hazard_events (" SAFELOOP_EVENT_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kClaimEscalation =
    "INSERT INTO hazard_escalations (dedupe_key, tenant_id, hazard_id, at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (dedupe_key) DO NOTHING";
constexpr std::string_view kInsertEventsPrefix = "INSERT INTO hazard_events (" SAFELOOP_EVENT_COLUMNS ") VALUES ";
constexpr std::string_view kEventsIn =
    "SELECT seq, " SAFELOOP_EVENT_COLUMNS " FROM hazard_events WHERE tenant_id = $1 AND hazard_id IN ";
constexpr std::string_view kOrderEventsIn = " ORDER BY hazard_id, seq";
constexpr std::string_view kEvents =
    "SELECT seq, " SAFELOOP_EVENT_COLUMNS " FROM hazard_events WHERE tenant_id = $1 AND hazard_id = $2 ORDER BY seq";

// ---- rectifications ----

#define SAFELOOP_RECTIFICATION_COLUMNS                                                                         \
    "id, tenant_id, hazard_id, round, submitted_by, submitted_at, note, lat, lng, accuracy_m, evidence_json, " \
    "signature_file_id, signed_by, signed_at, content_sha256, result, verified_by, verified_at, verify_comment"
constexpr size_t kRectificationColumnCount = 19;
constexpr std::string_view kInsertRectification =
    "INSERT INTO hazard_rectifications (" SAFELOOP_RECTIFICATION_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
constexpr std::string_view kInsertRectificationsPrefix =
    "INSERT INTO hazard_rectifications (" SAFELOOP_RECTIFICATION_COLUMNS ") VALUES ";
constexpr std::string_view kRectificationsIn =
    "SELECT " SAFELOOP_RECTIFICATION_COLUMNS " FROM hazard_rectifications WHERE tenant_id = $1 AND hazard_id IN ";
constexpr std::string_view kOrderRectificationsIn = " ORDER BY hazard_id, round";
constexpr std::string_view kRectifications =
    "SELECT " SAFELOOP_RECTIFICATION_COLUMNS
    " FROM hazard_rectifications WHERE tenant_id = $1 AND hazard_id = $2 ORDER BY round";
constexpr std::string_view kRecordVerification =
    "UPDATE hazard_rectifications SET result = $3, verified_by = $4, verified_at = $5, verify_comment = $6 "
    "WHERE tenant_id = $1 AND id = $2";

// ---- extensions ----

#define SAFELOOP_EXTENSION_COLUMNS                                                                                \
    "id, tenant_id, hazard_id, requested_by, requested_at, reason, old_due_at, new_due_at, approver_id, status, " \
    "decided_by, decided_at, comment"
constexpr std::string_view kInsertExtension = "INSERT INTO hazard_extensions (" SAFELOOP_EXTENSION_COLUMNS
                                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kFindExtension =
    "SELECT " SAFELOOP_EXTENSION_COLUMNS " FROM hazard_extensions WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDecideExtension =
    "UPDATE hazard_extensions SET status = $3, decided_by = $4, decided_at = $5, comment = $6 "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kExtensionsIn =
    "SELECT " SAFELOOP_EXTENSION_COLUMNS " FROM hazard_extensions WHERE tenant_id = $1 AND hazard_id IN ";
constexpr std::string_view kOrderExtensionsIn = " ORDER BY hazard_id, requested_at, id";
constexpr std::string_view kHazardExtensions =
    "SELECT " SAFELOOP_EXTENSION_COLUMNS
    " FROM hazard_extensions WHERE tenant_id = $1 AND hazard_id = $2 ORDER BY requested_at, id";
// $1 tenant, $2 status or NULL, $3 approver or NULL, $4 limit.
constexpr std::string_view kListExtensions =
    "SELECT " SAFELOOP_EXTENSION_COLUMNS
    " FROM hazard_extensions WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2) "
    "AND (CAST($3 AS TEXT) IS NULL OR approver_id = $3) ORDER BY requested_at DESC, id DESC LIMIT $4";

// ---- work orders ----

#define SAFELOOP_WORK_ORDER_COLUMNS                                                                               \
    "id, tenant_id, hazard_id, hazard_code, title, reason, owner_id, cc_json, department_id, status, opened_at, " \
    "closed_at, closed_by, resolution, dedupe_key"
constexpr std::string_view kInsertWorkOrder =
    "INSERT INTO hazard_work_orders (" SAFELOOP_WORK_ORDER_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING";
constexpr std::string_view kFindWorkOrder =
    "SELECT " SAFELOOP_WORK_ORDER_COLUMNS " FROM hazard_work_orders WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kCloseWorkOrder =
    "UPDATE hazard_work_orders SET status = $3, closed_at = $4, closed_by = $5, resolution = $6 "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSelectWorkOrdersWhereTenant =
    "SELECT " SAFELOOP_WORK_ORDER_COLUMNS " FROM hazard_work_orders w WHERE w.tenant_id = ";
constexpr std::string_view kAndWorkOrderHazardIn = " AND w.hazard_id IN ";
constexpr std::string_view kOrderWorkOrdersIn = " ORDER BY w.hazard_id, w.opened_at DESC, w.id DESC";
constexpr std::string_view kAndWorkOrderStatus = " AND w.status = ";
constexpr std::string_view kAndWorkOrderHazard = " AND w.hazard_id = ";
constexpr std::string_view kAndWorkOrderOwner = " AND w.owner_id = ";
// Owner, cc'd (cc_json holds quoted ids), or the linked hazard's assignee. Both placeholders are the user.
constexpr std::string_view kAndWorkOrderVisibleOwner = " AND (w.owner_id = ";
constexpr std::string_view kOrWorkOrderCc = " OR w.cc_json LIKE ";
constexpr std::string_view kOrWorkOrderAssignee =
    " OR EXISTS (SELECT 1 FROM hazards h WHERE h.id = w.hazard_id AND h.assignee_id = ";
constexpr std::string_view kAndWorkOrderAfter = " AND (w.opened_at, w.id) < (";
constexpr std::string_view kOrderWorkOrders = " ORDER BY w.opened_at DESC, w.id DESC LIMIT ";

// ---- metrics ----

// Hazards that matter to [from, to): reported in the look-back window or later, still open, or closed or
// due in the period. $1 tenant, $2 from, $3 to, $4 look-back start.
constexpr std::string_view kMetricHazards =
    "SELECT h.id, h.grade, h.category, h.asset_id, h.department_id, h.assignee_id, h.reported_at, h.due_at "
    "FROM hazards h WHERE h.tenant_id = $1 AND h.reported_at < $3 "
    "AND (h.reported_at >= $4 OR h.closed_at IS NULL OR h.closed_at >= $2 OR h.due_at >= $2)";
constexpr std::string_view kMetricEvents =
    "SELECT e.hazard_id, e.type, e.at, e.data_json FROM hazard_events e JOIN hazards h ON h.id = e.hazard_id "
    "WHERE h.tenant_id = $1 AND h.reported_at < $3 "
    "AND (h.reported_at >= $4 OR h.closed_at IS NULL OR h.closed_at >= $2 OR h.due_at >= $2) "
    "AND e.type IN ('assigned', 'reassigned', 'accepted', 'submitted', 'rework', 'closed', 'escalated')";
constexpr std::string_view kMetricEventsOrder = " ORDER BY e.hazard_id, e.at, e.seq";
constexpr std::string_view kMetricWorkOrders =
    "SELECT w.id, w.owner_id, w.opened_at, w.closed_at FROM hazard_work_orders w JOIN hazards h ON h.id = w.hazard_id "
    "WHERE w.tenant_id = $1 AND w.opened_at >= $2 AND w.opened_at < $3";

constexpr size_t kBulkRows = 100;

#undef SAFELOOP_HAZARD_COLUMNS
#undef SAFELOOP_EVENT_COLUMNS
#undef SAFELOOP_RECTIFICATION_COLUMNS
#undef SAFELOOP_EXTENSION_COLUMNS
#undef SAFELOOP_WORK_ORDER_COLUMNS

// Builds one statement from fragments, numbering placeholders as arguments are added.
class Sql {
public:
    Sql& Add(std::string_view fragment) {
        text_ += fragment;
        return *this;
    }
    Sql& Arg(db::Param param) {
        params_.push_back(std::move(param));
        text_ += '$';
        text_ += std::to_string(params_.size());
        return *this;
    }
    // Arguments the statement text numbers itself ($1..$n), added before any fragment.
    Sql& Preset(db::Params params) {
        for (auto& p : params) params_.push_back(std::move(p));
        return *this;
    }
    // Reuses an argument already added (1-based).
    Sql& Ref(size_t index) {
        text_ += '$';
        text_ += std::to_string(index);
        return *this;
    }
    size_t count() const { return params_.size(); }
    Sql& List(const std::vector<std::string>& values) {
        for (size_t i = 0; i < values.size(); ++i) {
            if (i) text_ += ", ";
            Arg(values[i]);
        }
        return Add(")");
    }
    const std::string& text() const { return text_; }
    const db::Params& params() const { return params_; }

private:
    std::string text_;
    db::Params params_;
};

void AddScope(Sql& sql, const HazardScope& scope) {
    using Kind = HazardScope::Kind;
    if (scope.kind == Kind::kTenant) return;
    sql.Add(kScopeSelfOpen).Arg(scope.user_id);
    const size_t me = sql.count();
    sql.Add(kScopeAssignee).Ref(me).Add(kScopeLiable).Ref(me);
    if (scope.kind == Kind::kTeam && scope.team_id) {
        sql.Add(kScopeTeam).Arg(*scope.team_id);
        sql.Add(kScopeReporterTeam).Ref(sql.count());
    } else if (scope.kind == Kind::kSite && scope.site_id) {
        sql.Add(kScopeSite).Arg(*scope.site_id);
    } else if (scope.kind == Kind::kDepartment && !scope.department_ids.empty()) {
        sql.Add(kScopeDepartmentIn).List(scope.department_ids);
        sql.Add(kScopeReporterDepartmentIn).List(scope.department_ids);
    }
    sql.Add(")");
}

// Ranges over the code's year and number (hazards_tenant_code_seq), never a LIKE pattern.
void AddCodeSearch(Sql& sql, const CodeSearch& search) {
    if (search.years) sql.Add(kAndCodeYearFrom).Arg(search.years->first).Add(kAndCodeYearTo).Arg(search.years->second);
    if (search.seqs.empty()) return;
    sql.Add(kAndSeqRangesOpen);
    for (size_t i = 0; i < search.seqs.size(); ++i) {
        if (i) sql.Add(kSeqRangeOr);
        sql.Add(kSeqFrom).Arg(search.seqs[i].first).Add(kSeqTo).Arg(search.seqs[i].last).Add(")");
    }
    sql.Add(")");
}

std::string JsonStrings(const std::vector<std::string>& values) {
    boost::json::array a;
    for (const auto& v : values) a.emplace_back(v);
    return boost::json::serialize(a);
}

std::vector<std::string> ParseStrings(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.as_array()) {
        if (item.is_string()) out.emplace_back(item.as_string());
    }
    return out;
}

boost::json::object ParseObject(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.as_object());
}

std::string EvidenceJson(const std::vector<EvidenceItem>& items) {
    boost::json::array a;
    for (const auto& e : items) a.emplace_back(boost::json::object{{"kind", e.kind}, {"file_id", e.file_id}});
    return boost::json::serialize(a);
}

std::vector<EvidenceItem> ParseEvidence(const std::string& text) {
    std::vector<EvidenceItem> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.as_array()) {
        if (!item.is_object()) continue;
        const auto* kind = item.as_object().if_contains("kind");
        const auto* file = item.as_object().if_contains("file_id");
        if (kind && kind->is_string() && file && file->is_string()) {
            out.push_back({std::string(kind->as_string()), std::string(file->as_string())});
        }
    }
    return out;
}

std::optional<GeoPoint> ReadPoint(const db::Row& r, size_t lat) {
    if (r.IsNull(lat) || r.IsNull(lat + 1)) return std::nullopt;
    return GeoPoint{r.Double(lat), r.Double(lat + 1), r.OptDouble(lat + 2)};
}

void PushPoint(db::Params& p, const std::optional<GeoPoint>& point) {
    p.emplace_back(point ? db::Param(point->lat) : db::Param());
    p.emplace_back(point ? db::Param(point->lng) : db::Param());
    p.emplace_back(point ? db::Param(point->accuracy_m) : db::Param());
}

Grade GradeOrBlue(const std::string& text) { return ParseGrade(text).value_or(Grade::kBlue); }

Hazard ReadHazard(const db::Row& r) {
    Hazard h;
    h.id = r.Text(0);
    h.tenant_id = r.Text(1);
    h.code = r.Text(2);
    h.code_year = r.Int(3);
    h.code_seq = r.Int(4);
    h.title = r.Text(5);
    h.description = r.Text(6);
    h.category = r.Text(7);
    h.grade = GradeOrBlue(r.Text(8));
    h.status = ParseStatus(r.Text(9)).value_or(HazardStatus::kReported);
    h.source = r.Int(10);
    h.manage_type = r.Int(11);
    h.hazard_type = r.OptInt(12);
    h.management_class = r.OptInt(13);
    h.occurrence_link = r.OptInt(14);
    h.cost = r.OptDouble(15);
    h.liable_person_id = r.OptText(16);
    h.major_plan_json = r.OptText(17);
    h.site_id = r.OptText(18);
    h.department_id = r.OptText(19);
    h.team_id = r.OptText(20);
    h.location = r.Text(21);
    h.position = ReadPoint(r, 22);
    h.asset_id = r.OptText(25);
    h.area = r.OptText(26);
    h.photos = ParseStrings(r.Text(27));
    h.change_order_no = r.OptText(28);
    h.reporter_id = r.Text(29);
    h.reporter_team_id = r.OptText(30);
    h.reporter_department_id = r.OptText(31);
    h.assignee_id = r.OptText(32);
    h.assignment_no = r.Int(33);
    h.reported_at = r.Int(34);
    h.due_at = r.Int(35);
    h.original_due_at = r.Int(36);
    h.assigned_at = r.OptInt(37);
    h.accepted_at = r.OptInt(38);
    h.submitted_at = r.OptInt(39);
    h.last_submitted_by = r.OptText(40);
    h.closed_at = r.OptInt(41);
    h.archived_at = r.OptInt(42);
    h.acceptance_by = r.OptText(43);
    h.acceptance_at = r.OptInt(44);
    h.acceptance_comment = r.OptText(45);
    h.rework_rounds = r.Int(46);
    h.extension_count = r.Int(47);
    h.escalation_count = r.Int(48);
    h.pending_extension_id = r.OptText(49);
    h.version = r.Int(50);
    h.updated_at = r.Int(51);
    return h;
}

void PushHazard(db::Params& p, const Hazard& h) {
    p.emplace_back(h.id);
    p.emplace_back(h.tenant_id);
    p.emplace_back(h.code);
    p.emplace_back(h.code_year);
    p.emplace_back(h.code_seq);
    p.emplace_back(h.title);
    p.emplace_back(h.description);
    p.emplace_back(h.category);
    p.emplace_back(GradeName(h.grade));
    p.emplace_back(StatusName(h.status));
    p.emplace_back(h.source);
    p.emplace_back(h.manage_type);
    p.emplace_back(h.hazard_type);
    p.emplace_back(h.management_class);
    p.emplace_back(h.occurrence_link);
    p.emplace_back(h.cost);
    p.emplace_back(h.liable_person_id);
    p.emplace_back(h.major_plan_json);
    p.emplace_back(h.site_id);
    p.emplace_back(h.department_id);
    p.emplace_back(h.team_id);
    p.emplace_back(h.location);
    PushPoint(p, h.position);
    p.emplace_back(h.asset_id);
    p.emplace_back(h.area);
    p.emplace_back(JsonStrings(h.photos));
    p.emplace_back(h.change_order_no);
    p.emplace_back(h.reporter_id);
    p.emplace_back(h.reporter_team_id);
    p.emplace_back(h.reporter_department_id);
    p.emplace_back(h.assignee_id);
    p.emplace_back(h.assignment_no);
    p.emplace_back(h.reported_at);
    p.emplace_back(h.due_at);
    p.emplace_back(h.original_due_at);
    p.emplace_back(h.assigned_at);
    p.emplace_back(h.accepted_at);
    p.emplace_back(h.submitted_at);
    p.emplace_back(h.last_submitted_by);
    p.emplace_back(h.closed_at);
    p.emplace_back(h.archived_at);
    p.emplace_back(h.acceptance_by);
    p.emplace_back(h.acceptance_at);
    p.emplace_back(h.acceptance_comment);
    p.emplace_back(h.rework_rounds);
    p.emplace_back(h.extension_count);
    p.emplace_back(h.escalation_count);
    p.emplace_back(h.pending_extension_id);
    p.emplace_back(h.version);
    p.emplace_back(h.updated_at);
}

Event ReadEvent(const db::Row& r) {
    Event e;
    e.seq = r.Int(0);
    e.tenant_id = r.Text(1);
    e.hazard_id = r.Text(2);
    e.type = r.Text(3);
    e.at = r.Int(4);
    e.actor_id = r.OptText(5);
    e.from_status = r.OptText(6);
    e.to_status = r.OptText(7);
    e.data = ParseObject(r.Text(8));
    return e;
}

void PushEvent(db::Params& p, const Event& e) {
    p.emplace_back(e.tenant_id);
    p.emplace_back(e.hazard_id);
    p.emplace_back(e.type);
    p.emplace_back(e.at);
    p.emplace_back(e.actor_id);
    p.emplace_back(e.from_status);
    p.emplace_back(e.to_status);
    p.emplace_back(boost::json::serialize(e.data));
}

Rectification ReadRectification(const db::Row& r) {
    Rectification x;
    x.id = r.Text(0);
    x.tenant_id = r.Text(1);
    x.hazard_id = r.Text(2);
    x.round = r.Int(3);
    x.submitted_by = r.Text(4);
    x.submitted_at = r.Int(5);
    x.note = r.Text(6);
    x.position = ReadPoint(r, 7);
    x.evidence = ParseEvidence(r.Text(10));
    x.signature_file_id = r.OptText(11);
    x.signed_by = r.OptText(12);
    x.signed_at = r.OptInt(13);
    x.content_sha256 = r.OptText(14);
    x.result = r.OptText(15);
    x.verified_by = r.OptText(16);
    x.verified_at = r.OptInt(17);
    x.verify_comment = r.OptText(18);
    return x;
}

void PushRectification(db::Params& p, const Rectification& x) {
    p.emplace_back(x.id);
    p.emplace_back(x.tenant_id);
    p.emplace_back(x.hazard_id);
    p.emplace_back(x.round);
    p.emplace_back(x.submitted_by);
    p.emplace_back(x.submitted_at);
    p.emplace_back(x.note);
    PushPoint(p, x.position);
    p.emplace_back(EvidenceJson(x.evidence));
    p.emplace_back(x.signature_file_id);
    p.emplace_back(x.signed_by);
    p.emplace_back(x.signed_at);
    p.emplace_back(x.content_sha256);
    p.emplace_back(x.result);
    p.emplace_back(x.verified_by);
    p.emplace_back(x.verified_at);
    p.emplace_back(x.verify_comment);
}

Extension ReadExtension(const db::Row& r) {
    Extension x;
    x.id = r.Text(0);
    x.tenant_id = r.Text(1);
    x.hazard_id = r.Text(2);
    x.requested_by = r.Text(3);
    x.requested_at = r.Int(4);
    x.reason = r.Text(5);
    x.old_due_at = r.Int(6);
    x.new_due_at = r.Int(7);
    x.approver_id = r.OptText(8);
    x.status = r.Text(9);
    x.decided_by = r.OptText(10);
    x.decided_at = r.OptInt(11);
    x.comment = r.OptText(12);
    return x;
}

WorkOrder ReadWorkOrder(const db::Row& r) {
    WorkOrder w;
    w.id = r.Text(0);
    w.tenant_id = r.Text(1);
    w.hazard_id = r.Text(2);
    w.hazard_code = r.Text(3);
    w.title = r.Text(4);
    w.reason = r.Text(5);
    w.owner_id = r.Text(6);
    w.cc_user_ids = ParseStrings(r.Text(7));
    w.department_id = r.OptText(8);
    w.status = r.Text(9);
    w.opened_at = r.Int(10);
    w.closed_at = r.OptInt(11);
    w.closed_by = r.OptText(12);
    w.resolution = r.OptText(13);
    w.dedupe_key = r.Text(14);
    return w;
}

// "(" $a, $b, ... ")" for one row of `columns` placeholders starting after `used`.
std::string RowPlaceholders(size_t columns, size_t used) {
    std::string out = "(";
    for (size_t c = 0; c < columns; ++c) {
        if (c) out += ", ";
        out += '$';
        out += std::to_string(used + c + 1);
    }
    return out + ")";
}

// Inserts rows in multi-row statements of kBulkRows.
template <typename T, typename Push>
void BulkInsert(db::Connection& conn, std::string_view prefix, size_t columns, const std::vector<T>& rows, Push push) {
    for (size_t start = 0; start < rows.size(); start += kBulkRows) {
        const size_t end = std::min(rows.size(), start + kBulkRows);
        std::string sql(prefix);
        db::Params params;
        params.reserve((end - start) * columns);
        for (size_t i = start; i < end; ++i) {
            if (i > start) sql += ", ";
            sql += RowPlaceholders(columns, params.size());
            push(params, rows[i]);
        }
        conn.Exec(sql, params);
    }
}

}  // namespace

// ---- settings ----

std::optional<HazardConfig> HazardStore::LoadConfig(db::Connection& conn, const std::string& tenant_id) {
    auto settings = conn.QueryOne(kLoadSettings, {tenant_id});
    if (!settings) return std::nullopt;
    HazardConfig c = DefaultConfig();
    c.archive_after_days = settings->Int(0);
    c.min_video_s = settings->Double(1);
    c.repeat_window_days = settings->Int(2);
    c.code_utc_offset_min = settings->Int(3);
    c.deputy_gm_ids = ParseStrings(settings->Text(4));
    for (const auto& r : conn.Query(kLoadGrades, {tenant_id})) {
        auto grade = ParseGrade(r.Text(0));
        if (!grade) continue;
        for (auto& g : c.grades) {
            if (g.grade != *grade) continue;
            g.deadline_min = r.Int(1);
            g.accept_escalation_min = r.Int(2);
            g.submit_escalation_min = r.Int(3);
            g.closure_target_pct = r.Double(4);
            g.on_the_spot_allowed = r.Bool(5);
        }
    }
    c.evidence.clear();
    for (const auto& r : conn.Query(kLoadEvidence, {tenant_id})) {
        auto grade = ParseGrade(r.Text(0));
        if (!grade) continue;
        c.evidence.push_back({*grade, r.Text(1), ParseStrings(r.Text(2))});
    }
    return c;
}

void HazardStore::SaveConfig(db::Connection& conn, const std::string& tenant_id, const HazardConfig& c, int64_t now) {
    conn.Exec(kUpsertSettings, {tenant_id, c.archive_after_days, c.min_video_s, c.repeat_window_days,
                                c.code_utc_offset_min, JsonStrings(c.deputy_gm_ids), now});
    conn.Exec(kDeleteGrades, {tenant_id});
    for (const auto& g : c.grades) {
        conn.Exec(kInsertGrade, {tenant_id, GradeName(g.grade), g.deadline_min, g.accept_escalation_min,
                                 g.submit_escalation_min, g.closure_target_pct, g.on_the_spot_allowed});
    }
    conn.Exec(kDeleteEvidence, {tenant_id});
    for (const auto& e : c.evidence) {
        conn.Exec(kInsertEvidence, {tenant_id, GradeName(e.grade), e.category, JsonStrings(e.kinds)});
    }
}

std::vector<Owner> HazardStore::ListOwners(db::Connection& conn, const std::string& tenant_id) {
    std::vector<Owner> out;
    for (const auto& r : conn.Query(kListOwners, {tenant_id})) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
    return out;
}

void HazardStore::ReplaceOwners(db::Connection& conn, const std::string& tenant_id, const std::vector<Owner>& owners,
                                int64_t now) {
    conn.Exec(kDeleteOwners, {tenant_id});
    for (const auto& o : owners) conn.Exec(kInsertOwner, {tenant_id, o.kind, o.key, o.user_id, now});
}

std::optional<std::string> HazardStore::FindOwner(db::Connection& conn, const std::string& tenant_id,
                                                  const std::string& kind, const std::string& key) {
    auto r = conn.QueryOne(kFindOwner, {tenant_id, kind, key});
    if (!r) return std::nullopt;
    return r->Text(0);
}

// ---- codes ----

int64_t HazardStore::NextCodeSeq(db::Connection& conn, const std::string& tenant_id, int64_t year) {
    auto r = conn.QueryOne(kNextCodeSeq, {tenant_id, year});
    if (!r) throw std::runtime_error("hazard code counter returned no row");
    return r->Int(0);
}

void HazardStore::RaiseCodeSeq(db::Connection& conn, const std::string& tenant_id, int64_t year, int64_t seq) {
    conn.Exec(kRaiseCodeSeq, {tenant_id, year, seq});
}

// ---- hazards ----

std::optional<Hazard> HazardStore::Find(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    auto r = conn.QueryOne(kFindHazard, {tenant_id, id});
    if (!r) return std::nullopt;
    return ReadHazard(*r);
}

std::optional<Hazard> HazardStore::FindForUpdate(db::Connection& conn, const std::string& tenant_id,
                                                 const std::string& id) {
    if (conn.dialect() != db::Dialect::kPostgres) return Find(conn, tenant_id, id);
    auto r = conn.QueryOne(kFindHazardForUpdate, {tenant_id, id});
    if (!r) return std::nullopt;
    return ReadHazard(*r);
}

bool HazardStore::IdTaken(db::Connection& conn, const std::string& id) {
    return conn.QueryOne(kHazardIdTaken, {id}).has_value();
}

Status HazardStore::Insert(db::Connection& conn, const Hazard& hazard) {
    db::Params p;
    p.reserve(kHazardColumnCount);
    PushHazard(p, hazard);
    try {
        conn.Exec(kInsertHazard, p);
    } catch (const db::DbError& e) {
        if (e.kind() != db::DbError::Kind::kUniqueViolation) throw;
        return AppError::Conflict("already_exists", "隐患编号或 id 已存在 / A hazard with this id or code exists");
    }
    HazardFilesStore::Record(conn, FileUsesOf(hazard));
    return Ok{};
}

bool HazardStore::Update(db::Connection& conn, const Hazard& hazard) {
    db::Params p;
    p.reserve(kHazardColumnCount);
    PushHazard(p, hazard);
    return conn.Exec(kUpdateHazard, p) == 1;
}

void HazardStore::InsertVoiceNote(db::Connection& conn, const VoiceNote& n) {
    conn.Exec(kInsertVoiceNote, {n.tenant_id, n.hazard_id, n.file_id, n.content_type, n.duration_s, n.created_at});
    HazardFilesStore::Record(conn, FileUsesOf(n));
}

std::optional<VoiceNote> HazardStore::FindVoiceNote(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& hazard_id) {
    auto r = conn.QueryOne(kSelectVoiceNote, {tenant_id, hazard_id});
    if (!r) return std::nullopt;
    VoiceNote n;
    n.tenant_id = tenant_id;
    n.hazard_id = hazard_id;
    n.file_id = r->Text(0);
    n.content_type = r->Text(1);
    n.duration_s = r->Double(2);
    n.created_at = r->Int(3);
    return n;
}

std::vector<Hazard> HazardStore::List(db::Connection& conn, const ListQuery& q) {
    Sql sql;
    sql.Add(kSelectHazardsWhereTenant).Arg(q.tenant_id);
    if (q.overdue) sql.Add(kAndOutstandingDueBefore).Arg(q.now);
    if (!q.statuses.empty()) sql.Add(kAndStatusIn).List(q.statuses);
    if (q.grade) sql.Add(kAndGrade).Arg(*q.grade);
    if (q.category) sql.Add(kAndCategory).Arg(*q.category);
    if (q.assignee_id) sql.Add(kAndAssignee).Arg(*q.assignee_id);
    if (q.reporter_id) sql.Add(kAndReporter).Arg(*q.reporter_id);
    if (q.department_id) sql.Add(kAndDepartment).Arg(*q.department_id);
    if (q.code) sql.Add(kAndCode).Arg(*q.code);
    if (q.code_search) AddCodeSearch(sql, *q.code_search);
    if (q.not_submitted_by) sql.Add(kAndNotSubmittedBy).Arg(*q.not_submitted_by).Add(")");
    AddScope(sql, q.scope);
    if (q.after) {
        sql.Add(q.sort == SortOrder::kDueAt ? kAndDueAfter : kAndNewestAfter).Arg(q.after->key).Add(", ");
        sql.Arg(q.after->year).Add(", ").Arg(q.after->seq).Add(")");
    }
    sql.Add(q.sort == SortOrder::kDueAt ? kOrderDue : kOrderNewest).Arg(static_cast<int64_t>(q.limit));
    std::vector<Hazard> out;
    for (const auto& r : conn.Query(sql.text(), sql.params())) out.push_back(ReadHazard(r));
    return out;
}

std::vector<StatRow> HazardStore::Stats(db::Connection& conn, const StatsQuery& q) {
    static const std::map<std::string, std::string_view, std::less<>> kColumns = {
        {"department", "h.department_id"}, {"grade", "h.grade"}, {"status", "h.status"}, {"category", "h.category"}};
    std::string columns;
    for (const auto& g : q.group_by) {
        auto it = kColumns.find(g);
        if (it == kColumns.end()) throw std::invalid_argument("unknown hazard stats group: " + g);
        if (!columns.empty()) columns += ", ";
        columns += it->second;
    }
    Sql sql;
    sql.Add(kStatsSelect).Add(columns).Add(", ").Add(kStatsCountFrom).Arg(q.tenant_id);
    if (q.overdue) sql.Add(kAndOutstandingDueBefore).Arg(q.now);
    if (!q.statuses.empty()) sql.Add(kAndStatusIn).List(q.statuses);
    if (q.grade) sql.Add(kAndGrade).Arg(*q.grade);
    if (q.from) sql.Add(kAndReportedFrom).Arg(*q.from);
    if (q.to) sql.Add(kAndReportedBefore).Arg(*q.to);
    AddScope(sql, q.scope);
    sql.Add(kGroupBy).Add(columns).Add(kOrderBy).Add(columns);
    std::vector<StatRow> out;
    for (const auto& r : conn.Query(sql.text(), sql.params())) {
        StatRow row;
        for (size_t i = 0; i < q.group_by.size(); ++i) row.keys.push_back(r.OptText(i));
        row.count = r.Int(q.group_by.size());
        out.push_back(std::move(row));
    }
    return out;
}

BoardCounts HazardStore::Board(db::Connection& conn, const std::string& tenant_id, const HazardScope& scope,
                               int64_t now) {
    BoardCounts out;
    Sql counts;
    counts.Add(kBoardSelect).Arg(tenant_id).Add(kAndActive);
    AddScope(counts, scope);
    counts.Add(kBoardGroup);
    for (const auto& r : conn.Query(counts.text(), counts.params())) {
        out.by_status_grade.push_back(StatRow{{r.OptText(0), r.OptText(1)}, r.Int(2)});
    }
    Sql overdue;
    overdue.Add(kCountFrom).Arg(tenant_id).Add(kAndOutstandingDueBefore).Arg(now);
    AddScope(overdue, scope);
    if (auto r = conn.QueryOne(overdue.text(), overdue.params())) out.overdue = r->Int(0);
    return out;
}

// ---- events ----

void HazardStore::InsertEvent(db::Connection& conn, const Event& event) {
    db::Params p;
    p.reserve(kEventColumnCount);
    PushEvent(p, event);
    conn.Exec(kInsertEvent, p);
}

void HazardStore::InsertEvents(db::Connection& conn, const std::vector<Event>& events) {
    if (events.size() == 1) return InsertEvent(conn, events.front());
    BulkInsert(conn, kInsertEventsPrefix, kEventColumnCount, events, PushEvent);
}

bool HazardStore::ClaimEscalation(db::Connection& conn, const std::string& key, const std::string& tenant_id,
                                  const std::string& hazard_id, int64_t at) {
    return conn.Exec(kClaimEscalation, {key, tenant_id, hazard_id, at}) == 1;
}

std::vector<Event> HazardStore::Events(db::Connection& conn, const std::string& tenant_id,
                                       const std::string& hazard_id) {
    std::vector<Event> out;
    for (const auto& r : conn.Query(kEvents, {tenant_id, hazard_id})) out.push_back(ReadEvent(r));
    return out;
}

// ---- rectifications ----

void HazardStore::InsertRectification(db::Connection& conn, const Rectification& r) {
    db::Params p;
    p.reserve(kRectificationColumnCount);
    PushRectification(p, r);
    conn.Exec(kInsertRectification, p);
    HazardFilesStore::Record(conn, FileUsesOf(r));
}

std::vector<Rectification> HazardStore::Rectifications(db::Connection& conn, const std::string& tenant_id,
                                                       const std::string& hazard_id) {
    std::vector<Rectification> out;
    for (const auto& r : conn.Query(kRectifications, {tenant_id, hazard_id})) out.push_back(ReadRectification(r));
    return out;
}

void HazardStore::RecordVerification(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                     const std::string& result, const std::string& verified_by, int64_t at,
                                     const std::string& comment) {
    conn.Exec(kRecordVerification, {tenant_id, id, result, verified_by, at, comment});
}

// ---- extensions ----

void HazardStore::InsertExtension(db::Connection& conn, const Extension& x) {
    conn.Exec(kInsertExtension, {x.id, x.tenant_id, x.hazard_id, x.requested_by, x.requested_at, x.reason, x.old_due_at,
                                 x.new_due_at, x.approver_id, x.status, x.decided_by, x.decided_at, x.comment});
}

std::optional<Extension> HazardStore::FindExtension(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& id) {
    auto r = conn.QueryOne(kFindExtension, {tenant_id, id});
    if (!r) return std::nullopt;
    return ReadExtension(*r);
}

void HazardStore::DecideExtension(db::Connection& conn, const Extension& x) {
    conn.Exec(kDecideExtension, {x.tenant_id, x.id, x.status, x.decided_by, x.decided_at, x.comment});
}

std::vector<Extension> HazardStore::Extensions(db::Connection& conn, const std::string& tenant_id,
                                               const std::string& hazard_id) {
    std::vector<Extension> out;
    for (const auto& r : conn.Query(kHazardExtensions, {tenant_id, hazard_id})) out.push_back(ReadExtension(r));
    return out;
}

std::vector<Extension> HazardStore::ListExtensions(db::Connection& conn, const ExtensionQuery& q) {
    std::vector<Extension> out;
    for (const auto& r :
         conn.Query(kListExtensions, {q.tenant_id, q.status, q.approver_id, static_cast<int64_t>(q.limit)})) {
        out.push_back(ReadExtension(r));
    }
    return out;
}

// ---- work orders ----

bool HazardStore::InsertWorkOrder(db::Connection& conn, const WorkOrder& w) {
    return conn.Exec(kInsertWorkOrder, {w.id, w.tenant_id, w.hazard_id, w.hazard_code, w.title, w.reason, w.owner_id,
                                        JsonStrings(w.cc_user_ids), w.department_id, w.status, w.opened_at, w.closed_at,
                                        w.closed_by, w.resolution, w.dedupe_key}) == 1;
}

std::optional<WorkOrder> HazardStore::FindWorkOrder(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& id) {
    auto r = conn.QueryOne(kFindWorkOrder, {tenant_id, id});
    if (!r) return std::nullopt;
    return ReadWorkOrder(*r);
}

std::vector<WorkOrder> HazardStore::ListWorkOrders(db::Connection& conn, const WorkOrderQuery& q) {
    Sql sql;
    sql.Add(kSelectWorkOrdersWhereTenant).Arg(q.tenant_id);
    if (q.status) sql.Add(kAndWorkOrderStatus).Arg(*q.status);
    if (q.hazard_id) sql.Add(kAndWorkOrderHazard).Arg(*q.hazard_id);
    if (q.owner_id) sql.Add(kAndWorkOrderOwner).Arg(*q.owner_id);
    if (q.visible_to) {
        sql.Add(kAndWorkOrderVisibleOwner).Arg(*q.visible_to);
        const size_t me = sql.count();
        sql.Add(kOrWorkOrderCc).Arg("%\"" + *q.visible_to + "\"%");
        sql.Add(kOrWorkOrderAssignee).Ref(me).Add("))");
    }
    if (q.after) sql.Add(kAndWorkOrderAfter).Arg(q.after->first).Add(", ").Arg(q.after->second).Add(")");
    sql.Add(kOrderWorkOrders).Arg(static_cast<int64_t>(q.limit));
    std::vector<WorkOrder> out;
    for (const auto& r : conn.Query(sql.text(), sql.params())) out.push_back(ReadWorkOrder(r));
    return out;
}

// ---- several hazards' details ----

DetailRows HazardStore::DetailsOf(db::Connection& conn, const std::string& tenant_id,
                                  const std::vector<std::string>& ids) {
    DetailRows out;
    if (ids.empty()) return out;
    // One statement per table: `prefix` + the tenant and the ids' IN list + `order`.
    auto rows = [&](std::string_view prefix, std::string_view order) {
        db::Params params{tenant_id};
        std::string sql(prefix);
        sql += db::InList(ids, params);
        sql += order;
        return conn.Query(sql, params);
    };
    for (const auto& r : rows(kHazardsIn, "")) out.hazards.push_back(ReadHazard(r));
    for (const auto& r : rows(kEventsIn, kOrderEventsIn)) {
        Event e = ReadEvent(r);
        out.events[e.hazard_id].push_back(std::move(e));
    }
    for (const auto& r : rows(kRectificationsIn, kOrderRectificationsIn)) {
        Rectification x = ReadRectification(r);
        out.rectifications[x.hazard_id].push_back(std::move(x));
    }
    for (const auto& r : rows(kExtensionsIn, kOrderExtensionsIn)) {
        Extension x = ReadExtension(r);
        out.extensions[x.hazard_id].push_back(std::move(x));
    }
    {
        std::string prefix(kSelectWorkOrdersWhereTenant);
        prefix += "$1";
        prefix += kAndWorkOrderHazardIn;
        for (const auto& r : rows(prefix, kOrderWorkOrdersIn)) {
            WorkOrder w = ReadWorkOrder(r);
            out.work_orders[w.hazard_id].push_back(std::move(w));
        }
    }
    for (const auto& r : rows(kVoiceNotesIn, "")) {
        VoiceNote n;
        n.tenant_id = tenant_id;
        n.hazard_id = r.Text(0);
        n.file_id = r.Text(1);
        n.content_type = r.Text(2);
        n.duration_s = r.Double(3);
        n.created_at = r.Int(4);
        out.voice_notes.emplace(n.hazard_id, std::move(n));
    }
    return out;
}

void HazardStore::CloseWorkOrder(db::Connection& conn, const WorkOrder& w) {
    conn.Exec(kCloseWorkOrder, {w.tenant_id, w.id, w.status, w.closed_at, w.closed_by, w.resolution});
}

// ---- metrics ----

MetricData HazardStore::LoadMetricData(db::Connection& conn, const std::string& tenant_id, const HazardScope& scope,
                                       int64_t from, int64_t to, int64_t lookback_from) {
    MetricData out;
    std::map<std::string, size_t> index;
    // The statements number their fixed arguments $1..$n; the scope's arguments follow them.
    auto run = [&](std::string_view statement, std::string_view tail, db::Params fixed) {
        Sql sql;
        sql.Preset(std::move(fixed));
        sql.Add(statement);
        AddScope(sql, scope);
        sql.Add(tail);
        return conn.Query(sql.text(), sql.params());
    };
    const db::Params fixed = {tenant_id, from, to, lookback_from};
    for (const auto& r : run(kMetricHazards, "", fixed)) {
        MetricHazard h;
        h.id = r.Text(0);
        h.grade = GradeOrBlue(r.Text(1));
        h.category = r.Text(2);
        h.asset_id = r.OptText(3);
        h.department_id = r.OptText(4);
        h.assignee_id = r.OptText(5);
        h.reported_at = r.Int(6);
        h.due_at = r.Int(7);
        index[h.id] = out.hazards.size();
        out.hazards.push_back(std::move(h));
    }
    for (const auto& r : run(kMetricEvents, kMetricEventsOrder, fixed)) {
        auto it = index.find(r.Text(0));
        if (it == index.end()) continue;
        MetricEvent e;
        e.type = r.Text(1);
        e.at = r.Int(2);
        if (e.type == "escalated") {
            auto data = ParseObject(r.Text(3));
            if (const auto* recipients = data.if_contains("recipients"); recipients && recipients->is_array()) {
                for (const auto& rec : recipients->as_array()) {
                    if (!rec.is_object()) continue;
                    const auto* user = rec.as_object().if_contains("user_id");
                    if (user && user->is_string()) e.recipients.emplace_back(user->as_string());
                }
            }
            if (const auto* subject = data.if_contains("assignee_id"); subject && subject->is_string()) {
                e.subject_id = std::string(subject->as_string());
            }
        }
        out.hazards[it->second].events.push_back(std::move(e));
    }
    for (const auto& r : run(kMetricWorkOrders, "", {tenant_id, from, to})) {
        out.work_orders.push_back(MetricWorkOrder{r.Text(0), r.Text(1), r.Int(2), r.OptInt(3)});
    }
    return out;
}

// ---- bulk ----

void HazardStore::BulkInsertHazards(db::Connection& conn, const std::vector<Hazard>& hazards) {
    BulkInsert(conn, kInsertHazardPrefix, kHazardColumnCount, hazards, PushHazard);
    std::vector<HazardFileUse> uses;
    for (const auto& h : hazards) std::ranges::move(FileUsesOf(h), std::back_inserter(uses));
    HazardFilesStore::Record(conn, uses);
}

void HazardStore::BulkInsertEvents(db::Connection& conn, const std::vector<Event>& events) {
    BulkInsert(conn, kInsertEventsPrefix, kEventColumnCount, events, PushEvent);
}

void HazardStore::BulkInsertRectifications(db::Connection& conn, const std::vector<Rectification>& rs) {
    BulkInsert(conn, kInsertRectificationsPrefix, kRectificationColumnCount, rs, PushRectification);
    std::vector<HazardFileUse> uses;
    for (const auto& r : rs) std::ranges::move(FileUsesOf(r), std::back_inserter(uses));
    HazardFilesStore::Record(conn, uses);
}

}  // namespace safeloop::hazards
