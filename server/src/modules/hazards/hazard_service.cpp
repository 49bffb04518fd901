#include "modules/hazards/hazard_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <set>

#include "api/json_body.hpp"
#include "api/recorded_at.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "modules/audit/audit.hpp"
#include "modules/files/file_service.hpp"
#include "modules/hazards/hazard_metrics.hpp"
#include "modules/notify/notify.hpp"
#include "modules/org/org_directory.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::hazards {

namespace {

constexpr std::string_view kVpRole = "vp";  // 分管副总: the deputy GM in charge of safety
constexpr int64_t kMaxMetricDays = 366;
constexpr std::string_view kRefType = "hazard";

int64_t NowMs(const api::RequestContext& ctx) { return ToUnixMillis(ctx.Now()); }

AppError HazardNotFound() { return AppError::NotFound("隐患 / Hazard"); }

AppError ConcurrentUpdate() {
    return AppError::Conflict("conflict",
                              "隐患刚被他人修改，请刷新后重试 / The hazard changed meanwhile; reload and retry");
}

Facts FactsOf(const Hazard& h, const std::optional<Extension>& pending) {
    Facts f;
    f.status = h.status;
    f.assignee_id = h.assignee_id;
    f.last_submitted_by = h.last_submitted_by;
    f.extension_pending = pending.has_value();
    if (pending) f.extension_approver = pending->approver_id;
    return f;
}

Event MakeEvent(const Hazard& h, std::string type, int64_t at, std::optional<std::string> actor,
                std::optional<HazardStatus> from, std::optional<HazardStatus> to, boost::json::object data = {}) {
    Event e;
    e.tenant_id = h.tenant_id;
    e.hazard_id = h.id;
    e.type = std::move(type);
    e.at = at;
    e.actor_id = std::move(actor);
    if (from) e.from_status = std::string(StatusName(*from));
    if (to) e.to_status = std::string(StatusName(*to));
    e.data = std::move(data);
    return e;
}

// An action replayed from a phone's offline outbox carries the phone's time of recording; the event keeps it
// as data (`recorded_at`) beside its own server time `at`.
Event Stamped(const api::RequestContext& ctx, Event e) {
    if (auto recorded = api::RecordedAt(ctx.req())) e.data["recorded_at"] = Rfc3339(*recorded);
    return e;
}

std::string Minutes(int64_t minutes) {
    if (minutes % 60 == 0) return fmt::format("{} 小时", minutes / 60);
    return fmt::format("{} 分钟", minutes);
}

// The user, when they exist in the tenant and are not disabled.
std::optional<org::User> ActiveUser(db::Connection& conn, const std::string& tenant_id,
                                    const std::optional<std::string>& id) {
    if (!id || id->empty()) return std::nullopt;
    auto u = org::OrgStore::FindUser(conn, tenant_id, *id);
    if (!u || u->disabled) return std::nullopt;
    return u;
}

void MessageApp(db::Connection& conn, const Clock& clock, const Hazard& h, const std::string& user_id,
                std::string title, std::string text, std::string key) {
    notify::Message m;
    m.tenant_id = h.tenant_id;
    m.channel = notify::Channel::kApp;
    m.to_user_id = user_id;
    m.title = std::move(title);
    m.text = std::move(text);
    m.ref_type = std::string(kRefType);
    m.ref_id = h.id;
    m.idempotency_key = std::move(key);
    notify::Enqueue(conn, clock, m);
}

void MessageSms(db::Connection& conn, const Clock& clock, const Hazard& h, const org::User& to, std::string text,
                std::string key) {
    notify::Message m;
    m.tenant_id = h.tenant_id;
    m.channel = notify::Channel::kSms;
    m.to_user_id = to.id;
    m.to_mobile = to.mobile;
    m.text = std::move(text);
    m.ref_type = std::string(kRefType);
    m.ref_id = h.id;
    m.idempotency_key = std::move(key);
    notify::Enqueue(conn, clock, m);
}

void EnqueueStep(db::Connection& conn, const Clock& clock, const Hazard& h, const EscalationStep& step) {
    jobs::Job job;
    job.tenant_id = h.tenant_id;
    job.kind = step.job_kind;
    job.ref_id = h.id;
    job.due_at = FromUnixMillis(step.due_at);
    job.payload["assignment_no"] = h.assignment_no;
    job.dedupe_key = step.dedupe_key;
    jobs::Enqueue(conn, clock, std::move(job));
}

// Schedules the escalation checks of the hazard's current assignment and tells the assignee in the app.
void OnAssigned(db::Connection& conn, const Clock& clock, const HazardConfig& config, const Hazard& h) {
    if (!h.assignee_id || !h.assigned_at) return;
    // One job per assignment: the acceptance check, which then schedules the submission check (so a
    // report writes one job row, not two).
    EnqueueStep(conn, clock, h, EscalationSchedule(config, h.grade, h.id, h.assignment_no, *h.assigned_at).front());
    const auto& rule = RuleFor(config, h.grade);
    MessageApp(conn, clock, h, *h.assignee_id, "新的隐患待接单 / New hazard assigned to you",
               fmt::format("隐患 {}「{}」（{}）已指派给您，请在 {} 内接单，整改期限 {}。", h.code, h.title,
                           GradeLabel(h.grade), Minutes(rule.accept_escalation_min), Rfc3339(h.due_at)),
               fmt::format("hazard:{}:a{}:assigned:app:{}", h.id, h.assignment_no, *h.assignee_id));
}

void OnClosed(db::Connection& conn, const Clock& clock, const HazardConfig& config, const Hazard& h) {
    jobs::Cancel(conn, std::string(kJobUnaccepted), h.id);
    jobs::Cancel(conn, std::string(kJobUnsubmitted), h.id);
    if (!h.closed_at) return;
    const int64_t due = *h.closed_at + config.archive_after_days * kDayMs;
    jobs::Job job;
    job.tenant_id = h.tenant_id;
    job.kind = std::string(kJobArchive);
    job.ref_id = h.id;
    job.due_at = FromUnixMillis(due);
    job.dedupe_key = fmt::format("archive:{}:{}", h.id, due);
    jobs::Enqueue(conn, clock, std::move(job));
}

// SHA-256 of what the signer signed: the hazard's content and this rectification.
std::string ContentHash(const Hazard& h, const Rectification& r, const std::string& signer_id, int64_t signed_at) {
    SigningContent sc;
    sc.hazard_id = h.id;
    sc.code = h.code;
    sc.title = h.title;
    sc.description = h.description;
    sc.grade = std::string(GradeName(h.grade));
    sc.category = h.category;
    sc.location = h.location;
    sc.reported_at = h.reported_at;
    sc.due_at = h.due_at;
    sc.assignee_id = h.assignee_id.value_or("");
    sc.round = r.round;
    sc.evidence = r.evidence;
    sc.note = r.note;
    if (r.position) {
        sc.lat = r.position->lat;
        sc.lng = r.position->lng;
    }
    sc.signer_id = signer_id;
    sc.signed_at = signed_at;
    return Sha256Hex(CanonicalSigningText(sc));
}

// The deputy GM(s) in charge: as configured, else the users holding the role "vp" as their own role
// (a general manager who holds it through the position is not "in charge of safety"), else all holders.
std::vector<org::User> DeputyGms(db::Connection& conn, const HazardConfig& config, const std::string& tenant_id) {
    std::vector<org::User> out;
    if (!config.deputy_gm_ids.empty()) {
        for (const auto& id : config.deputy_gm_ids) {
            if (auto u = ActiveUser(conn, tenant_id, id)) out.push_back(std::move(*u));
        }
        if (!out.empty()) return out;
    }
    auto holders = org::ActiveUsersWithRole(conn, tenant_id, kVpRole);
    for (const auto& u : holders) {
        if (std::find(u.roles.begin(), u.roles.end(), kVpRole) != u.roles.end()) out.push_back(u);
    }
    return out.empty() ? holders : out;
}

struct EvidenceCheck {
    EvidenceVerdict verdict;
    bool signature_ok = true;
};

}  // namespace

