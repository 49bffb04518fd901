#include "modules/hazards/hazard_transition.hpp"

#include <utility>

namespace safeloop::hazards {

Facts FactsOf(const Hazard& h, const std::optional<Extension>& pending) {
    Facts f;
    f.status = h.status;
    f.assignee_id = h.assignee_id;
    f.last_submitted_by = h.last_submitted_by;
    f.extension_pending = pending.has_value();
    if (pending) f.extension_approver = pending->approver_id;
    return f;
}

Result<Hazard> RunTransition(const TransitionPorts& ports, Action action, const Actor& actor, int64_t now,
                             const TransitionStepFn& step) {
    auto loaded = ports.load();
    if (!loaded.ok()) return loaded.error();
    Hazard h = std::move(loaded).value();
    const std::optional<Extension> pending = ports.pending(h);
    auto next = Transition(action, FactsOf(h, pending), actor);
    if (!next.ok()) return next.error();

    boost::json::object before = ToJson(h, now);
    TransitionStep s{h, h.status, now, pending};
    h.status = next.value();
    auto effects = step(s);
    if (!effects.ok()) return effects.error();

    if (auto saved = ports.save(h); !saved.ok()) return saved.error();
    if (effects->records) effects->records();
    Event e;
    e.tenant_id = h.tenant_id;
    e.hazard_id = h.id;
    e.type = effects->event_type;
    e.at = now;
    e.actor_id = actor.user_id;
    e.from_status = std::string(StatusName(s.from));
    e.to_status = std::string(StatusName(h.status));
    e.data = std::move(effects->event_data);
    ports.event(std::move(e));
    if (effects->consequences) effects->consequences();
    ports.audit(effects->audit_action, std::move(before), ToJson(h, now));
    ports.commit();
    return h;
}

}  // namespace safeloop::hazards
