// Cross-department work orders opened by escalations: lists, one, and closing one.

#include <algorithm>

#include "modules/audit/audit.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"

namespace safeloop::hazards {

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
        HazardStore::InsertEvent(conn, MakeEvent(*h, "work_order_closed", now, me.user_id, h->status, h->status,
                                                 {{"work_order_id", w.id}, {"resolution", resolution}}));
    }
    audit::Record(ctx, "hazard.work_order_close", "work_order", w.id, std::move(before), ToJson(w));
    tx.Commit();
    return w;
}

}  // namespace safeloop::hazards