// ---- helpers ----

Actor ActorOf(const api::Principal& p) {
    Actor a;
    a.user_id = p.user_id;
    a.can_handle = p.Has(perm::kHandle);
    a.can_assign = p.Has(perm::kAssign);
    a.can_verify = p.Has(perm::kVerify);
    a.can_configure = p.Has(perm::kConfigure);
    return a;
}

HazardConfig HazardService::ConfigFor(db::Connection& conn, const std::string& tenant_id) {
    auto saved = HazardStore::LoadConfig(conn, tenant_id);
    return saved ? *saved : DefaultConfig();
}

HazardScope HazardService::ScopeOf(db::Connection& conn, const api::Principal& p) {
    HazardScope s;
    s.user_id = p.user_id;
    s.kind = HazardScope::Kind::kSelf;
    switch (p.scope) {
        case api::Scope::kTenant: s.kind = HazardScope::Kind::kTenant; break;
        case api::Scope::kSite:
            if (p.site_id) {
                s.kind = HazardScope::Kind::kSite;
                s.site_id = p.site_id;
            }
            break;
        case api::Scope::kDepartment:
            if (p.department_id) {
                s.department_ids = org::DepartmentSubtree(conn, p.tenant_id, *p.department_id);
                if (!s.department_ids.empty()) s.kind = HazardScope::Kind::kDepartment;
            }
            break;
        case api::Scope::kTeam:
            // Workers see what they reported or hold; team leaders (who assign) their team's.
            if (p.team_id && p.Has(perm::kAssign)) {
                s.kind = HazardScope::Kind::kTeam;
                s.team_id = p.team_id;
            }
            break;
        case api::Scope::kSelf: break;
    }
    return s;
}

namespace {

// The people and department names a list of hazards shows, in two queries whatever its length.
std::vector<Names> NamesForAll(db::Connection& conn, const std::string& tenant_id, const std::vector<Hazard>& items) {
    std::vector<Names> out;
    if (items.empty()) return out;
    std::vector<std::string> ids;
    for (const auto& h : items) {
        ids.push_back(h.reporter_id);
        if (h.assignee_id) ids.push_back(*h.assignee_id);
    }
    auto users = org::UserNames(conn, tenant_id, ids);
    auto departments = org::DepartmentNames(conn, tenant_id);
    auto lookup = [](const std::map<std::string, std::string>& m, const std::optional<std::string>& id) {
        std::optional<std::string> name;
        if (id) {
            if (auto it = m.find(*id); it != m.end()) name = it->second;
        }
        return name;
    };
    out.reserve(items.size());
    for (const auto& h : items) {
        out.push_back(
            Names{lookup(users, h.reporter_id), lookup(users, h.assignee_id), lookup(departments, h.department_id)});
    }
    return out;
}

}  // namespace

namespace {

// Checks a rectification's evidence against the files module's metadata.
EvidenceCheck CheckRectification(db::Connection& conn, const files::FileService& files, const std::string& tenant_id,
                                 const std::vector<std::string>& required, const std::vector<EvidenceItem>& items,
                                 bool has_position, const std::optional<std::string>& signature_file_id,
                                 double min_video_s) {
    std::vector<EvidenceFile> facts;
    facts.reserve(items.size());
    for (const auto& item : items) {
        EvidenceFile f;
        if (auto info = files.Find(conn, tenant_id, item.file_id)) {
            f.exists = true;
            f.content_type = info->content_type;
            if (const auto* d = info->meta.if_contains("duration_s"); d && d->is_number()) {
                f.duration_s = d->to_number<double>();
            }
        }
        facts.push_back(std::move(f));
    }
    EvidenceCheck check;
    bool signature_image = false;
    if (signature_file_id) {
        auto sig = files.Find(conn, tenant_id, *signature_file_id);
        signature_image = sig && sig->content_type.rfind("image/", 0) == 0;
        check.signature_ok = signature_image;
    }
    check.verdict = CheckEvidence(required, items, facts, has_position, signature_image, min_video_s);
    return check;
}

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

AppError SignatureError() {
    return AppError::Validation("signature_file_id", "签名须为已上传的图片 / The signature must be an uploaded image");
}

}  // namespace

// ---- create ----

