// Verifying a submitted rectification: closing the hazard or sending it back to rework (HazardService::Verify).

#include <fmt/format.h>

#include <stdexcept>

#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"

namespace safeloop::hazards {

Result<Hazard> HazardService::Verify(api::RequestContext& ctx, const std::string& id, bool pass,
                                     const std::string& comment, std::optional<int64_t> recorded_at) {
    db::Connection& conn = ctx.Db();
    const auto& me = ctx.user();
    const Action action = pass ? Action::kVerifyPass : Action::kVerifyFail;
    return Transact(
        ctx, id, action,
        [&](TransitionStep& s) -> Result<TransitionEffects> {
            if (!pass && comment.empty()) {
                return AppError::Validation("comment", "退回返工须写明原因 / a failed verification needs the reason");
            }
            Hazard& h = s.hazard;
            auto rects = HazardStore::Rectifications(conn, me.tenant_id, id);
            if (rects.empty()) throw std::runtime_error("submitted hazard " + id + " has no rectification");
            const Rectification latest = rects.back();
            if (pass) {
                h.closed_at = s.now;
                h.acceptance_by = me.user_id;
                h.acceptance_at = s.now;
                h.acceptance_comment = comment;
            } else {
                h.rework_rounds += 1;
            }
            TransitionEffects e;
            e.event_type = pass ? "closed" : "rework";
            e.event_data = {{"round", latest.round},
                            {"rectification_id", latest.id},
                            {"comment", comment},
                            {"rework_rounds", h.rework_rounds}};
            e.audit_action = pass ? "hazard.verify_pass" : "hazard.verify_fail";
            e.records = [&conn, &me, &comment, pass, latest, now = s.now] {
                HazardStore::RecordVerification(conn, me.tenant_id, latest.id, pass ? "pass" : "fail", me.user_id, now,
                                                comment);
            };
            e.consequences = [&, latest] {
                if (pass) {
                    OnClosed(conn, ctx.clock(), ConfigFor(conn, me.tenant_id), h);
                } else if (h.assignee_id) {
                    MessageApp(conn, ctx.clock(), h, *h.assignee_id, "整改被退回 / Rectification sent back",
                               fmt::format("隐患 {}「{}」验收未通过：{}。请返工后重新提交。", h.code, h.title, comment),
                               fmt::format("hazard:{}:rework:{}:app", h.id, latest.round));
                }
            };
            return e;
        },
        nullptr, recorded_at);
}

}  // namespace safeloop::hazards
