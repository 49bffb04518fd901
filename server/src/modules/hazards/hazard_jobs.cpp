// The scheduled work of the loop: the escalation checks (not accepted after 15 minutes, not submitted after 2 hours)
// and archiving closed hazards.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <stdexcept>

#include "api/json_body.hpp"
#include "core/ids.hpp"
#include "modules/audit/audit.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::hazards {

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

    // Who is told: the assignee's direct supervisor (else the department head) for an unaccepted hazard; the deputy
    // GM(s) in charge for an unhandled one.
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
        // The cross-department coordination work order: owned by the responsible department's head (else the assignee's
        // supervisor, else the first deputy GM), cc the deputy GM(s).
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
            ? fmt::format(
                  "【安全闭环】隐患{}「{}」（{}）指派给{}已{}"
                  "未接单，请督促处理。",
                  h.code, h.title, GradeLabel(h.grade), assignee_name, Minutes(rule.accept_escalation_min))
            : fmt::format(
                  "【安全闭环】隐患{}「{}」（{}）指派{}仍未提交整改（责任人{}，{}"
                  "），已发起跨部门协同工单，请关注。",
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