Result<Created> HazardService::Create(api::RequestContext& ctx, const CreateInput& in) {
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

    // Everything that only reads happens before the write transaction, so the write lock (SQLite) and
    // the code counter's row lock (PostgreSQL) are held for the writes alone. A client id that raced
    // in meanwhile is caught by the insert's unique key below.
    auto attempt = [&]() -> Result<Created> {
        if (auto r = replay()) return std::move(*r);
        const HazardConfig config = ConfigFor(conn, tenant);
        const auto& rule = RuleFor(config, in.grade);
        const bool on_the_spot = in.manage_type == kManageOnTheSpot;
        if (on_the_spot && !rule.on_the_spot_allowed) {
            return AppError::Invalid(
                "on_the_spot_not_allowed",
                fmt::format("{}隐患不能即查即改，须限期整改 / {} hazards cannot be closed on the spot",
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

        // Who will fix it: the one named, else (fixed on the spot) the reporter, else the asset's or the
        // area's owner, else the reporter's team leader; nobody known leaves it reported, to be assigned.
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
        // On PostgreSQL the year's counter row stays locked from its update to the commit, so the number
        // is taken in its own statement before the transaction: concurrent reports then queue only on the
        // audit chain's head, at the very end. A creation that fails after that leaves its number unused
        // (codes stay unique and increasing). SQLite has one writer at a time anyway: there the number is
        // taken inside the transaction and never skipped.
        h.code_year = CodeYear(now, config.code_utc_offset_min);
        std::optional<int64_t> taken_seq;
        if (conn.dialect() == db::Dialect::kPostgres) taken_seq = HazardStore::NextCodeSeq(conn, tenant, h.code_year);
        db::Transaction tx(conn, db::TxMode::kWrite);
        h.code_seq = taken_seq ? *taken_seq : HazardStore::NextCodeSeq(conn, tenant, h.code_year);
        h.code = FormatCode(static_cast<int>(h.code_year), h.code_seq);
        if (rect && rect->signature_file_id) rect->content_sha256 = ContentHash(h, *rect, me.user_id, now);
        if (auto s = HazardStore::Insert(conn, h); !s.ok()) return s.error();
        for (auto& e : events) e = Stamped(ctx, std::move(e));
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

// ---- reads ----

Result<Detail> HazardService::Get(api::RequestContext& ctx, const std::string& id) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    auto h = HazardStore::Find(conn, me.tenant_id, id);
    if (!h) return HazardNotFound();
    auto extensions = HazardStore::Extensions(conn, me.tenant_id, id);
    const HazardScope scope = ScopeOf(conn, me);
    if (!ReadableBy(*h, extensions, scope)) return HazardNotFound();
    Detail d;
    d.hazard = std::move(*h);
    d.extensions = std::move(extensions);
    d.events = HazardStore::Events(conn, me.tenant_id, id);
    d.rectifications = HazardStore::Rectifications(conn, me.tenant_id, id);
    WorkOrderQuery wq;
    wq.tenant_id = me.tenant_id;
    wq.hazard_id = id;
    wq.limit = org::kMaxListLimit;
    d.work_orders = HazardStore::ListWorkOrders(conn, wq);
    d.voice_note = HazardStore::FindVoiceNote(conn, me.tenant_id, id);
    Complete(conn, ConfigFor(conn, me.tenant_id), d);
    SetActions(me, scope, d);
    return d;
}

std::vector<Detail> HazardService::GetMany(api::RequestContext& ctx, const std::vector<std::string>& ids) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    std::vector<Detail> details;
    if (ids.empty()) return details;
    DetailRows rows = HazardStore::DetailsOf(conn, me.tenant_id, ids);
    const HazardScope scope = ScopeOf(conn, me);
    std::map<std::string, Hazard> found;
    for (auto& h : rows.hazards) found.emplace(h.id, std::move(h));
    std::set<std::string> taken;
    for (const auto& id : ids) {
        auto it = found.find(id);
        if (it == found.end() || !taken.insert(id).second) continue;
        std::vector<Extension> extensions = std::move(rows.extensions[id]);
        if (!ReadableBy(it->second, extensions, scope)) continue;
        Detail d;
        d.hazard = std::move(it->second);
        d.extensions = std::move(extensions);
        d.events = std::move(rows.events[id]);
        d.rectifications = std::move(rows.rectifications[id]);
        d.work_orders = std::move(rows.work_orders[id]);
        if (auto note = rows.voice_notes.find(id); note != rows.voice_notes.end())
            d.voice_note = std::move(note->second);
        details.push_back(std::move(d));
    }
    CompleteMany(conn, ConfigFor(conn, me.tenant_id), details);
    for (auto& d : details) SetActions(me, scope, d);
    return details;
}

Detail HazardService::DetailAfterWrite(api::RequestContext& ctx, const Hazard& hazard) {
    db::Connection& conn = ctx.Db();
    const std::string& tenant = hazard.tenant_id;
    Detail d;
    d.hazard = hazard;
    d.extensions = HazardStore::Extensions(conn, tenant, hazard.id);
    d.events = HazardStore::Events(conn, tenant, hazard.id);
    d.rectifications = HazardStore::Rectifications(conn, tenant, hazard.id);
    WorkOrderQuery wq;
    wq.tenant_id = tenant;
    wq.hazard_id = hazard.id;
    wq.limit = org::kMaxListLimit;
    d.work_orders = HazardStore::ListWorkOrders(conn, wq);
    d.voice_note = HazardStore::FindVoiceNote(conn, tenant, hazard.id);
    Complete(conn, ConfigFor(conn, tenant), d);
    SetActions(ctx.user(), ScopeOf(conn, ctx.user()), d);
    return d;
}

Detail HazardService::DetailAfterCreate(api::RequestContext& ctx, const Created& created) {
    // A repeated id: whatever was stored then.
    if (!created.created) return DetailAfterWrite(ctx, created.hazard);
    // A new report has no extensions or work orders yet and its other records are at hand; only the
    // events are read back (for their sequence numbers).
    db::Connection& conn = ctx.Db();
    Detail d;
    d.hazard = created.hazard;
    d.events = HazardStore::Events(conn, created.hazard.tenant_id, created.hazard.id);
    d.rectifications = created.rectifications;
    d.voice_note = created.voice_note;
    Complete(conn, created.config, d);
    SetActions(ctx.user(), ScopeOf(conn, ctx.user()), d);
    return d;
}

namespace {

// Everyone a detail names: reporter, assignee, liable person, the actors of its events, rectifications,
// extensions and work orders.
std::vector<std::string> MentionedIn(const Detail& d) {
    const Hazard& h = d.hazard;
    std::vector<std::string> mentioned = {h.reporter_id};
    auto mention = [&](const std::optional<std::string>& user_id) {
        if (user_id) mentioned.push_back(*user_id);
    };
    mention(h.assignee_id);
    mention(h.liable_person_id);
    for (const auto& e : d.events) mention(e.actor_id);
    for (const auto& r : d.rectifications) {
        mentioned.push_back(r.submitted_by);
        mention(r.signed_by);
        mention(r.verified_by);
    }
    for (const auto& x : d.extensions) {
        mentioned.push_back(x.requested_by);
        mention(x.approver_id);
        mention(x.decided_by);
    }
    for (const auto& w : d.work_orders) {
        mentioned.push_back(w.owner_id);
        mentioned.insert(mentioned.end(), w.cc_user_ids.begin(), w.cc_user_ids.end());
        mention(w.closed_by);
    }
    return mentioned;
}

// Fills what a detail shows besides its records: the evidence it needs, and the names of everyone it mentions
// (`people`: this detail's, keyed by user id) and of its department.
void Fill(const HazardConfig& config, Detail& d, std::map<std::string, std::string> people,
          std::optional<std::string> department) {
    const Hazard& h = d.hazard;
    d.required_evidence = RequiredEvidence(config, h.grade, h.category);
    d.min_video_s = config.min_video_s;
    d.people = std::move(people);
    // The hazard's own names come from the same lookup.
    auto name = [&](const std::optional<std::string>& id) {
        std::optional<std::string> out;
        if (id) {
            if (auto it = d.people.find(*id); it != d.people.end()) out = it->second;
        }
        return out;
    };
    d.names.reporter = name(h.reporter_id);
    d.names.assignee = name(h.assignee_id);
    d.names.department = std::move(department);
}

}  // namespace

void HazardService::SetActions(const api::Principal& me, const HazardScope& scope, Detail& d) {
    std::optional<Extension> pending;
    if (d.hazard.pending_extension_id) {
        for (const auto& x : d.extensions) {
            if (x.id == *d.hazard.pending_extension_id && x.status == "pending") pending = x;
        }
    }
    d.actions = ActionsFor(FactsOf(d.hazard, pending), ActorOf(me), VisibleTo(d.hazard, scope));
}

void HazardService::Complete(db::Connection& conn, const HazardConfig& config, Detail& d) {
    const Hazard& h = d.hazard;
    auto people = org::UserNames(conn, h.tenant_id, MentionedIn(d));
    std::optional<std::string> department;
    if (h.department_id) {
        if (auto dep = org::OrgStore::FindDepartment(conn, h.tenant_id, *h.department_id)) department = dep->name;
    }
    Fill(config, d, std::move(people), std::move(department));
}

void HazardService::CompleteMany(db::Connection& conn, const HazardConfig& config, std::vector<Detail>& details) {
    if (details.empty()) return;
    const std::string& tenant_id = details.front().hazard.tenant_id;
    std::vector<std::vector<std::string>> mentioned;
    mentioned.reserve(details.size());
    std::vector<std::string> everyone;
    for (const auto& d : details) {
        mentioned.push_back(MentionedIn(d));
        everyone.insert(everyone.end(), mentioned.back().begin(), mentioned.back().end());
    }
    const auto names = org::UserNames(conn, tenant_id, everyone);
    const auto departments = org::DepartmentNames(conn, tenant_id);
    for (size_t i = 0; i < details.size(); ++i) {
        Detail& d = details[i];
        std::map<std::string, std::string> people;
        for (const auto& id : mentioned[i]) {
            if (auto it = names.find(id); it != names.end()) people.emplace(it->first, it->second);
        }
        std::optional<std::string> department;
        if (d.hazard.department_id) {
            if (auto it = departments.find(*d.hazard.department_id); it != departments.end()) department = it->second;
        }
        Fill(config, d, std::move(people), std::move(department));
    }
}

Result<ListPage> HazardService::List(api::RequestContext& ctx, const ListInput& in) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    ListQuery q;
    q.tenant_id = me.tenant_id;
    q.scope = ScopeOf(conn, me);
    q.statuses = in.statuses;
    q.grade = in.grade;
    q.category = in.category;
    q.assignee_id = in.mine ? std::optional<std::string>(me.user_id) : in.assignee_id;
    q.reporter_id = in.reporter_id;
    q.department_id = in.department_id;
    if (in.code) {
        q.code_search = ParseCodeSearch(*in.code);
        if (!q.code_search) return ListPage{};  // cannot be (the start of) a code: nothing matches
    }
    if (in.to_verify) {
        q.statuses = {std::string(StatusName(HazardStatus::kSubmitted))};
        q.not_submitted_by = me.user_id;
    }
    q.overdue = in.overdue;
    q.now = NowMs(ctx);
    q.sort = in.sort;
    q.after = in.after;
    q.limit = in.limit + 1;  // one more tells whether there is a next page
    ListPage page;
    page.items = HazardStore::List(conn, q);
    if (static_cast<int>(page.items.size()) > in.limit) {
        page.items.resize(static_cast<size_t>(in.limit));
        const auto& last = page.items.back();
        page.next =
            ListCursor{in.sort == SortOrder::kDueAt ? last.due_at : last.reported_at, last.code_year, last.code_seq};
    }
    page.names = NamesForAll(conn, me.tenant_id, page.items);
    return page;
}

Result<boost::json::array> HazardService::Stats(api::RequestContext& ctx, const StatsInput& in) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    StatsQuery q;
    q.tenant_id = me.tenant_id;
    q.scope = ScopeOf(conn, me);
    q.group_by = in.group_by;
    q.statuses = in.statuses;
    q.grade = in.grade;
    q.overdue = in.overdue;
    q.now = NowMs(ctx);
    q.from = in.from;
    q.to = in.to;
    auto rows = HazardStore::Stats(conn, q);
    bool by_department = std::find(in.group_by.begin(), in.group_by.end(), "department") != in.group_by.end();
    auto departments = by_department ? org::DepartmentNames(conn, me.tenant_id) : std::map<std::string, std::string>{};
    boost::json::array out;
    for (const auto& r : rows) {
        boost::json::object o;
        for (size_t i = 0; i < in.group_by.size(); ++i) {
            const auto& key = in.group_by[i];
            const auto& value = r.keys[i];
            if (key == "department") {
                o["department_id"] = api::OptionalToJson(value);
                std::optional<std::string> name;
                if (value) {
                    if (auto it = departments.find(*value); it != departments.end()) name = it->second;
                }
                o["department"] = name ? boost::json::value(*name) : boost::json::value(nullptr);
            } else {
                o[key] = api::OptionalToJson(value);
            }
        }
        o["count"] = r.count;
        out.push_back(std::move(o));
    }
    return out;
}

Result<boost::json::object> HazardService::Board(api::RequestContext& ctx) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    auto scope = ScopeOf(conn, me);
    auto counts = HazardStore::Board(conn, me.tenant_id, scope, now);
    boost::json::object by_status;
    boost::json::object by_grade;
    boost::json::array cells;
    int64_t active = 0;
    for (const auto& r : counts.by_status_grade) {
        const std::string status = r.keys[0].value_or("");
        const std::string grade = r.keys[1].value_or("");
        by_status[status] = (by_status.contains(status) ? by_status[status].as_int64() : 0) + r.count;
        by_grade[grade] = (by_grade.contains(grade) ? by_grade[grade].as_int64() : 0) + r.count;
        cells.emplace_back(boost::json::object{{"status", status}, {"grade", grade}, {"count", r.count}});
        active += r.count;
    }
    ListQuery q;
    q.tenant_id = me.tenant_id;
    q.scope = scope;
    q.overdue = true;
    q.now = now;
    q.sort = SortOrder::kDueAt;
    q.limit = 20;
    boost::json::array urgent;
    const auto most_overdue = HazardStore::List(conn, q);
    const auto names = NamesForAll(conn, me.tenant_id, most_overdue);
    for (size_t i = 0; i < most_overdue.size(); ++i) urgent.push_back(ToJson(most_overdue[i], now, names[i]));
    boost::json::object out;
    out["active"] = active;
    out["overdue"] = counts.overdue;
    out["by_status"] = std::move(by_status);
    out["by_grade"] = std::move(by_grade);
    out["cells"] = std::move(cells);
    out["most_overdue"] = std::move(urgent);
    out["at"] = Rfc3339(now);
    return out;
}

