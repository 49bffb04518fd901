#pragma once

// The frame every state change of a hazard shares (assign, reassign, accept, rectify, verify, request and decide
// an extension): load the hazard under its row lock → ask the rules → let the use case change it → save → its
// records → its event → what it causes (jobs, messages) → the audit entry → commit. The use case supplies only
// its step; the frame makes sure no transition skips the rules, the event or the audit, and that nothing is
// written when the rules or the step refuse.
//
// The frame is pure sequencing over `TransitionPorts`, so it is unit-tested with fakes
// (hazard_transition_test.cpp); hazard_support.cpp gives it the real ones (the database, audit, the clock):
//
//     return Transact(ctx, id, Action::kAccept, [&](TransitionStep& s) -> Result<TransitionEffects> {
//         s.hazard.accepted_at = s.now;
//         return TransitionEffects{.event_type = "accepted", .audit_action = "hazard.accept"};
//     });

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_types.hpp"

namespace safeloop::hazards {

// The hazard as the rules see it; `pending`: its pending extension request, when the question concerns one.
Facts FactsOf(const Hazard& hazard, const std::optional<Extension>& pending);

// What the use case's step works on: the hazard as loaded (its status already the one Transition allowed), the
// status it had, the moment, and the pending extension request the rules were asked about.
struct TransitionStep {
    Hazard& hazard;
    HazardStatus from = HazardStatus::kReported;
    int64_t now = 0;
    const std::optional<Extension>& pending;
};

// What a transition writes besides the hazard, as its step says.
struct TransitionEffects {
    std::string event_type;  // "assigned", "accepted", …
    boost::json::object event_data;
    std::string audit_action;  // "hazard.assign", …
    // Its own records, written after the hazard is saved and before the event (a rectification, an extension
    // request, a verification).
    std::function<void()> records;
    // What it causes, after the event: escalation checks, messages, jobs.
    std::function<void()> consequences;
};

using TransitionStepFn = std::function<Result<TransitionEffects>(TransitionStep&)>;

// How the frame reaches the world. Every member is required.
struct TransitionPorts {
    // The hazard under its row lock, if the caller reaches it (else not_found).
    std::function<Result<Hazard>()> load;
    // The extension request the rules are asked about (Facts::extension_pending / extension_approver).
    std::function<std::optional<Extension>(const Hazard&)> pending;
    // Saves the changed hazard (conflict when it changed meanwhile) and counts its version up.
    std::function<Status(Hazard&)> save;
    std::function<void(Event)> event;
    std::function<void(std::string_view action, boost::json::object before, boost::json::object after)> audit;
    std::function<void()> commit;
};

// Runs one transition of the hazard `ports.load` gives, by `actor`, at `now`. The answer is the hazard as saved;
// an error (not_found, the rules' invalid_transition or forbidden, the step's own, a conflict on save) means
// nothing was committed.
Result<Hazard> RunTransition(const TransitionPorts& ports, Action action, const Actor& actor, int64_t now,
                             const TransitionStepFn& step);

}  // namespace safeloop::hazards
