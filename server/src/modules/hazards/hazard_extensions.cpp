// Extension requests instead of a "suspend": the assignee asks for a later deadline with a reason, their direct
// supervisor (or an administrator) decides (HazardService::RequestExtension, DecideExtension, ListExtensions).

#include <fmt/format.h>

#include "api/json_body.hpp"
#include "core/ids.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"

namespace safeloop::hazards {

Result<Extension> HazardService::RequestExtension(api::RequestContext& ctx, const std::string& id,
                                                  const std::string& reason, int64_t new_due_at,
                                                  std::optional<int64_t> recorded_at) {
    db::Connection& conn = ctx.Db();
    const auto& me = ctx.user();
    Extension x;
    auto done = Transact(
        ctx, id, Action::kRequestExtension,
        [&](TransitionStep& s) -> Result<TransitionEffects> {
            Hazard& h = s.hazard;
            if (new_due_at <= h.due_at || new_due_at <= s.now) {
                return AppError::Validation("new_due_at",
                                            "新期限须晚于当前期限 / must be later than the current deadline");
            }
            // The assignee's direct supervisor decides.
            std::optional<std::string> approver;
            if (auto assignee = ActiveUser(conn, me.tenant_id, h.assignee_id)) {
                if (auto sup = ActiveUser(conn, me.tenant_id, assignee->supervisor_id)) approver = sup->id;
            }
            x.id = NewUuidV7(ctx.clock());
            x.tenant_id = me.tenant_id;
            x.hazard_id = h.id;
            x.requested_by = me.user_id;
            x.requested_at = s.now;
            x.reason = reason;
            x.old_due_at = h.due_at;
            x.new_due_at = new_due_at;
            x.approver_id = approver;
            h.pending_extension_id = x.id;
            TransitionEffects e;
            e.event_type = "extension_requested";
            e.event_data = {{"extension_id", x.id},
                            {"reason", reason},
                            {"new_due_at", Rfc3339(new_due_at)},
                            {"approver_id", api::OptionalToJson(approver)}};
            e.audit_action = "hazard.extension_request";
            e.records = [&] { HazardStore::InsertExtension(conn, x); };
            e.consequences = [&] {
                if (!x.approver_id) return;
                MessageApp(
                    conn, ctx.clock(), h, *x.approver_id, "延期申请待审批 / Extension request to decide",
                    fmt::format("隐患 {}「{}」申请延期至 {}，原因：{}", h.code, h.title, Rfc3339(new_due_at), reason),
                    fmt::format("hazard:{}:extension:{}:app", h.id, x.id));
            };
            return e;
        },
        nullptr, recorded_at);
    if (!done.ok()) return done.error();
    return x;
}

Result<Extension> HazardService::DecideExtension(api::RequestContext& ctx, const std::string& hazard_id,
                                                 const std::string& extension_id, bool approve,
                                                 const std::optional<std::string>& comment) {
    db::Connection& conn = ctx.Db();
    const auto& me = ctx.user();
    std::optional<Extension> x;
    auto find_request = [&](db::Connection& c) -> Result<std::optional<Extension>> {
        x = HazardStore::FindExtension(c, me.tenant_id, extension_id);
        if (!x || x->hazard_id != hazard_id) {
            if (!HazardStore::Find(c, me.tenant_id, hazard_id)) return HazardNotFound();
            return AppError::NotFound("延期申请 / Extension request");
        }
        return x;
    };
    auto done = Transact(
        ctx, hazard_id, Action::kDecideExtension,
        [&](TransitionStep& s) -> Result<TransitionEffects> {
            Hazard& h = s.hazard;
            x->status = approve ? "approved" : "refused";
            x->decided_by = me.user_id;
            x->decided_at = s.now;
            x->comment = comment;
            h.pending_extension_id.reset();
            if (approve) {
                h.due_at = x->new_due_at;
                h.extension_count += 1;
            }
            TransitionEffects e;
            e.event_type = approve ? "extension_approved" : "extension_refused";
            e.event_data = {{"extension_id", x->id},
                            {"comment", api::OptionalToJson(comment)},
                            {"due_at", Rfc3339(h.due_at)},
                            {"extension_count", h.extension_count}};
            e.audit_action = approve ? "hazard.extension_approve" : "hazard.extension_refuse";
            e.records = [&] { HazardStore::DecideExtension(conn, *x); };
            e.consequences = [&] {
                MessageApp(conn, ctx.clock(), h, x->requested_by,
                           approve ? "延期已批准 / Extension approved" : "延期未批准 / Extension refused",
                           fmt::format("隐患 {}「{}」的延期申请{}。当前期限 {}。", h.code, h.title,
                                       approve ? "已批准" : "未批准", Rfc3339(h.due_at)),
                           fmt::format("hazard:{}:extension:{}:decided:app", h.id, x->id));
            };
            return e;
        },
        find_request);
    if (!done.ok()) return done.error();
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

}  // namespace safeloop::hazards