// ---- state changes ----

namespace {

// Loads a hazard the caller may see, holding its row for the transaction.
// `request`: the extension request being decided.
Result<Hazard> LoadForAction(db::Connection& conn, const api::Principal& me, const std::string& id,
                             const HazardScope& scope, Action action,
                             const std::optional<Extension>& request = std::nullopt) {
    auto h = HazardStore::FindForUpdate(conn, me.tenant_id, id);
    if (!h) return HazardNotFound();
    const bool approver = request && request->approver_id == me.user_id;
    if (!Reaches(action, VisibleTo(*h, scope), approver)) return HazardNotFound();
    return std::move(*h);
}

Status Save(db::Connection& conn, Hazard& h, int64_t now) {
    h.updated_at = now;
    if (!HazardStore::Update(conn, h)) return ConcurrentUpdate();
    ++h.version;
    return Ok{};
}

}  // namespace

Result<Hazard> HazardService::Assign(api::RequestContext& ctx, const std::string& id, const std::string& assignee_id,
                                     const std::optional<std::string>& reason) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto loaded = LoadForAction(conn, me, id, ScopeOf(conn, me), Action::kAssign);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    auto next = Transition(Action::kAssign, FactsOf(h, std::nullopt), ActorOf(me));
    if (!next.ok()) return next.error();
    auto assignee = ActiveUser(conn, me.tenant_id, assignee_id);
    if (!assignee) return AppError::Validation("assignee_id", "没有这个人员或已停用 / no such active person");
    auto before = ToJson(h, now);
    const HazardStatus from = h.status;
    h.status = next.value();
    h.assignee_id = assignee->id;
    h.assignment_no += 1;
    h.assigned_at = now;
    h.department_id = assignee->department_id ? assignee->department_id : h.department_id;
    h.team_id = assignee->team_id;
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    boost::json::object data{{"assignee_id", assignee->id}, {"assignment_no", h.assignment_no}, {"rule", "manual"}};
    if (reason) data["reason"] = *reason;
    HazardStore::InsertEvent(conn,
                             Stamped(ctx, MakeEvent(h, "assigned", now, me.user_id, from, h.status, std::move(data))));
    OnAssigned(conn, ctx.clock(), ConfigFor(conn, me.tenant_id), h);
    audit::Record(ctx, "hazard.assign", "hazard", h.id, std::move(before), ToJson(h, now));
    tx.Commit();
    return h;
}

