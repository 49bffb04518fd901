// The assignee's part of the loop: accepting a hazard and submitting its rectification with the evidence
// (HazardService::Accept, Rectify).

#include "core/ids.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"

namespace safeloop::hazards {

Result<Hazard> HazardService::Accept(api::RequestContext& ctx, const std::string& id,
                                     std::optional<int64_t> recorded_at) {
    return Transact(
        ctx, id, Action::kAccept,
        [](TransitionStep& s) -> Result<TransitionEffects> {
            s.hazard.accepted_at = s.now;
            TransitionEffects e;
            e.event_type = "accepted";
            e.event_data = {{"assignment_no", s.hazard.assignment_no}};
            e.audit_action = "hazard.accept";
            // The acceptance check still runs: it finds the hazard accepted and schedules the submission check.
            return e;
        },
        nullptr, recorded_at);
}

Result<Hazard> HazardService::Rectify(api::RequestContext& ctx, const std::string& id, const RectifyInput& in,
                                      std::optional<int64_t> recorded_at) {
    db::Connection& conn = ctx.Db();
    const auto& me = ctx.user();
    return Transact(
        ctx, id, Action::kRectify,
        [&](TransitionStep& s) -> Result<TransitionEffects> {
            Hazard& h = s.hazard;
            const HazardConfig config = ConfigFor(conn, me.tenant_id);
            auto check =
                CheckRectification(conn, files_, me.tenant_id, RequiredEvidence(config, h.grade, h.category),
                                   in.evidence, in.position.has_value(), in.signature_file_id, config.min_video_s);
            if (!check.signature_ok) return SignatureError();
            if (!check.verdict.ok()) return EvidenceError(check.verdict);

            auto previous = HazardStore::Rectifications(conn, me.tenant_id, id);
            Rectification r;
            r.id = NewUuidV7(ctx.clock());
            r.tenant_id = me.tenant_id;
            r.hazard_id = h.id;
            r.round = static_cast<int64_t>(previous.size()) + 1;
            r.submitted_by = me.user_id;
            r.submitted_at = s.now;
            r.note = in.note;
            r.position = in.position;
            r.evidence = in.evidence;
            if (in.signature_file_id) {
                r.signature_file_id = in.signature_file_id;
                r.signed_by = me.user_id;
                r.signed_at = s.now;
                r.content_sha256 = ContentHash(h, r, me.user_id, s.now);
            }
            h.submitted_at = s.now;
            h.last_submitted_by = me.user_id;
            TransitionEffects e;
            e.event_type = "submitted";
            e.event_data = {{"round", r.round},
                            {"rectification_id", r.id},
                            {"evidence", static_cast<int64_t>(r.evidence.size())},
                            {"signed", r.signature_file_id.has_value()},
                            {"on_time", s.now <= h.due_at}};
            e.audit_action = "hazard.rectify";
            e.records = [&conn, r = std::move(r)] { HazardStore::InsertRectification(conn, r); };
            return e;
        },
        nullptr, recorded_at);
}

}  // namespace safeloop::hazards
