// What a caller may do on a hazard (the detail's "actions", ActionsFor) against what the transitions accept:
// for every status × built-in role × the caller's relation to the hazard, the list is exactly the caller
// actions whose transition the rules would let through; and a hand-written table of the cases the screens
// meet (docs/hazards.md, "Who may do what").

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modules/auth/roles.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_service.hpp"

namespace safeloop::hazards {
namespace {

using S = HazardStatus;
using ActionList = std::vector<std::string>;

constexpr std::string_view kMe = "me";

// The caller as the server builds them from a principal holding `role`.
Actor ActorWithRole(std::string_view role) {
    api::Principal p;
    p.user_id = std::string(kMe);
    p.roles = {std::string(role)};
    p.permissions = auth::PermissionsFor(p.roles);
    return ActorOf(p);
}

// How the caller stands to the hazard.
enum class Relation { kNone, kAssignee, kSubmitter, kApprover, kAssigneeAndSubmitter };

Facts FactsFor(S status, Relation relation, bool pending) {
    Facts f;
    f.status = status;
    const bool assignee = relation == Relation::kAssignee || relation == Relation::kAssigneeAndSubmitter;
    const bool submitter = relation == Relation::kSubmitter || relation == Relation::kAssigneeAndSubmitter;
    f.assignee_id = assignee ? std::string(kMe) : std::string("someone");
    if (status == S::kSubmitted || status == S::kRework || status == S::kClosed || status == S::kArchived) {
        f.last_submitted_by = submitter ? std::string(kMe) : std::string("someone");
    }
    f.extension_pending = pending;
    if (pending) f.extension_approver = relation == Relation::kApprover ? std::string(kMe) : std::string("boss");
    return f;
}

// What the server would accept: every caller action tried against the rules the services call, the
// hazard reached as the service's load reaches it.
ActionList Accepted(const Facts& facts, const Actor& actor, bool in_scope) {
    ActionList out;
    const bool approves = facts.extension_pending && facts.extension_approver == actor.user_id;
    for (const auto& [action, name] : kCallerActions) {
        if (!Reaches(action, in_scope, approves)) continue;
        if (action == Action::kVerifyPass) {
            // Both outcomes follow one rule.
            EXPECT_EQ(Transition(Action::kVerifyPass, facts, actor).ok(),
                      Transition(Action::kVerifyFail, facts, actor).ok());
        }
        if (Transition(action, facts, actor).ok()) out.emplace_back(name);
    }
    return out;
}

TEST(HazardActions, ActionsAreExactlyWhatTheTransitionsAcceptForEveryStatusRoleAndRelation) {
    int with_actions = 0;
    for (const auto& role : auth::RoleCatalog()) {
        const Actor actor = ActorWithRole(role.key);
        for (S status : kAllStatuses) {
            for (Relation relation : {Relation::kNone, Relation::kAssignee, Relation::kSubmitter, Relation::kApprover,
                                      Relation::kAssigneeAndSubmitter}) {
                for (bool pending : {false, true}) {
                    for (bool in_scope : {false, true}) {
                        const Facts facts = FactsFor(status, relation, pending);
                        const ActionList actions = ActionsFor(facts, actor, in_scope);
                        EXPECT_EQ(actions, Accepted(facts, actor, in_scope))
                            << role.key << " " << StatusName(status) << " relation " << static_cast<int>(relation)
                            << " pending " << pending << " in scope " << in_scope;
                        if (!actions.empty()) ++with_actions;
                    }
                }
            }
        }
    }
    EXPECT_GT(with_actions, 50);  // the sweep met real permissions, not only refusals
}

TEST(HazardActions, TheCasesTheScreensMeet) {
    auto actions = [](std::string_view role, S status, Relation relation, bool pending = false, bool in_scope = true) {
        return ActionsFor(FactsFor(status, relation, pending), ActorWithRole(role), in_scope);
    };
    // The assignee (a worker): accept or ask for time; then rectify.
    EXPECT_EQ(actions("worker", S::kAssigned, Relation::kAssignee), (ActionList{"accept", "request_extension"}));
    EXPECT_EQ(actions("worker", S::kAccepted, Relation::kAssignee), (ActionList{"rectify", "request_extension"}));
    EXPECT_EQ(actions("worker", S::kRework, Relation::kAssignee), (ActionList{"rectify", "request_extension"}));
    EXPECT_EQ(actions("worker", S::kAccepted, Relation::kAssignee, true),
              (ActionList{"rectify"}));  // one request at once
    EXPECT_EQ(actions("worker", S::kSubmitted, Relation::kAssigneeAndSubmitter), ActionList{});
    EXPECT_EQ(actions("worker", S::kAssigned, Relation::kNone), ActionList{});
    // A team leader who is not the assignee hands it on or assigns it.
    EXPECT_EQ(actions("team_leader", S::kReported, Relation::kNone), (ActionList{"assign"}));
    EXPECT_EQ(actions("team_leader", S::kAssigned, Relation::kNone), (ActionList{"reassign"}));
    EXPECT_EQ(actions("team_leader", S::kAccepted, Relation::kAssignee),
              (ActionList{"reassign", "rectify", "request_extension"}));
    EXPECT_EQ(actions("team_leader", S::kSubmitted, Relation::kNone), ActionList{});  // team leaders do not verify
    // Verification: a safety officer, never of their own rectification (the console offered it: issue 13).
    EXPECT_EQ(actions("safety_officer", S::kSubmitted, Relation::kNone), (ActionList{"verify"}));
    EXPECT_EQ(actions("safety_officer", S::kSubmitted, Relation::kAssigneeAndSubmitter), ActionList{});
    EXPECT_EQ(actions("safety_officer", S::kSubmitted, Relation::kSubmitter), ActionList{});
    EXPECT_EQ(actions("admin", S::kSubmitted, Relation::kSubmitter), ActionList{});
    EXPECT_EQ(actions("admin", S::kSubmitted, Relation::kNone), (ActionList{"verify"}));
    // Extensions: the approver decides, even when the hazard is outside their scope; an administrator too.
    EXPECT_EQ(actions("dept_head", S::kAccepted, Relation::kApprover, true, false), (ActionList{"decide_extension"}));
    EXPECT_EQ(actions("dept_head", S::kAccepted, Relation::kApprover, true, true),
              (ActionList{"reassign", "decide_extension"}));
    EXPECT_EQ(actions("dept_head", S::kAccepted, Relation::kNone, true, true), (ActionList{"reassign"}));
    EXPECT_EQ(actions("admin", S::kAccepted, Relation::kNone, true), (ActionList{"reassign", "decide_extension"}));
    EXPECT_EQ(actions("dept_head", S::kAccepted, Relation::kApprover, false, false), ActionList{});
    // Outside the scope and not deciding anything: nothing at all.
    EXPECT_EQ(actions("team_leader", S::kReported, Relation::kNone, false, false), ActionList{});
    // The auditor reports and reads, nothing more, even as the assignee.
    EXPECT_EQ(actions("auditor", S::kAssigned, Relation::kAssignee), ActionList{});
    // Closed and archived hazards offer nothing.
    for (S done : {S::kClosed, S::kArchived}) {
        for (const auto& role : auth::RoleCatalog()) {
            EXPECT_EQ(actions(role.key, done, Relation::kAssignee), ActionList{}) << role.key;
            EXPECT_EQ(actions(role.key, done, Relation::kApprover, true), ActionList{}) << role.key;
        }
    }
}

}  // namespace
}  // namespace safeloop::hazards