Result<Hazard> HazardService::Reassign(api::RequestContext& ctx, const std::string& id, const std::string& assignee_id,
                                       const std::string& reason) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto loaded = LoadForAction(conn, me, id, ScopeOf(conn, me), Action::kReassign);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    auto next = Transition(Action::kReassign, FactsOf(h, std::nullopt), ActorOf(me));
    if (!next.ok()) return next.error();
    auto assignee = ActiveUser(conn, me.tenant_id, assignee_id);
    if (!assignee) return AppError::Validation("assignee_id", "没有这个人员或已停用 / no such active person");
    if (h.assignee_id == assignee->id) {
        return AppError::Validation("assignee_id", "已是当前负责人 / already the assignee");
    }
    auto before = ToJson(h, now);
    const HazardStatus from = h.status;
    const std::optional<std::string> previous = h.assignee_id;
    h.status = next.value();
    h.assignee_id = assignee->id;
    h.assignment_no += 1;
    h.assigned_at = now;
    h.accepted_at.reset();
    h.department_id = assignee->department_id ? assignee->department_id : h.department_id;
    h.team_id = assignee->team_id;
    // A pending extension asked by the previous assignee lapses with the hand-over.
    std::optional<Extension> lapsed;
    if (h.pending_extension_id) {
        lapsed = HazardStore::FindExtension(conn, me.tenant_id, *h.pending_extension_id);
        h.pending_extension_id.reset();
    }
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    if (lapsed) {
        lapsed->status = "refused";
        lapsed->decided_by = me.user_id;
        lapsed->decided_at = now;
        lapsed->comment = "改派后失效 / lapsed with the reassignment";
        HazardStore::DecideExtension(conn, *lapsed);
    }
    HazardStore::InsertEvent(conn, Stamped(ctx, MakeEvent(h, "reassigned", now, me.user_id, from, h.status,
                                                          {{"from_assignee_id", api::OptionalToJson(previous)},
                                                           {"assignee_id", assignee->id},
                                                           {"assignment_no", h.assignment_no},
                                                           {"reason", reason}})));
    // The previous assignment's checks are void (the handlers also compare assignment numbers).
    jobs::Cancel(conn, std::string(kJobUnaccepted), h.id);
    jobs::Cancel(conn, std::string(kJobUnsubmitted), h.id);
    OnAssigned(conn, ctx.clock(), ConfigFor(conn, me.tenant_id), h);
    audit::Record(ctx, "hazard.reassign", "hazard", h.id, std::move(before), ToJson(h, now));
    tx.Commit();
    return h;
}

Result<Hazard> HazardService::Accept(api::RequestContext& ctx, const std::string& id) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto loaded = LoadForAction(conn, me, id, ScopeOf(conn, me), Action::kAccept);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    auto next = Transition(Action::kAccept, FactsOf(h, std::nullopt), ActorOf(me));
    if (!next.ok()) return next.error();
    auto before = ToJson(h, now);
    const HazardStatus from = h.status;
    h.status = next.value();
    h.accepted_at = now;
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    HazardStore::InsertEvent(conn, Stamped(ctx, MakeEvent(h, "accepted", now, me.user_id, from, h.status,
                                                          {{"assignment_no", h.assignment_no}})));
    // The acceptance check still runs: it finds the hazard accepted and schedules the submission check.
    audit::Record(ctx, "hazard.accept", "hazard", h.id, std::move(before), ToJson(h, now));
    tx.Commit();
    return h;
}

Result<Hazard> HazardService::Rectify(api::RequestContext& ctx, const std::string& id, const RectifyInput& in) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto loaded = LoadForAction(conn, me, id, ScopeOf(conn, me), Action::kRectify);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    auto next = Transition(Action::kRectify, FactsOf(h, std::nullopt), ActorOf(me));
    if (!next.ok()) return next.error();
    const HazardConfig config = ConfigFor(conn, me.tenant_id);
    auto check = CheckRectification(conn, files_, me.tenant_id, RequiredEvidence(config, h.grade, h.category),
                                    in.evidence, in.position.has_value(), in.signature_file_id, config.min_video_s);
    if (!check.signature_ok) return SignatureError();
    if (!check.verdict.ok()) return EvidenceError(check.verdict);

    auto before = ToJson(h, now);
    const HazardStatus from = h.status;
    auto previous = HazardStore::Rectifications(conn, me.tenant_id, id);
    Rectification r;
    r.id = NewUuidV7(ctx.clock());
    r.tenant_id = me.tenant_id;
    r.hazard_id = h.id;
    r.round = static_cast<int64_t>(previous.size()) + 1;
    r.submitted_by = me.user_id;
    r.submitted_at = now;
    r.note = in.note;
    r.position = in.position;
    r.evidence = in.evidence;
    if (in.signature_file_id) {
        r.signature_file_id = in.signature_file_id;
        r.signed_by = me.user_id;
        r.signed_at = now;
        r.content_sha256 = ContentHash(h, r, me.user_id, now);
    }
    h.status = next.value();
    h.submitted_at = now;
    h.last_submitted_by = me.user_id;
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    HazardStore::InsertRectification(conn, r);
    HazardStore::InsertEvent(conn, Stamped(ctx, MakeEvent(h, "submitted", now, me.user_id, from, h.status,
                                                          {{"round", r.round},
                                                           {"rectification_id", r.id},
                                                           {"evidence", static_cast<int64_t>(r.evidence.size())},
                                                           {"signed", r.signature_file_id.has_value()},
                                                           {"on_time", now <= h.due_at}})));
    audit::Record(ctx, "hazard.rectify", "hazard", h.id, std::move(before), ToJson(h, now));
    tx.Commit();
    return h;
}

Result<Hazard> HazardService::Verify(api::RequestContext& ctx, const std::string& id, bool pass,
                                     const std::string& comment) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto loaded = LoadForAction(conn, me, id, ScopeOf(conn, me), pass ? Action::kVerifyPass : Action::kVerifyFail);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    auto next = Transition(pass ? Action::kVerifyPass : Action::kVerifyFail, FactsOf(h, std::nullopt), ActorOf(me));
    if (!next.ok()) return next.error();
    if (!pass && comment.empty()) {
        return AppError::Validation("comment", "退回返工须写明原因 / a failed verification needs the reason");
    }
    auto rects = HazardStore::Rectifications(conn, me.tenant_id, id);
    if (rects.empty()) throw std::runtime_error("submitted hazard " + id + " has no rectification");
    const auto& latest = rects.back();
    auto before = ToJson(h, now);
    const HazardStatus from = h.status;
    h.status = next.value();
    const HazardConfig config = ConfigFor(conn, me.tenant_id);
    if (pass) {
        h.closed_at = now;
        h.acceptance_by = me.user_id;
        h.acceptance_at = now;
        h.acceptance_comment = comment;
    } else {
        h.rework_rounds += 1;
    }
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    HazardStore::RecordVerification(conn, me.tenant_id, latest.id, pass ? "pass" : "fail", me.user_id, now, comment);
    HazardStore::InsertEvent(conn,
                             Stamped(ctx, MakeEvent(h, pass ? "closed" : "rework", now, me.user_id, from, h.status,
                                                    {{"round", latest.round},
                                                     {"rectification_id", latest.id},
                                                     {"comment", comment},
                                                     {"rework_rounds", h.rework_rounds}})));
    if (pass) {
        OnClosed(conn, ctx.clock(), config, h);
    } else if (h.assignee_id) {
        MessageApp(conn, ctx.clock(), h, *h.assignee_id, "整改被退回 / Rectification sent back",
                   fmt::format("隐患 {}「{}」验收未通过：{}。请返工后重新提交。", h.code, h.title, comment),
                   fmt::format("hazard:{}:rework:{}:app", h.id, latest.round));
    }
    audit::Record(ctx, pass ? "hazard.verify_pass" : "hazard.verify_fail", "hazard", h.id, std::move(before),
                  ToJson(h, now));
    tx.Commit();
    return h;
}

// ---- extensions ----

