#include "modules/hazards/hazard_support.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/crypto.hpp"
#include "modules/audit/audit.hpp"
#include "modules/files/file_service.hpp"
#include "modules/notify/notify.hpp"
#include "modules/org/org_directory.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::hazards {

namespace {

constexpr std::string_view kVpRole = "vp";  // 分管副总: the deputy GM in charge of safety
constexpr std::string_view kRefType = "hazard";

}  // namespace

int64_t NowMs(const api::RequestContext& ctx) { return ToUnixMillis(ctx.Now()); }

AppError HazardNotFound() { return AppError::NotFound("隐患 / Hazard"); }

AppError ConcurrentUpdate() {
    return AppError::Conflict("conflict",
                              "隐患刚被他人修改，请刷新后重试 / The hazard "
                              "changed meanwhile; reload and retry");
}

Event MakeEvent(const Hazard& h, std::string type, int64_t at, std::optional<std::string> actor,
                std::optional<HazardStatus> from, std::optional<HazardStatus> to, boost::json::object data) {
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

// An action replayed from a phone's offline outbox carries the phone's time of recording; the event keeps it as data
// (`recorded_at`) beside its own server time `at`.
Event Stamped(const std::optional<int64_t>& recorded_at, Event e) {
    if (recorded_at) e.data["recorded_at"] = Rfc3339(*recorded_at);
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
    // One job per assignment: the acceptance check, which then schedules the submission check (so a report writes one
    // job row, not two).
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

// The deputy GM(s) in charge: as configured, else the users holding the role "vp" as their own role (a general manager
// who holds it through the position is not "in charge of safety"), else all holders.
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

AppError SignatureError() {
    return AppError::Validation("signature_file_id", "签名须为已上传的图片 / The signature must be an uploaded image");
}

// Loads a hazard the caller may see, holding its row for the transaction. `request`: the extension request being
// decided.
Result<Hazard> LoadForAction(db::Connection& conn, const api::Principal& me, const std::string& id,
                             const HazardScope& scope, Action action, const std::optional<Extension>& request) {
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

Result<Hazard> Transact(api::RequestContext& ctx, const std::string& id, Action action, const TransitionStepFn& step,
                        const RequestLookup& find_request, std::optional<int64_t> recorded_at) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    std::optional<Extension> request;
    if (find_request) {
        auto found = find_request(conn);
        if (!found.ok()) return found.error();
        request = std::move(found).value();
    }
    TransitionPorts ports;
    ports.load = [&]() { return LoadForAction(conn, me, id, HazardService::ScopeOf(conn, me), action, request); };
    ports.pending = [&](const Hazard& h) -> std::optional<Extension> {
        // Deciding: the request named, if it is the one pending. Asking: the one pending, if any. Otherwise the rules
        // do not ask.
        if (request) {
            if (h.pending_extension_id == request->id && request->status == "pending") return request;
            return std::nullopt;
        }
        if (action == Action::kRequestExtension && h.pending_extension_id) {
            return HazardStore::FindExtension(conn, me.tenant_id, *h.pending_extension_id);
        }
        return std::nullopt;
    };
    ports.save = [&](Hazard& h) { return Save(conn, h, now); };
    ports.event = [&](Event e) { HazardStore::InsertEvent(conn, Stamped(recorded_at, std::move(e))); };
    ports.audit = [&](std::string_view what, boost::json::object before, boost::json::object after) {
        audit::Record(ctx, std::string(what), "hazard", id, std::move(before), std::move(after));
    };
    ports.commit = [&]() { tx.Commit(); };
    return RunTransition(ports, action, ActorOf(me), now, step);
}

}  // namespace safeloop::hazards
