// Reporting a hazard (HazardService::Create): who it goes to (the assignment on report), its code number, the voice
// note, and the on-the-spot closure (即查即改) with its evidence. Idempotent by the client's id.

#include <fmt/format.h>

#include "core/ids.hpp"
#include "modules/audit/audit.hpp"
#include "modules/files/file_service.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::hazards {

namespace {

// The report's voice note, checked against what the files module measured.
Result<std::optional<VoiceNote>> CheckedVoiceNote(db::Connection& conn, const files::FileService& files,
                                                  const std::string& tenant_id, const std::string& hazard_id,
                                                  const std::optional<std::string>& file_id, int64_t now) {
    if (!file_id) return std::optional<VoiceNote>();
    VoiceNoteFile facts;
    auto info = files.Find(conn, tenant_id, *file_id);
    if (info) {
        facts.exists = true;
        facts.content_type = info->content_type;
        if (const auto* d = info->meta.if_contains("duration_s"); d && d->is_number()) {
            facts.duration_s = d->to_number<double>();
        }
    }
    if (auto refused = CheckVoiceNote(facts)) return std::move(*refused);
    return std::optional<VoiceNote>(
        VoiceNote{tenant_id, hazard_id, info->id, info->content_type, *facts.duration_s, now});
}

// What an automatic assignment on report went by (the event's data besides the assignee).
void AddAssignmentBasis(boost::json::object& data, std::string_view rule, const CreateInput& in,
                        const api::Principal& reporter) {
    if (rule == kRuleAssetOwner && in.asset_id) data["asset_id"] = *in.asset_id;
    if (rule == kRuleAreaOwner && in.area) data["area"] = *in.area;
    if (rule == kRuleTeamLeader && reporter.team_id) data["team_id"] = *reporter.team_id;
}

}  // namespace

// ---- create ----