Result<Extension> HazardService::RequestExtension(api::RequestContext& ctx, const std::string& id,
                                                  const std::string& reason, int64_t new_due_at) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto loaded = LoadForAction(conn, me, id, ScopeOf(conn, me), Action::kRequestExtension);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    std::optional<Extension> pending;
    if (h.pending_extension_id) pending = HazardStore::FindExtension(conn, me.tenant_id, *h.pending_extension_id);
    auto next = Transition(Action::kRequestExtension, FactsOf(h, pending), ActorOf(me));
    if (!next.ok()) return next.error();
    if (new_due_at <= h.due_at || new_due_at <= now) {
        return AppError::Validation("new_due_at", "新期限须晚于当前期限 / must be later than the current deadline");
    }
    // The assignee's direct supervisor decides.
    std::optional<std::string> approver;
    if (auto assignee = ActiveUser(conn, me.tenant_id, h.assignee_id)) {
        if (auto sup = ActiveUser(conn, me.tenant_id, assignee->supervisor_id)) approver = sup->id;
    }
    Extension x;
    x.id = NewUuidV7(ctx.clock());
    x.tenant_id = me.tenant_id;
    x.hazard_id = h.id;
    x.requested_by = me.user_id;
    x.requested_at = now;
    x.reason = reason;
    x.old_due_at = h.due_at;
    x.new_due_at = new_due_at;
    x.approver_id = approver;
    auto before = ToJson(h, now);
    h.pending_extension_id = x.id;
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    HazardStore::InsertExtension(conn, x);
    HazardStore::InsertEvent(conn, Stamped(ctx, MakeEvent(h, "extension_requested", now, me.user_id, h.status, h.status,
                                                          {{"extension_id", x.id},
                                                           {"reason", reason},
                                                           {"new_due_at", Rfc3339(new_due_at)},
                                                           {"approver_id", api::OptionalToJson(approver)}})));
    if (approver) {
        MessageApp(conn, ctx.clock(), h, *approver, "延期申请待审批 / Extension request to decide",
                   fmt::format("隐患 {}「{}」申请延期至 {}，原因：{}", h.code, h.title, Rfc3339(new_due_at), reason),
                   fmt::format("hazard:{}:extension:{}:app", h.id, x.id));
    }
    audit::Record(ctx, "hazard.extension_request", "hazard", h.id, std::move(before), ToJson(h, now));
    tx.Commit();
    return x;
}

Result<Extension> HazardService::DecideExtension(api::RequestContext& ctx, const std::string& hazard_id,
                                                 const std::string& extension_id, bool approve,
                                                 const std::optional<std::string>& comment) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto x = HazardStore::FindExtension(conn, me.tenant_id, extension_id);
    if (!x || x->hazard_id != hazard_id) {
        if (!HazardStore::Find(conn, me.tenant_id, hazard_id)) return HazardNotFound();
        return AppError::NotFound("延期申请 / Extension request");
    }
    auto loaded = LoadForAction(conn, me, hazard_id, ScopeOf(conn, me), Action::kDecideExtension, x);
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    std::optional<Extension> pending;
    if (h.pending_extension_id == x->id && x->status == "pending") pending = x;
    auto next = Transition(Action::kDecideExtension, FactsOf(h, pending), ActorOf(me));
    if (!next.ok()) return next.error();
    auto before = ToJson(h, now);
    x->status = approve ? "approved" : "refused";
    x->decided_by = me.user_id;
    x->decided_at = now;
    x->comment = comment;
    h.pending_extension_id.reset();
    if (approve) {
        h.due_at = x->new_due_at;
        h.extension_count += 1;
    }
    if (auto s = Save(conn, h, now); !s.ok()) return s.error();
    HazardStore::DecideExtension(conn, *x);
    HazardStore::InsertEvent(conn, Stamped(ctx, MakeEvent(h, approve ? "extension_approved" : "extension_refused", now,
                                                          me.user_id, h.status, h.status,
                                                          {{"extension_id", x->id},
                                                           {"comment", api::OptionalToJson(comment)},
                                                           {"due_at", Rfc3339(h.due_at)},
                                                           {"extension_count", h.extension_count}})));
    MessageApp(conn, ctx.clock(), h, x->requested_by,
               approve ? "延期已批准 / Extension approved" : "延期未批准 / Extension refused",
               fmt::format("隐患 {}「{}」的延期申请{}。当前期限 {}。", h.code, h.title, approve ? "已批准" : "未批准",
                           Rfc3339(h.due_at)),
               fmt::format("hazard:{}:extension:{}:decided:app", h.id, x->id));
    audit::Record(ctx, approve ? "hazard.extension_approve" : "hazard.extension_refuse", "hazard", h.id,
                  std::move(before), ToJson(h, now));
    tx.Commit();
    return std::move(*x);
}

Result<std::vector<Extension>> HazardService::ListExtensions(api::RequestContext& ctx,
                                                             const std::optional<std::string>& status, bool mine,
                                                             int limit) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    ExtensionQuery q;
    q.tenant_id = me.tenant_id;
    q.status = status;
    if (mine || me.scope != api::Scope::kTenant) q.approver_id = me.user_id;
    q.limit = limit;
    return HazardStore::ListExtensions(conn, q);
}

// ---- work orders ----

Result<std::vector<WorkOrder>> HazardService::ListWorkOrders(
    api::RequestContext& ctx, const std::optional<std::string>& status, const std::optional<std::string>& hazard_id,
    bool mine, const std::optional<std::pair<int64_t, std::string>>& after, int limit) {
    const auto& me = ctx.user();
    WorkOrderQuery q;
    q.tenant_id = me.tenant_id;
    q.status = status;
    q.hazard_id = hazard_id;
    if (mine) q.owner_id = me.user_id;
    if (me.scope != api::Scope::kTenant) q.visible_to = me.user_id;
    q.after = after;
    q.limit = limit;
    return HazardStore::ListWorkOrders(ctx.Db(), q);
}

Result<WorkOrder> HazardService::GetWorkOrder(api::RequestContext& ctx, const std::string& id) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    auto w = HazardStore::FindWorkOrder(conn, me.tenant_id, id);
    if (!w) return AppError::NotFound("协同工单 / Work order");
    if (me.scope != api::Scope::kTenant) {
        bool involved = w->owner_id == me.user_id ||
                        std::find(w->cc_user_ids.begin(), w->cc_user_ids.end(), me.user_id) != w->cc_user_ids.end();
        auto h = HazardStore::Find(conn, me.tenant_id, w->hazard_id);
        if (!involved && !(h && VisibleTo(*h, ScopeOf(conn, me)))) return AppError::NotFound("协同工单 / Work order");
    }
    return std::move(*w);
}

Result<WorkOrder> HazardService::CloseWorkOrder(api::RequestContext& ctx, const std::string& id,
                                                const std::string& resolution) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto found = GetWorkOrder(ctx, id);
    if (!found.ok()) return found.error();
    WorkOrder w = std::move(found).value();
    if (w.status != "open") return AppError::Conflict("invalid_transition", "工单已关闭 / The work order is closed");
    if (w.owner_id != me.user_id && me.scope != api::Scope::kTenant) {
        return AppError::Forbidden("只有工单负责人可以关闭 / Only the work order's owner can close it");
    }
    auto before = ToJson(w);
    w.status = "closed";
    w.closed_at = now;
    w.closed_by = me.user_id;
    w.resolution = resolution;
    HazardStore::CloseWorkOrder(conn, w);
    if (auto h = HazardStore::Find(conn, me.tenant_id, w.hazard_id)) {
        HazardStore::InsertEvent(conn,
                                 Stamped(ctx, MakeEvent(*h, "work_order_closed", now, me.user_id, h->status, h->status,
                                                        {{"work_order_id", w.id}, {"resolution", resolution}})));
    }
    audit::Record(ctx, "hazard.work_order_close", "work_order", w.id, std::move(before), ToJson(w));
    tx.Commit();
    return w;
}

// ---- settings ----

Result<HazardConfig> HazardService::GetConfig(api::RequestContext& ctx) {
    return ConfigFor(ctx.Db(), ctx.user().tenant_id);
}

