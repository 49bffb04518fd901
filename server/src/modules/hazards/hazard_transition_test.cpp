// The transition frame (hazard_transition.hpp) with fake ports: the order of its writes, the event and audit it
// makes, and that a refusal anywhere (not found, the rules, the step, a conflict on save) commits nothing.

#include "modules/hazards/hazard_transition.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::hazards {
namespace {

using S = HazardStatus;

struct Fake {
    Hazard stored;
    std::optional<Extension> pending;
    bool found = true;
    bool conflict = false;
    std::vector<std::string> log;  // what the frame did, in order
    std::vector<Event> events;
    std::string audit_action;
    boost::json::object audit_before;
    boost::json::object audit_after;

    TransitionPorts Ports() {
        TransitionPorts p;
        p.load = [this]() -> Result<Hazard> {
            log.emplace_back("load");
            if (!found) return AppError::NotFound("隐患 / Hazard");
            return stored;
        };
        p.pending = [this](const Hazard&) {
            log.emplace_back("pending");
            return pending;
        };
        p.save = [this](Hazard& h) -> Status {
            log.emplace_back("save");
            if (conflict) return AppError::Conflict("conflict", "changed meanwhile");
            ++h.version;
            stored = h;
            return Ok{};
        };
        p.event = [this](Event e) {
            log.emplace_back("event");
            events.push_back(std::move(e));
        };
        p.audit = [this](std::string_view action, boost::json::object before, boost::json::object after) {
            log.emplace_back("audit");
            audit_action = std::string(action);
            audit_before = std::move(before);
            audit_after = std::move(after);
        };
        p.commit = [this] { log.emplace_back("commit"); };
        return p;
    }
};

Hazard Assigned() {
    Hazard h;
    h.id = "h1";
    h.tenant_id = "t1";
    h.code = "YH-2026-000001";
    h.status = S::kAssigned;
    h.assignee_id = "leader";
    h.assignment_no = 1;
    h.version = 3;
    return h;
}

Actor Person(std::string id) {
    Actor a{std::move(id)};
    a.can_handle = true;
    return a;
}

constexpr int64_t kNow = 1'800'000'000'000;

TEST(HazardTransition, AnAllowedStepIsSavedThenRecordedThenAuditedThenCommitted) {
    Fake fake;
    fake.stored = Assigned();
    HazardStatus seen_from = S::kReported;
    HazardStatus seen_status = S::kReported;
    auto r = RunTransition(fake.Ports(), Action::kAccept, Person("leader"), kNow,
                           [&](TransitionStep& s) -> Result<TransitionEffects> {
                               fake.log.emplace_back("step");
                               seen_from = s.from;
                               seen_status = s.hazard.status;
                               s.hazard.accepted_at = s.now;
                               TransitionEffects e;
                               e.event_type = "accepted";
                               e.event_data = {{"assignment_no", s.hazard.assignment_no}};
                               e.audit_action = "hazard.accept";
                               e.records = [&] { fake.log.emplace_back("records"); };
                               e.consequences = [&] { fake.log.emplace_back("consequences"); };
                               return e;
                           });
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(fake.log, (std::vector<std::string>{"load", "pending", "step", "save", "records", "event", "consequences",
                                                  "audit", "commit"}));
    // The step saw the old status as `from` and the hazard already in the new one.
    EXPECT_EQ(seen_from, S::kAssigned);
    EXPECT_EQ(seen_status, S::kAccepted);
    EXPECT_EQ(r->status, S::kAccepted);
    EXPECT_EQ(r->accepted_at, kNow);
    EXPECT_EQ(r->version, 4);  // as saved
    ASSERT_EQ(fake.events.size(), 1u);
    const Event& e = fake.events[0];
    EXPECT_EQ(e.type, "accepted");
    EXPECT_EQ(e.hazard_id, "h1");
    EXPECT_EQ(e.tenant_id, "t1");
    EXPECT_EQ(e.at, kNow);
    EXPECT_EQ(e.actor_id, "leader");
    EXPECT_EQ(e.from_status, "assigned");
    EXPECT_EQ(e.to_status, "accepted");
    EXPECT_EQ(e.data.at("assignment_no").as_int64(), 1);
    EXPECT_EQ(fake.audit_action, "hazard.accept");
    EXPECT_EQ(fake.audit_before.at("status").as_string(), "assigned");
    EXPECT_EQ(fake.audit_after.at("status").as_string(), "accepted");
}

TEST(HazardTransition, ARefusalAnywhereCommitsNothing) {
    auto step_ok = [](TransitionStep&) -> Result<TransitionEffects> {
        return TransitionEffects{.event_type = "accepted", .audit_action = "hazard.accept"};
    };
    auto wrote = [](const Fake& f) {
        return std::ranges::any_of(
            std::initializer_list<std::string_view>{"save", "event", "audit", "commit"},
            [&f](std::string_view what) { return std::ranges::find(f.log, what) != f.log.end(); });
    };
    {  // Not reached.
        Fake fake;
        fake.found = false;
        auto r = RunTransition(fake.Ports(), Action::kAccept, Person("leader"), kNow, step_ok);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "not_found");
        EXPECT_FALSE(wrote(fake));
    }
    {  // The rules: not the assignee; and a state that does not allow it. The step never runs.
        Fake fake;
        fake.stored = Assigned();
        bool stepped = false;
        auto r = RunTransition(fake.Ports(), Action::kAccept, Person("someone"), kNow, [&](TransitionStep& s) {
            stepped = true;
            return step_ok(s);
        });
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "forbidden");
        fake.stored.status = S::kClosed;
        auto closed = RunTransition(fake.Ports(), Action::kAccept, Person("leader"), kNow, [&](TransitionStep& s) {
            stepped = true;
            return step_ok(s);
        });
        ASSERT_FALSE(closed.ok());
        EXPECT_EQ(closed.error().code, "invalid_transition");
        EXPECT_FALSE(stepped);
        EXPECT_FALSE(wrote(fake));
    }
    {  // The step's own refusal (input the rules do not judge).
        Fake fake;
        fake.stored = Assigned();
        auto r = RunTransition(
            fake.Ports(), Action::kAccept, Person("leader"), kNow,
            [](TransitionStep&) -> Result<TransitionEffects> { return AppError::Validation("note", "required"); });
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "validation_failed");
        EXPECT_FALSE(wrote(fake));
    }
    {  // Changed meanwhile: saved nothing, so nothing after it either.
        Fake fake;
        fake.stored = Assigned();
        fake.conflict = true;
        bool recorded = false;
        auto r = RunTransition(fake.Ports(), Action::kAccept, Person("leader"), kNow,
                               [&](TransitionStep&) -> Result<TransitionEffects> {
                                   TransitionEffects e{.event_type = "accepted", .audit_action = "hazard.accept"};
                                   e.records = [&] { recorded = true; };
                                   return e;
                               });
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "conflict");
        EXPECT_FALSE(recorded);
        EXPECT_EQ(fake.log.back(), "save");
        EXPECT_TRUE(fake.events.empty());
    }
}

TEST(HazardTransition, TheRulesAreAskedAboutThePendingRequestThePortsGive) {
    Fake fake;
    fake.stored = Assigned();
    fake.stored.status = S::kAccepted;
    Extension x;
    x.id = "x1";
    x.approver_id = "director";
    fake.pending = x;
    Actor director = Person("director");
    director.can_assign = true;
    auto step = [](TransitionStep& s) -> Result<TransitionEffects> {
        EXPECT_TRUE(s.pending.has_value());
        s.hazard.pending_extension_id.reset();
        return TransitionEffects{.event_type = "extension_approved", .audit_action = "hazard.extension_approve"};
    };
    auto r = RunTransition(fake.Ports(), Action::kDecideExtension, director, kNow, step);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, S::kAccepted);  // deciding does not move the status
    EXPECT_EQ(fake.events.at(0).from_status, fake.events.at(0).to_status);
    // Without a pending request there is nothing to decide.
    Fake none;
    none.stored = fake.stored;
    auto refused = RunTransition(none.Ports(), Action::kDecideExtension, director, kNow, step);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "invalid_transition");
}

}  // namespace
}  // namespace safeloop::hazards