Result<Created> HazardService::Create(api::RequestContext& ctx, const CreateInput& in,
                                      std::optional<int64_t> recorded_at) {
    const auto& me = ctx.user();
    const std::string& tenant = me.tenant_id;
    db::Connection& conn = ctx.Db();
    const Clock& clock = ctx.clock();
    const int64_t now = NowMs(ctx);
    const std::string id = in.id ? *in.id : NewUuidV7(clock);

    auto replay = [&]() -> std::optional<Result<Created>> {
        if (!in.id) return std::nullopt;
        if (auto existing = HazardStore::Find(conn, tenant, id)) {
            ctx.MarkAudited();  // nothing new happened
            return Result<Created>(Created{std::move(*existing), false});
        }
        if (HazardStore::IdTaken(conn, id)) {
            return Result<Created>(AppError::Conflict("already_exists", "此 id 已被使用 / This id is already used"));
        }
        return std::nullopt;
    };

    // Everything that only reads happens before the write transaction, so the write lock (SQLite) and the code
    // counter's row lock (PostgreSQL) are held for the writes alone. A client id that raced in meanwhile is caught by
    // the insert's unique key below.
    auto attempt = [&]() -> Result<Created> {
        if (auto r = replay()) return std::move(*r);
        const HazardConfig config = ConfigFor(conn, tenant);
        const auto& rule = RuleFor(config, in.grade);
        const bool on_the_spot = in.manage_type == kManageOnTheSpot;
        if (on_the_spot && !rule.on_the_spot_allowed) {
            return AppError::Invalid("on_the_spot_not_allowed",
                                     fmt::format("{}隐患不能即查即改，须限期整改 / {} hazards cannot be "
                                                 "closed on the spot",
                                                 GradeLabel(in.grade), GradeName(in.grade)));
        }
        AppError invalid{"validation_failed", "请求内容有误，请检查标出的字段 / Some fields are not valid", {}, {}};
        auto missing_photos = files_.Missing(conn, tenant, in.photos);
        if (!missing_photos.empty()) {
            invalid.fields["photos"] = "照片未上传：" + missing_photos.front() + " / photo not uploaded";
        }
        if (in.liable_person_id && !ActiveUser(conn, tenant, in.liable_person_id)) {
            invalid.fields["liable_person_id"] = "没有这个人员 / no such person";
        }
        auto voice = CheckedVoiceNote(conn, files_, tenant, id, in.voice_note_file_id, now);
        if (!voice.ok()) return voice.error();

        // Who will fix it: the one named, else (fixed on the spot) the reporter, else the asset's or the area's owner,
        // else the reporter's team leader; nobody known leaves it reported, to be assigned.
        std::optional<org::User> assignee;
        std::string assigned_by_rule;
        if (in.assignee_id) {
            assignee = ActiveUser(conn, tenant, in.assignee_id);
            if (!assignee) invalid.fields["assignee_id"] = "没有这个人员或已停用 / no such active person";
            assigned_by_rule = kRuleChosen;
        } else if (on_the_spot) {
            assignee = ActiveUser(conn, tenant, me.user_id);
            assigned_by_rule = kRuleOnTheSpot;
        } else {
            if (in.asset_id) {
                assignee = ActiveUser(conn, tenant, HazardStore::FindOwner(conn, tenant, "asset", *in.asset_id));
                assigned_by_rule = kRuleAssetOwner;
            }
            if (!assignee && in.area) {
                assignee = ActiveUser(conn, tenant, HazardStore::FindOwner(conn, tenant, "area", *in.area));
                assigned_by_rule = kRuleAreaOwner;
            }
            if (!assignee && me.team_id) {
                if (auto team = org::OrgStore::FindTeam(conn, tenant, *me.team_id)) {
                    assignee = ActiveUser(conn, tenant, team->leader_user_id);
                    assigned_by_rule = kRuleTeamLeader;
                }
            }
        }
        if (!invalid.fields.empty()) return invalid;

        Hazard h;
        h.id = id;
        h.tenant_id = tenant;
        h.title = in.title;
        h.description = in.description;
        h.category = in.category;
        h.grade = in.grade;
        h.source = in.source;
        h.manage_type = in.manage_type;
        h.hazard_type = in.hazard_type;
        h.management_class = in.management_class;
        h.occurrence_link = in.occurrence_link;
        h.cost = in.cost;
        h.liable_person_id = in.liable_person_id;
        h.major_plan_json = in.major_plan_json;
        h.site_id = me.site_id;
        h.location = in.location;
        h.position = in.position;
        h.asset_id = in.asset_id;
        h.area = in.area;
        h.photos = in.photos;
        h.change_order_no = in.change_order_no;
        h.reporter_id = me.user_id;
        h.reporter_team_id = me.team_id;
        h.reporter_department_id = me.department_id;
        h.reported_at = now;
        h.due_at = DueAt(config, in.grade, now);
        h.original_due_at = h.due_at;
        h.updated_at = now;
        h.department_id = me.department_id;
        if (assignee) {
            h.assignee_id = assignee->id;
            h.assignment_no = 1;
            h.assigned_at = now;
            h.status = HazardStatus::kAssigned;
            h.department_id = assignee->department_id ? assignee->department_id : me.department_id;
            h.team_id = assignee->team_id;
            if (assignee->site_id) h.site_id = assignee->site_id;
        }

        // Fixed on the spot: the evidence comes with the report and the hazard closes at once.
        EvidenceCheck check;
        if (on_the_spot) {
            check = CheckRectification(conn, files_, tenant, RequiredEvidence(config, in.grade, in.category),
                                       in.evidence, in.position.has_value(), in.signature_file_id, config.min_video_s);
            if (!check.signature_ok) return SignatureError();
            if (!check.verdict.ok()) return EvidenceError(check.verdict);
        }

        std::vector<Event> events;
        events.push_back(MakeEvent(h, "reported", now, me.user_id, std::nullopt, HazardStatus::kReported,
                                   {{"grade", GradeName(h.grade)}, {"title", h.title}}));
        if (assignee) {
            // The system assigns by its rule (actor null); a reporter who named the assignee did it themselves.
            boost::json::object data{
                {"assignee_id", assignee->id}, {"assignment_no", h.assignment_no}, {"rule", assigned_by_rule}};
            AddAssignmentBasis(data, assigned_by_rule, in, me);
            events.push_back(MakeEvent(h, "assigned", now, AssignedBy(assigned_by_rule, me.user_id),
                                       HazardStatus::kReported, HazardStatus::kAssigned, std::move(data)));
        }
        std::optional<Rectification> rect;
        if (on_the_spot) {
            h.accepted_at = now;
            h.submitted_at = now;
            h.last_submitted_by = me.user_id;
            h.closed_at = now;
            h.acceptance_by = me.user_id;
            h.acceptance_at = now;
            h.acceptance_comment = "即查即改，现场整改完毕 / fixed on the spot";
            h.status = HazardStatus::kClosed;
            Rectification r;
            r.id = NewUuidV7(clock);
            r.tenant_id = tenant;
            r.hazard_id = h.id;
            r.round = 1;
            r.submitted_by = me.user_id;
            r.submitted_at = now;
            r.note = in.note;
            r.position = in.position;
            r.evidence = in.evidence;
            r.result = "pass";
            r.verified_by = me.user_id;
            r.verified_at = now;
            r.verify_comment = "即查即改 / on the spot";
            if (in.signature_file_id) {
                r.signature_file_id = in.signature_file_id;
                r.signed_by = me.user_id;
                r.signed_at = now;
            }
            rect = std::move(r);
            events.push_back(
                MakeEvent(h, "accepted", now, me.user_id, HazardStatus::kAssigned, HazardStatus::kAccepted));
            events.push_back(MakeEvent(h, "submitted", now, me.user_id, HazardStatus::kAccepted,
                                       HazardStatus::kSubmitted,
                                       {{"round", 1}, {"rectification_id", rect->id}, {"on_the_spot", true}}));
            events.push_back(MakeEvent(h, "closed", now, me.user_id, HazardStatus::kSubmitted, HazardStatus::kClosed,
                                       {{"round", 1}, {"on_the_spot", true}}));
        }
        // On PostgreSQL the year's counter row stays locked from its update to the commit, so the number is taken in
        // its own statement before the transaction: concurrent reports then queue only on the audit chain's head, at
        // the very end. A creation that fails after that leaves its number unused (codes stay unique and increasing).
        // SQLite has one writer at a time anyway: there the number is taken inside the transaction and never skipped.
        h.code_year = CodeYear(now, config.code_utc_offset_min);
        std::optional<int64_t> taken_seq;
        if (conn.dialect() == db::Dialect::kPostgres) taken_seq = HazardStore::NextCodeSeq(conn, tenant, h.code_year);
        db::Transaction tx(conn, db::TxMode::kWrite);
        h.code_seq = taken_seq ? *taken_seq : HazardStore::NextCodeSeq(conn, tenant, h.code_year);
        h.code = FormatCode(static_cast<int>(h.code_year), h.code_seq);
        if (rect && rect->signature_file_id) rect->content_sha256 = ContentHash(h, *rect, me.user_id, now);
        if (auto s = HazardStore::Insert(conn, h); !s.ok()) return s.error();
        for (auto& e : events) e = Stamped(recorded_at, std::move(e));
        HazardStore::InsertEvents(conn, events);
        if (rect) HazardStore::InsertRectification(conn, *rect);
        if (*voice) HazardStore::InsertVoiceNote(conn, **voice);
        if (on_the_spot) {
            OnClosed(conn, clock, config, h);
        } else if (assignee) {
            OnAssigned(conn, clock, config, h);
        }
        auto after = ToJson(h, now);
        if (*voice) after["voice_note"] = ToJson(**voice);
        audit::Record(ctx, "hazard.create", "hazard", h.id, nullptr, std::move(after));
        tx.Commit();
        Created created{std::move(h), true, std::move(events), {}, std::move(*voice), config};
        if (rect) created.rectifications.push_back(std::move(*rect));
        return created;
    };

    auto result = attempt();
    if (!result.ok() && result.error().code == "already_exists" && in.id) {
        // Two requests with the same client id raced; the other one won. Answer what it stored.
        if (auto existing = HazardStore::Find(conn, tenant, id)) {
            ctx.MarkAudited();
            return Created{std::move(*existing), false};
        }
    }
    return result;
}

}  // namespace safeloop::hazards