Result<HazardConfig> HazardService::SaveConfig(api::RequestContext& ctx, const HazardConfig& config) {
    if (auto s = ValidateConfig(config); !s.ok()) return s.error();
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    for (const auto& id : config.deputy_gm_ids) {
        if (!ActiveUser(conn, me.tenant_id, id)) {
            return AppError::Validation("deputy_gm_ids", "没有这个人员或已停用：" + id + " / no such active person");
        }
    }
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = ToJson(ConfigFor(conn, me.tenant_id));
    HazardStore::SaveConfig(conn, me.tenant_id, config, NowMs(ctx));
    audit::Record(ctx, "hazard.settings", "hazard_settings", me.tenant_id, std::move(before), ToJson(config));
    tx.Commit();
    return config;
}

Result<std::vector<Owner>> HazardService::GetOwners(api::RequestContext& ctx) {
    return HazardStore::ListOwners(ctx.Db(), ctx.user().tenant_id);
}

Result<std::vector<Owner>> HazardService::SaveOwners(api::RequestContext& ctx, const std::vector<Owner>& owners) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    AppError invalid{"validation_failed", "负责人设置有误 / Some owners are not valid", {}, {}};
    std::set<std::pair<std::string, std::string>> seen;
    for (size_t i = 0; i < owners.size(); ++i) {
        if (!ActiveUser(conn, me.tenant_id, owners[i].user_id)) {
            invalid.fields[fmt::format("owners[{}].user_id", i)] = "没有这个人员或已停用 / no such active person";
        }
        if (!seen.insert({owners[i].kind, owners[i].key}).second) {
            invalid.fields[fmt::format("owners[{}].key", i)] = "重复 / given twice";
        }
    }
    if (!invalid.fields.empty()) return invalid;
    boost::json::array after;
    for (const auto& o : owners)
        after.emplace_back(boost::json::object{{"kind", o.kind}, {"key", o.key}, {"user_id", o.user_id}});
    HazardStore::ReplaceOwners(conn, me.tenant_id, owners, NowMs(ctx));
    audit::Record(ctx, "hazard.owners", "hazard_owners", me.tenant_id, nullptr, std::move(after));
    tx.Commit();
    return owners;
}

// ---- metrics ----

Result<boost::json::object> HazardService::Metrics(api::RequestContext& ctx, int64_t from, int64_t to) {
    if (to <= from) return AppError{"invalid_query", "to 须晚于 from / `to` must be after `from`", {}, {}};
    if (to - from > kMaxMetricDays * kDayMs) {
        return AppError{"invalid_query", "统计区间最长 366 天 / The period is at most 366 days", {}, {}};
    }
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    const HazardConfig config = ConfigFor(conn, me.tenant_id);
    const auto scope = ScopeOf(conn, me);
    auto data =
        HazardStore::LoadMetricData(conn, me.tenant_id, scope, from, to, from - config.repeat_window_days * kDayMs);
    auto ratio = [](const Ratio& r) {
        auto pct = r.Percent();
        return boost::json::object{{"numerator", r.numerator},
                                   {"denominator", r.denominator},
                                   {"pct", pct ? boost::json::value(*pct) : boost::json::value(nullptr)}};
    };
    auto opt = [](const std::optional<double>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };

    auto hours = RectificationHours(data.hazards, from, to);
    auto repeats = RepeatHazards(data.hazards, config.repeat_window_days);
    boost::json::object out;
    out["from"] = Rfc3339(from);
    out["to"] = Rfc3339(to);
    out["as_of"] = Rfc3339(std::min(to, now));
    int64_t reported = 0;
    int64_t escalations = 0;
    for (const auto& h : data.hazards) {
        if (h.reported_at >= from && h.reported_at < to) ++reported;
        for (const auto& e : h.events) {
            if (e.type == "escalated" && e.at >= from && e.at < to) ++escalations;
        }
    }
    out["reported"] = reported;
    out["closed"] = static_cast<int64_t>(hours.size());
    out["escalations"] = escalations;
    out["rectification_hours"] = boost::json::object{
        {"count", static_cast<int64_t>(hours.size())}, {"average", opt(Mean(hours))}, {"median", opt(Median(hours))}};
    out["overdue_rate"] = ratio(OverdueRate(data.hazards, from, to, now));
    out["on_time_rate"] = ratio(OnTimeRate(data.hazards, from, to));
    boost::json::array closure;
    for (const auto& [grade, r] : ClosureRateByGrade(data.hazards, from, to, now)) {
        auto o = ratio(r);
        o["grade"] = GradeName(grade);
        const double target = RuleFor(config, grade).closure_target_pct;
        o["target_pct"] = target;
        auto pct = r.Percent();
        o["meets_target"] = pct ? boost::json::value(*pct >= target) : boost::json::value(nullptr);
        closure.push_back(std::move(o));
    }
    out["closure_rate"] = std::move(closure);
    out["repeat_rate"] = ratio(RepeatRate(data.hazards, repeats, from, to));
    out["repeat_window_days"] = config.repeat_window_days;

    // Responsibility penetration per position and department.
    std::map<std::string, Placement> people;
    for (const auto& u : org::OrgStore::AllUsers(conn, me.tenant_id)) people[u.id] = {u.position_id, u.department_id};
    std::map<std::string, std::string> position_names;
    for (const auto& p : org::OrgStore::AllPositions(conn, me.tenant_id)) position_names[p.id] = p.name;
    auto department_names = org::DepartmentNames(conn, me.tenant_id);
    auto rows = [&](GroupBy by, const std::map<std::string, std::string>& names, std::string_view id_key) {
        boost::json::array a;
        for (const auto& r : Penetration(data.hazards, data.work_orders, people, repeats, by, from, to)) {
            boost::json::object o;
            o[id_key] = r.group_id.empty() ? boost::json::value(nullptr) : boost::json::value(r.group_id);
            auto it = names.find(r.group_id);
            o["name"] = it == names.end() ? boost::json::value(nullptr) : boost::json::value(it->second);
            o["escalations_received"] = r.escalations_received;
            o["escalations_caused"] = r.escalations_caused;
            o["work_orders"] = r.work_orders;
            o["work_orders_open"] = r.work_orders_open;
            o["avg_response_hours"] = opt(r.avg_response_hours);
            o["repeat_rate"] = ratio(r.repeat);
            a.push_back(std::move(o));
        }
        return a;
    };
    out["penetration"] =
        boost::json::object{{"by_position", rows(GroupBy::kPosition, position_names, "position_id")},
                            {"by_department", rows(GroupBy::kDepartment, department_names, "department_id")}};
    return out;
}

// ---- jobs ----

void HazardService::RegisterJobs(jobs::JobQueue& queue) {
    queue.Register(std::string(kJobUnaccepted), [this](db::Connection& conn, const jobs::Job& job, const Clock& clock) {
        Escalate(conn, job, clock, Escalation::kUnaccepted);
    });
    queue.Register(std::string(kJobUnsubmitted),
                   [this](db::Connection& conn, const jobs::Job& job, const Clock& clock) {
                       Escalate(conn, job, clock, Escalation::kUnsubmitted);
                   });
    queue.Register(std::string(kJobArchive), [this](db::Connection& conn, const jobs::Job& job, const Clock& clock) {
        Archive(conn, job, clock);
    });
}

