// Assigning a reported hazard and handing an assigned one on (HazardService::Assign, Reassign).

#include "api/json_body.hpp"
#include "jobs/job_queue.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"

namespace safeloop::hazards {

Result<Hazard> HazardService::Assign(api::RequestContext& ctx, const std::string& id, const std::string& assignee_id,
                                     const std::optional<std::string>& reason) {
    db::Connection& conn = ctx.Db();
    const std::string& tenant = ctx.user().tenant_id;
    return Transact(ctx, id, Action::kAssign, [&](TransitionStep& s) -> Result<TransitionEffects> {
        auto assignee = ActiveUser(conn, tenant, assignee_id);
        if (!assignee) return AppError::Validation("assignee_id", "没有这个人员或已停用 / no such active person");
        Hazard& h = s.hazard;
        h.assignee_id = assignee->id;
        h.assignment_no += 1;
        h.assigned_at = s.now;
        h.department_id = assignee->department_id ? assignee->department_id : h.department_id;
        h.team_id = assignee->team_id;
        TransitionEffects e;
        e.event_type = "assigned";
        e.event_data = {{"assignee_id", assignee->id}, {"assignment_no", h.assignment_no}, {"rule", "manual"}};
        if (reason) e.event_data["reason"] = *reason;
        e.audit_action = "hazard.assign";
        e.consequences = [&] { OnAssigned(conn, ctx.clock(), ConfigFor(conn, tenant), h); };
        return e;
    });
}

Result<Hazard> HazardService::Reassign(api::RequestContext& ctx, const std::string& id, const std::string& assignee_id,
                                       const std::string& reason) {
    db::Connection& conn = ctx.Db();
    const auto& me = ctx.user();
    return Transact(ctx, id, Action::kReassign, [&](TransitionStep& s) -> Result<TransitionEffects> {
        Hazard& h = s.hazard;
        auto assignee = ActiveUser(conn, me.tenant_id, assignee_id);
        if (!assignee) return AppError::Validation("assignee_id", "没有这个人员或已停用 / no such active person");
        if (h.assignee_id == assignee->id) {
            return AppError::Validation("assignee_id", "已是当前负责人 / already the assignee");
        }
        const std::optional<std::string> previous = h.assignee_id;
        h.assignee_id = assignee->id;
        h.assignment_no += 1;
        h.assigned_at = s.now;
        h.accepted_at.reset();
        h.department_id = assignee->department_id ? assignee->department_id : h.department_id;
        h.team_id = assignee->team_id;
        // A pending extension asked by the previous assignee lapses with the hand-over.
        std::optional<Extension> lapsed;
        if (h.pending_extension_id) {
            lapsed = HazardStore::FindExtension(conn, me.tenant_id, *h.pending_extension_id);
            h.pending_extension_id.reset();
        }
        TransitionEffects e;
        e.event_type = "reassigned";
        e.event_data = {{"from_assignee_id", api::OptionalToJson(previous)},
                        {"assignee_id", assignee->id},
                        {"assignment_no", h.assignment_no},
                        {"reason", reason}};
        e.audit_action = "hazard.reassign";
        e.records = [&conn, &me, lapsed, now = s.now]() mutable {
            if (!lapsed) return;
            lapsed->status = "refused";
            lapsed->decided_by = me.user_id;
            lapsed->decided_at = now;
            lapsed->comment = "改派后失效 / lapsed with the reassignment";
            HazardStore::DecideExtension(conn, *lapsed);
        };
        e.consequences = [&] {
            // The previous assignment's checks are void (the handlers also compare assignment numbers).
            jobs::Cancel(conn, std::string(kJobUnaccepted), h.id);
            jobs::Cancel(conn, std::string(kJobUnsubmitted), h.id);
            OnAssigned(conn, ctx.clock(), ConfigFor(conn, me.tenant_id), h);
        };
        return e;
    });
}

}  // namespace safeloop::hazards