void HazardService::Escalate(db::Connection& conn, const jobs::Job& job, const Clock& clock, Escalation kind) {
    auto found = HazardStore::FindForUpdate(conn, job.tenant_id, job.ref_id);
    if (!found) return;
    Hazard h = std::move(*found);
    int64_t job_assignment = 0;
    if (const auto* n = job.payload.if_contains("assignment_no"); n && n->is_int64()) job_assignment = n->as_int64();
    if (job_assignment != h.assignment_no || !IsActive(h.status)) return;  // reassigned or done meanwhile
    const int64_t now = ToUnixMillis(clock.Now());
    const HazardConfig config = ConfigFor(conn, h.tenant_id);
    if (kind == Escalation::kUnaccepted && h.assigned_at) {
        // The acceptance check schedules this assignment's submission check, escalating or not.
        EnqueueStep(conn, clock, h, EscalationSchedule(config, h.grade, h.id, h.assignment_no, *h.assigned_at).back());
    }
    if (!EscalationStillDue(kind, h.status, h.assignment_no, job_assignment)) return;
    // Once per hazard, assignment and kind, whichever server or retry gets here first.
    const std::string key = EscalationEventKey(h.id, h.assignment_no, kind);
    if (!HazardStore::ClaimEscalation(conn, key, h.tenant_id, h.id, now)) return;
    const auto& rule = RuleFor(config, h.grade);
    auto assignee = h.assignee_id ? org::OrgStore::FindUser(conn, h.tenant_id, *h.assignee_id) : std::nullopt;
    const std::string assignee_name = assignee ? assignee->name : "（未知）";
    std::string department_name;
    std::optional<org::Department> department;
    if (h.department_id) {
        department = org::OrgStore::FindDepartment(conn, h.tenant_id, *h.department_id);
        if (department) department_name = department->name;
    }

    // Who is told: the assignee's direct supervisor (else the department head) for an unaccepted hazard;
    // the deputy GM(s) in charge for an unhandled one.
    std::vector<org::User> recipients;
    if (kind == Escalation::kUnaccepted) {
        auto sup = assignee ? ActiveUser(conn, h.tenant_id, assignee->supervisor_id) : std::nullopt;
        if (!sup && department) sup = ActiveUser(conn, h.tenant_id, department->head_user_id);
        if (sup) recipients.push_back(std::move(*sup));
    } else {
        recipients = DeputyGms(conn, config, h.tenant_id);
    }

    Event event = MakeEvent(h, "escalated", now, std::nullopt, h.status, h.status);
    boost::json::array told;
    for (const auto& r : recipients) {
        told.emplace_back(boost::json::object{
            {"user_id", r.id}, {"name", r.name}, {"mobile", r.mobile}, {"channels", boost::json::array{"sms", "app"}}});
    }
    event.data = {{"kind", EscalationName(kind)},
                  {"assignment_no", h.assignment_no},
                  {"assignee_id", api::OptionalToJson(h.assignee_id)},
                  {"recipients", told}};

    std::optional<WorkOrder> order;
    if (kind == Escalation::kUnsubmitted) {
        // The cross-department coordination work order: owned by the responsible department's head
        // (else the assignee's supervisor, else the first deputy GM), cc the deputy GM(s).
        std::optional<org::User> owner;
        if (department) owner = ActiveUser(conn, h.tenant_id, department->head_user_id);
        if (!owner && assignee) owner = ActiveUser(conn, h.tenant_id, assignee->supervisor_id);
        if (!owner && !recipients.empty()) owner = recipients.front();
        if (owner) {
            WorkOrder w;
            w.id = NewUuidV7(clock);
            w.tenant_id = h.tenant_id;
            w.hazard_id = h.id;
            w.hazard_code = h.code;
            w.title = fmt::format("跨部门协同：{} {}", h.code, h.title);
            w.reason = fmt::format("指派 {} 后仍未提交整改（责任人 {}，{}）", Minutes(rule.submit_escalation_min),
                                   assignee_name, department_name);
            w.owner_id = owner->id;
            for (const auto& r : recipients) w.cc_user_ids.push_back(r.id);
            w.department_id = h.department_id;
            w.opened_at = now;
            w.dedupe_key = key;
            if (HazardStore::InsertWorkOrder(conn, w)) order = std::move(w);
            event.data["work_order_id"] = order ? boost::json::value(order->id) : boost::json::value(nullptr);
            event.data["work_order_owner_id"] = owner->id;
        }
    }
    HazardStore::InsertEvent(conn, event);

    const std::string text =
        kind == Escalation::kUnaccepted
            ? fmt::format("【安全闭环】隐患{}「{}」（{}）指派给{}已{}未接单，请督促处理。", h.code, h.title,
                          GradeLabel(h.grade), assignee_name, Minutes(rule.accept_escalation_min))
            : fmt::format(
                  "【安全闭环】隐患{}「{}」（{}）指派{}仍未提交整改（责任人{}，{}），已发起跨部门协同工单，请关注。",
                  h.code, h.title, GradeLabel(h.grade), Minutes(rule.submit_escalation_min), assignee_name,
                  department_name);
    for (const auto& r : recipients) {
        MessageSms(conn, clock, h, r, text, EscalationMessageKey(h.id, h.assignment_no, kind, "sms", r.id));
        MessageApp(conn, clock, h, r.id, "隐患升级提醒 / Hazard escalated", text,
                   EscalationMessageKey(h.id, h.assignment_no, kind, "app", r.id));
    }
    if (order) {
        MessageApp(conn, clock, h, order->owner_id, "跨部门协同工单 / Cross-department work order", order->title,
                   fmt::format("work_order:{}:opened:app:{}", order->id, order->owner_id));
    }
    h.escalation_count += 1;
    h.updated_at = now;
    if (!HazardStore::Update(conn, h)) throw std::runtime_error("hazard " + h.id + " changed during escalation");
    audit::Append(conn, audit::Entry{h.tenant_id, std::nullopt, "", "hazard.escalate", "hazard", h.id, nullptr,
                                     event.data, clock.Now()});
    spdlog::info("hazard {} escalated ({}) to {} recipient(s)", h.code, EscalationName(kind), recipients.size());
}

void HazardService::Archive(db::Connection& conn, const jobs::Job& job, const Clock& clock) {
    auto found = HazardStore::FindForUpdate(conn, job.tenant_id, job.ref_id);
    if (!found || found->status != HazardStatus::kClosed || !found->closed_at) return;
    Hazard h = std::move(*found);
    const HazardConfig config = ConfigFor(conn, h.tenant_id);
    const int64_t now = ToUnixMillis(clock.Now());
    const int64_t due = *h.closed_at + config.archive_after_days * kDayMs;
    if (now < due) {
        // The period was lengthened since closure: come back then.
        jobs::Job later;
        later.tenant_id = h.tenant_id;
        later.kind = std::string(kJobArchive);
        later.ref_id = h.id;
        later.due_at = FromUnixMillis(due);
        later.dedupe_key = fmt::format("archive:{}:{}", h.id, due);
        jobs::Enqueue(conn, clock, std::move(later));
        return;
    }
    Actor system;
    system.system = true;
    auto next = Transition(Action::kArchive, FactsOf(h, std::nullopt), system);
    if (!next.ok()) return;
    const HazardStatus from = h.status;
    h.status = next.value();
    h.archived_at = now;
    h.updated_at = now;
    if (!HazardStore::Update(conn, h)) throw std::runtime_error("hazard " + h.id + " changed during archiving");
    HazardStore::InsertEvent(
        conn, MakeEvent(h, "archived", now, std::nullopt, from, h.status, {{"after_days", config.archive_after_days}}));
    audit::Append(conn, audit::Entry{h.tenant_id, std::nullopt, "", "hazard.archive", "hazard", h.id, nullptr,
                                     boost::json::object{{"status", "archived"}}, clock.Now()});
}

}  // namespace safeloop::hazards
