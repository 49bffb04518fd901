#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_types.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>

namespace safeloop::hazards {
namespace {

// 2026-03-01T00:00:00Z
constexpr int64_t kT0 = 1772323200000;

// ---- names ----

TEST(HazardRules, GradesAndStatusesRoundTripTheirNames) {
    for (Grade g : kAllGrades) EXPECT_EQ(ParseGrade(GradeName(g)), g);
    for (HazardStatus s : kAllStatuses) EXPECT_EQ(ParseStatus(StatusName(s)), s);
    EXPECT_FALSE(ParseGrade("orange"));
    EXPECT_FALSE(ParseGrade("RED"));
    EXPECT_FALSE(ParseStatus("suspended"));  // there is no free "suspend"
}

TEST(HazardRules, ProvincialLevelAndStateFollowDomainCodes) {
    EXPECT_EQ(ProvincialLevel(Grade::kRed), 1);
    EXPECT_EQ(ProvincialLevel(Grade::kYellow), 0);
    EXPECT_EQ(ProvincialLevel(Grade::kBlue), 0);
    EXPECT_EQ(ProvincialState(HazardStatus::kReported), 0);
    EXPECT_EQ(ProvincialState(HazardStatus::kAccepted), 0);
    EXPECT_EQ(ProvincialState(HazardStatus::kRework), 0);
    EXPECT_EQ(ProvincialState(HazardStatus::kSubmitted), 1);
    EXPECT_EQ(ProvincialState(HazardStatus::kClosed), 9);
    EXPECT_EQ(ProvincialState(HazardStatus::kArchived), 9);
    EXPECT_TRUE(IsKnownCode(SourceCodes(), 1));
    EXPECT_TRUE(IsKnownCode(SourceCodes(), 10));
    EXPECT_FALSE(IsKnownCode(SourceCodes(), 0));
    EXPECT_FALSE(IsKnownCode(SourceCodes(), 11));
    EXPECT_TRUE(IsKnownCode(ManageTypeCodes(), 0));
    EXPECT_FALSE(IsKnownCode(ManageTypeCodes(), 2));
    EXPECT_TRUE(IsKnownCode(HazardTypeCodes(), 8));
    EXPECT_FALSE(IsKnownCode(HazardTypeCodes(), 9));
    EXPECT_TRUE(IsKnownCode(ManagementClassCodes(), 3));
    EXPECT_FALSE(IsKnownCode(ManagementClassCodes(), 4));
    EXPECT_TRUE(IsKnownCode(OccurrenceLinkCodes(), 9));
    EXPECT_FALSE(IsKnownCode(OccurrenceLinkCodes(), 11));
}

// ---- configuration and deadlines ----

TEST(HazardRules, DefaultsAreTheBriefsNumbers) {
    auto c = DefaultConfig();
    EXPECT_TRUE(ValidateConfig(c).ok());
    EXPECT_EQ(RuleFor(c, Grade::kRed).deadline_min, 120);
    EXPECT_EQ(RuleFor(c, Grade::kYellow).deadline_min, 1440);
    EXPECT_EQ(RuleFor(c, Grade::kBlue).deadline_min, 4320);
    for (Grade g : kAllGrades) {
        EXPECT_EQ(RuleFor(c, g).accept_escalation_min, 15);
        EXPECT_EQ(RuleFor(c, g).submit_escalation_min, 120);
    }
    EXPECT_EQ(RuleFor(c, Grade::kRed).closure_target_pct, 100);
    EXPECT_EQ(RuleFor(c, Grade::kYellow).closure_target_pct, 95);
    EXPECT_EQ(RuleFor(c, Grade::kBlue).closure_target_pct, 90);
    EXPECT_FALSE(RuleFor(c, Grade::kRed).on_the_spot_allowed);
    EXPECT_EQ(c.min_video_s, 15);
    EXPECT_EQ(c.repeat_window_days, 90);
}

TEST(HazardRules, DueAtAddsTheGradesDeadline) {
    auto c = DefaultConfig();
    EXPECT_EQ(DueAt(c, Grade::kRed, kT0), kT0 + 2 * kHourMs);
    EXPECT_EQ(DueAt(c, Grade::kYellow, kT0), kT0 + 24 * kHourMs);
    EXPECT_EQ(DueAt(c, Grade::kBlue, kT0), kT0 + 72 * kHourMs);
    c.grades[0].deadline_min = 90;  // a tenant that gives red hazards 1.5 h
    EXPECT_EQ(DueAt(c, Grade::kRed, kT0), kT0 + 90 * kMinuteMs);
}

TEST(HazardRules, OverdueOnlyWhileRectificationIsOutstanding) {
    const int64_t due = kT0;
    EXPECT_FALSE(IsOverdue(HazardStatus::kAssigned, due, due));  // at the deadline: not yet
    EXPECT_TRUE(IsOverdue(HazardStatus::kAssigned, due, due + 1));
    EXPECT_TRUE(IsOverdue(HazardStatus::kReported, due, due + 1));
    EXPECT_TRUE(IsOverdue(HazardStatus::kAccepted, due, due + 1));
    EXPECT_TRUE(IsOverdue(HazardStatus::kRework, due, due + 1));
    EXPECT_FALSE(IsOverdue(HazardStatus::kSubmitted, due, due + 1));
    EXPECT_FALSE(IsOverdue(HazardStatus::kClosed, due, due + 1));
    EXPECT_FALSE(IsOverdue(HazardStatus::kArchived, due, due + 1));
}

TEST(HazardRules, EvidenceRuleForACategoryReplacesTheGradesGeneralRule) {
    auto c = DefaultConfig();
    auto red = RequiredEvidence(c, Grade::kRed, "电气");
    EXPECT_NE(std::find(red.begin(), red.end(), "operator_video"), red.end());
    EXPECT_EQ(RequiredEvidence(c, Grade::kBlue, "电气"), std::vector<std::string>{"after_photo"});
    c.evidence.push_back({Grade::kBlue, "消防", {"after_photo", "extinguisher_label_photo"}});
    EXPECT_EQ(RequiredEvidence(c, Grade::kBlue, "消防"),
              (std::vector<std::string>{"after_photo", "extinguisher_label_photo"}));
    EXPECT_EQ(RequiredEvidence(c, Grade::kBlue, "电气"), std::vector<std::string>{"after_photo"});
    c.evidence.clear();
    EXPECT_TRUE(RequiredEvidence(c, Grade::kRed, "电气").empty());
}

TEST(HazardRules, ValidateConfigNamesEveryBadSetting) {
    auto c = DefaultConfig();
    c.grades[0].deadline_min = 0;
    c.grades[1].closure_target_pct = 120;
    c.grades.pop_back();  // blue missing
    c.evidence.push_back({Grade::kRed, "*", {"Bad Kind"}});
    c.archive_after_days = 0;
    c.min_video_s = -1;
    auto s = ValidateConfig(c);
    ASSERT_FALSE(s.ok());
    const auto& f = s.error().fields;
    EXPECT_TRUE(f.contains("grades[0].deadline_min"));
    EXPECT_TRUE(f.contains("grades[1].closure_target_pct"));
    EXPECT_TRUE(f.contains("grades"));
    EXPECT_TRUE(f.contains("evidence[3].category"));  // second rule for red/*
    EXPECT_TRUE(f.contains("evidence[3].kinds"));
    EXPECT_TRUE(f.contains("archive_after_days"));
    EXPECT_TRUE(f.contains("min_video_s"));
}

// ---- escalation ----

TEST(HazardRules, EscalationScheduleIsPerAssignment) {
    auto c = DefaultConfig();
    auto steps = EscalationSchedule(c, Grade::kYellow, "h1", 1, kT0);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].kind, Escalation::kUnaccepted);
    EXPECT_EQ(steps[0].job_kind, kJobUnaccepted);
    EXPECT_EQ(steps[0].due_at, kT0 + 15 * kMinuteMs);
    EXPECT_EQ(steps[0].dedupe_key, "h1:1:unaccepted");
    EXPECT_EQ(steps[1].kind, Escalation::kUnsubmitted);
    EXPECT_EQ(steps[1].due_at, kT0 + 2 * kHourMs);
    EXPECT_EQ(steps[1].dedupe_key, "h1:1:unsubmitted");
    // A reassignment an hour later: new keys, clocks from the new assignment.
    auto again = EscalationSchedule(c, Grade::kYellow, "h1", 2, kT0 + kHourMs);
    EXPECT_EQ(again[0].dedupe_key, "h1:2:unaccepted");
    EXPECT_EQ(again[0].due_at, kT0 + kHourMs + 15 * kMinuteMs);
    EXPECT_EQ(again[1].due_at, kT0 + 3 * kHourMs);
}

TEST(HazardRules, EscalationRechecksStateAndAssignment) {
    using S = HazardStatus;
    EXPECT_TRUE(EscalationStillDue(Escalation::kUnaccepted, S::kAssigned, 1, 1));
    EXPECT_FALSE(EscalationStillDue(Escalation::kUnaccepted, S::kAccepted, 1, 1));
    EXPECT_FALSE(EscalationStillDue(Escalation::kUnaccepted, S::kAssigned, 2, 1));  // reassigned since
    EXPECT_TRUE(EscalationStillDue(Escalation::kUnsubmitted, S::kAssigned, 1, 1));
    EXPECT_TRUE(EscalationStillDue(Escalation::kUnsubmitted, S::kAccepted, 1, 1));
    EXPECT_TRUE(EscalationStillDue(Escalation::kUnsubmitted, S::kRework, 1, 1));
    EXPECT_FALSE(EscalationStillDue(Escalation::kUnsubmitted, S::kSubmitted, 1, 1));
    EXPECT_FALSE(EscalationStillDue(Escalation::kUnsubmitted, S::kClosed, 1, 1));
    EXPECT_FALSE(EscalationStillDue(Escalation::kUnsubmitted, S::kArchived, 1, 1));
    EXPECT_FALSE(EscalationStillDue(Escalation::kUnsubmitted, S::kAccepted, 3, 2));
}

TEST(HazardRules, EscalationKeysNameHazardAssignmentKindChannelAndRecipient) {
    EXPECT_EQ(EscalationMessageKey("h1", 2, Escalation::kUnaccepted, "sms", "u9"), "hazard:h1:a2:unaccepted:sms:u9");
    EXPECT_EQ(EscalationEventKey("h1", 2, Escalation::kUnsubmitted), "escalated:h1:a2:unsubmitted");
}

// ---- state machine: every transition and every refusal ----

// hazards.handle is held by every role but the auditor.
Actor Person(std::string id) {
    Actor a{std::move(id)};
    a.can_handle = true;
    return a;
}
Actor Assigner(std::string id) {
    Actor a = Person(std::move(id));
    a.can_assign = true;
    return a;
}
Actor Verifier(std::string id) {
    Actor a = Person(std::move(id));
    a.can_verify = true;
    return a;
}
Actor Admin() {
    Actor a = Person("admin");
    a.can_assign = a.can_verify = a.can_configure = true;
    return a;
}
Facts In(HazardStatus s, std::optional<std::string> assignee = std::string("leader")) {
    Facts f;
    f.status = s;
    f.assignee_id = std::move(assignee);
    return f;
}

TEST(HazardRules, EveryActionIsRefusedInEveryStateThatDoesNotAllowIt) {
    using S = HazardStatus;
    // action -> states that allow it
    const std::map<Action, std::set<S>> allowed = {
        {Action::kAssign, {S::kReported}},
        {Action::kReassign, {S::kAssigned, S::kAccepted, S::kRework}},
        {Action::kAccept, {S::kAssigned}},
        {Action::kRectify, {S::kAccepted, S::kRework}},
        {Action::kVerifyPass, {S::kSubmitted}},
        {Action::kVerifyFail, {S::kSubmitted}},
        {Action::kRequestExtension, {S::kAssigned, S::kAccepted, S::kRework}},
        {Action::kArchive, {S::kClosed}},
    };
    Actor everyone = Admin();
    everyone.user_id = "leader";  // also the assignee
    everyone.system = true;
    for (const auto& [action, states] : allowed) {
        for (S s : kAllStatuses) {
            auto facts = In(s);
            facts.last_submitted_by = "worker";
            auto r = Transition(action, facts, everyone);
            if (states.contains(s)) {
                EXPECT_TRUE(r.ok()) << ActionName(action) << " in " << StatusName(s) << ": " << r.error().message;
            } else {
                ASSERT_FALSE(r.ok()) << ActionName(action) << " in " << StatusName(s);
                EXPECT_EQ(r.error().code, "invalid_transition") << ActionName(action) << " in " << StatusName(s);
            }
        }
    }
}

TEST(HazardRules, TransitionsLeadWhereTheLoopSays) {
    using S = HazardStatus;
    EXPECT_EQ(Transition(Action::kAssign, In(S::kReported, std::nullopt), Assigner("lead")).value(), S::kAssigned);
    EXPECT_EQ(Transition(Action::kReassign, In(S::kAccepted), Assigner("lead")).value(), S::kAssigned);
    EXPECT_EQ(Transition(Action::kAccept, In(S::kAssigned), Person("leader")).value(), S::kAccepted);
    EXPECT_EQ(Transition(Action::kRectify, In(S::kAccepted), Person("leader")).value(), S::kSubmitted);
    EXPECT_EQ(Transition(Action::kRectify, In(S::kRework), Person("leader")).value(), S::kSubmitted);
    auto submitted = In(S::kSubmitted);
    submitted.last_submitted_by = "leader";
    EXPECT_EQ(Transition(Action::kVerifyPass, submitted, Verifier("safety")).value(), S::kClosed);
    EXPECT_EQ(Transition(Action::kVerifyFail, submitted, Verifier("safety")).value(), S::kRework);
    EXPECT_EQ(Transition(Action::kRequestExtension, In(S::kAccepted), Person("leader")).value(), S::kAccepted);
    auto pending = In(S::kAccepted);
    pending.extension_pending = true;
    pending.extension_approver = "director";
    EXPECT_EQ(Transition(Action::kDecideExtension, pending, Assigner("director")).value(), S::kAccepted);
    Actor system;
    system.system = true;
    EXPECT_EQ(Transition(Action::kArchive, In(S::kClosed), system).value(), S::kArchived);
}

TEST(HazardRules, OnlyTheRightPersonMayAct) {
    using S = HazardStatus;
    auto code = [](const Result<HazardStatus>& r) { return r.ok() ? std::string("ok") : r.error().code; };
    EXPECT_EQ(code(Transition(Action::kAssign, In(S::kReported, std::nullopt), Person("worker"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kReassign, In(S::kAssigned), Person("leader"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kAccept, In(S::kAssigned), Person("someone"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kAccept, In(S::kAssigned), Admin())), "forbidden");  // not the assignee
    EXPECT_EQ(code(Transition(Action::kRectify, In(S::kAccepted), Person("someone"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kRectify, In(S::kAccepted, std::nullopt), Person("leader"))), "forbidden");
    auto submitted = In(S::kSubmitted);
    submitted.last_submitted_by = "leader";
    EXPECT_EQ(code(Transition(Action::kVerifyPass, submitted, Person("director"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kVerifyFail, submitted, Assigner("director"))), "forbidden");
    // A safety officer who rectified it themselves does not verify it.
    auto self = submitted;
    self.last_submitted_by = "safety";
    EXPECT_EQ(code(Transition(Action::kVerifyPass, self, Verifier("safety"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kRequestExtension, In(S::kAccepted), Person("someone"))), "forbidden");
    auto pending = In(S::kAccepted);
    pending.extension_pending = true;
    pending.extension_approver = "director";
    EXPECT_EQ(code(Transition(Action::kRequestExtension, pending, Person("leader"))), "invalid_transition");
    EXPECT_EQ(code(Transition(Action::kDecideExtension, pending, Person("leader"))), "forbidden");  // not own
    EXPECT_EQ(code(Transition(Action::kDecideExtension, pending, Assigner("other_lead"))), "forbidden");
    EXPECT_EQ(code(Transition(Action::kDecideExtension, pending, Admin())), "ok");
    EXPECT_EQ(code(Transition(Action::kDecideExtension, In(S::kAccepted), Admin())), "invalid_transition");
    auto closed_pending = pending;
    closed_pending.status = S::kClosed;
    EXPECT_EQ(code(Transition(Action::kDecideExtension, closed_pending, Person("director"))), "invalid_transition");
    EXPECT_EQ(code(Transition(Action::kArchive, In(S::kClosed), Person("leader"))), "forbidden");
    // The permission of the action's route is part of the rule: an assignee without hazards.handle (an
    // auditor) does not accept, an approver without hazards.assign does not decide.
    Actor auditor{"leader"};
    EXPECT_EQ(code(Transition(Action::kAccept, In(S::kAssigned), auditor)), "forbidden");
    EXPECT_EQ(code(Transition(Action::kRectify, In(S::kAccepted), auditor)), "forbidden");
    EXPECT_EQ(code(Transition(Action::kRequestExtension, In(S::kAccepted), auditor)), "forbidden");
    EXPECT_EQ(code(Transition(Action::kDecideExtension, pending, Person("director"))), "forbidden");
    // Archived is read-only for everyone.
    for (Action a : {Action::kAssign, Action::kReassign, Action::kAccept, Action::kRectify, Action::kVerifyPass,
                     Action::kVerifyFail, Action::kRequestExtension, Action::kArchive}) {
        Actor all = Admin();
        all.system = true;
        EXPECT_EQ(code(Transition(a, In(S::kArchived), all)), "invalid_transition") << ActionName(a);
    }
}

// ---- evidence ----

TEST(HazardRules, EvidenceKindsDecideTheMediaTheyTake) {
    EXPECT_EQ(MediaFor("operator_video"), EvidenceMedia::kVideo);
    EXPECT_EQ(MediaFor("video"), EvidenceMedia::kVideo);
    EXPECT_EQ(MediaFor("before_photo"), EvidenceMedia::kImage);
    EXPECT_EQ(MediaFor("param_after_screenshot"), EvidenceMedia::kImage);
    EXPECT_EQ(MediaFor("test_report"), EvidenceMedia::kAny);
    EXPECT_TRUE(IsValidEvidenceKind("operator_video"));
    EXPECT_FALSE(IsValidEvidenceKind(""));
    EXPECT_FALSE(IsValidEvidenceKind("Operator video"));
    EXPECT_FALSE(IsValidEvidenceKind(std::string(41, 'a')));
}

EvidenceFile Image() { return EvidenceFile{true, "image/jpeg", std::nullopt}; }
EvidenceFile Video(double seconds) { return EvidenceFile{true, "video/x-matroska", seconds}; }

TEST(HazardRules, EvidenceCheckListsEveryMissingKindInRequiredOrder) {
    std::vector<std::string> required = {"before_photo", "after_photo", "operator_video", "gps_position",
                                         "leader_signature"};
    auto v = CheckEvidence(required, {{"after_photo", "f1"}}, {Image()}, false, false, 15);
    EXPECT_EQ(v.missing,
              (std::vector<std::string>{"before_photo", "operator_video", "gps_position", "leader_signature"}));
    EXPECT_TRUE(v.problems.empty());
    v = CheckEvidence(required, {{"before_photo", "f0"}, {"after_photo", "f1"}, {"operator_video", "v1"}},
                      {Image(), Image(), Video(15.0)}, true, true, 15);
    EXPECT_TRUE(v.ok());
    // Extra kinds nobody asked for are fine.
    v = CheckEvidence({"after_photo"}, {{"after_photo", "f1"}, {"note_scan", "f2"}},
                      {Image(), EvidenceFile{true, "application/pdf", std::nullopt}}, false, false, 15);
    EXPECT_TRUE(v.ok());
}

TEST(HazardRules, ATenSecondVideoDoesNotCountAndIsNamed) {
    auto v = CheckEvidence({"operator_video"}, {{"operator_video", "v1"}}, {Video(10.0)}, false, false, 15);
    EXPECT_EQ(v.missing, std::vector<std::string>{"operator_video"});
    ASSERT_EQ(v.problems.size(), 1u);
    EXPECT_EQ(v.problems[0].code, "video_too_short");
    EXPECT_EQ(v.problems[0].file_id, "v1");
    v = CheckEvidence({"operator_video"}, {{"operator_video", "v1"}}, {Video(14.99)}, false, false, 15);
    EXPECT_FALSE(v.ok());
    v = CheckEvidence({"operator_video"}, {{"operator_video", "p1"}}, {Image()}, false, false, 15);
    EXPECT_EQ(v.problems[0].code, "not_a_video");
    v = CheckEvidence({"operator_video"}, {{"operator_video", "v1"}}, {EvidenceFile{true, "video/webm", std::nullopt}},
                      false, false, 15);
    EXPECT_EQ(v.problems[0].code, "video_duration_unknown");
    // A second, long enough video satisfies the kind, but the short one is still reported.
    v = CheckEvidence({"operator_video"}, {{"operator_video", "v1"}, {"operator_video", "v2"}},
                      {Video(10.0), Video(20.0)}, false, false, 15);
    EXPECT_TRUE(v.missing.empty());
    EXPECT_EQ(v.problems.size(), 1u);
    EXPECT_FALSE(v.ok());
}

TEST(HazardRules, EvidenceFilesMustExistAndPhotosMustBeImages) {
    auto v = CheckEvidence({"after_photo"}, {{"after_photo", "nope"}}, {EvidenceFile{}}, false, false, 15);
    EXPECT_EQ(v.missing, std::vector<std::string>{"after_photo"});
    EXPECT_EQ(v.problems[0].code, "file_not_found");
    v = CheckEvidence({"after_photo"}, {{"after_photo", "v"}}, {Video(30)}, false, false, 15);
    EXPECT_EQ(v.problems[0].code, "not_an_image");
}

TEST(HazardRules, EvidenceErrorCarriesMissingAndProblems) {
    auto v =
        CheckEvidence({"operator_video", "after_photo"}, {{"operator_video", "v1"}}, {Video(10.0)}, false, false, 15);
    auto e = EvidenceError(v);
    EXPECT_EQ(e.code, "evidence_missing");
    EXPECT_EQ(e.extra.at("missing").as_array().size(), 2u);
    EXPECT_EQ(e.extra.at("problems").as_array().size(), 1u);
    auto invalid_only = CheckEvidence({}, {{"x_photo", "v1"}}, {Video(20)}, false, false, 15);
    EXPECT_EQ(EvidenceError(invalid_only).code, "evidence_invalid");
}

// ---- codes and signing ----

TEST(HazardRules, CodesAreYearAndSixDigits) {
    EXPECT_EQ(FormatCode(2026, 123), "YH-2026-000123");
    EXPECT_EQ(FormatCode(2026, 1), "YH-2026-000001");
    EXPECT_EQ(FormatCode(2027, 1234567), "YH-2027-1234567");
}

TEST(HazardRules, CodeYearIsTakenInTheTenantsZone) {
    // 2025-12-31T17:00:00Z is already 2026-01-01 01:00 in Beijing.
    const int64_t t = 1767200400000;
    EXPECT_EQ(CodeYear(t, 0), 2025);
    EXPECT_EQ(CodeYear(t, 480), 2026);
    EXPECT_EQ(CodeYear(kT0, 480), 2026);
}

// ---- code search ----

std::vector<SeqRange> Seqs(std::initializer_list<std::pair<int64_t, int64_t>> ranges) {
    std::vector<SeqRange> out;
    for (auto [a, b] : ranges) out.push_back(SeqRange{a, b});
    return out;
}

TEST(HazardRules, CodeSearchOfAWholeCodeIsThatCode) {
    auto s = ParseCodeSearch("YH-2026-000123");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->years, std::make_pair(int64_t{2026}, int64_t{2026}));
    EXPECT_EQ(s->seqs, Seqs({{123, 123}}));
    // Case and blanks do not matter.
    auto lower = ParseCodeSearch(" yh-2026-000123 ");
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->years, s->years);
    EXPECT_EQ(lower->seqs, s->seqs);
}

TEST(HazardRules, CodeSearchOfTheStartOfACodeIsARangeOfNumbers) {
    // "0001" starts 000100 … 000199 of six digits, or is number 1 written short.
    auto s = ParseCodeSearch("YH-2026-0001");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->years, std::make_pair(int64_t{2026}, int64_t{2026}));
    EXPECT_EQ(s->seqs, Seqs({{100, 199}, {1, 1}}));
    auto year_only = ParseCodeSearch("YH-2026-");
    ASSERT_TRUE(year_only);
    EXPECT_EQ(year_only->years, std::make_pair(int64_t{2026}, int64_t{2026}));
    EXPECT_TRUE(year_only->seqs.empty());
    auto part_year = ParseCodeSearch("YH-20");
    ASSERT_TRUE(part_year);
    EXPECT_EQ(part_year->years, std::make_pair(int64_t{2000}, int64_t{2099}));
    auto no_dashes = ParseCodeSearch("YH2026000123");
    ASSERT_TRUE(no_dashes);
    EXPECT_EQ(no_dashes->years, std::make_pair(int64_t{2026}, int64_t{2026}));
    EXPECT_EQ(no_dashes->seqs, Seqs({{123, 123}}));
    auto everything = ParseCodeSearch("YH-");
    ASSERT_TRUE(everything);
    EXPECT_FALSE(everything->years);
    EXPECT_TRUE(everything->seqs.empty());
    // Sequences beyond six digits keep all their digits: a seven-digit number is itself.
    EXPECT_EQ(ParseCodeSearch("YH-2026-1000000")->seqs, Seqs({{1000000, 1000000}}));
}

TEST(HazardRules, CodeSearchOfDigitsAloneIsTheNumberInAnyYear) {
    auto six = ParseCodeSearch("000123");
    ASSERT_TRUE(six);
    EXPECT_FALSE(six->years);
    EXPECT_EQ(six->seqs, Seqs({{123, 123}}));
    // Fewer digits: the start of the number, or the number as written on the hazard (123 is 000123).
    auto short_number = ParseCodeSearch("123");
    ASSERT_TRUE(short_number);
    EXPECT_EQ(short_number->seqs, Seqs({{123000, 123999}, {123, 123}}));
    EXPECT_EQ(ParseCodeSearch("2026-0001")->seqs, Seqs({{100, 199}, {1, 1}}));
    EXPECT_EQ(ParseCodeSearch("2025-45")->years, std::make_pair(int64_t{2025}, int64_t{2025}));
    EXPECT_EQ(ParseCodeSearch("2025-45")->seqs, Seqs({{450000, 459999}, {45, 45}}));
}

TEST(HazardRules, CodeSearchRefusesWhatCannotBeACode) {
    // Nothing typed is a wildcard: % and _ are simply not part of any code.
    EXPECT_FALSE(ParseCodeSearch("%"));
    EXPECT_FALSE(ParseCodeSearch("_"));
    EXPECT_FALSE(ParseCodeSearch("YH-2026-%"));
    EXPECT_FALSE(ParseCodeSearch("YH-20_6"));
    EXPECT_FALSE(ParseCodeSearch("YH-26-0001"));  // the year has four digits
    EXPECT_FALSE(ParseCodeSearch("ZH-2026-000123"));
    EXPECT_FALSE(ParseCodeSearch(""));
    EXPECT_FALSE(ParseCodeSearch("1234567890123456789"));  // too long to be a code (and to fit int64)
}

// ---- assignment on report ----

TEST(HazardRules, AutomaticAssignmentIsTheSystemsAndAChosenOneTheReporters) {
    EXPECT_EQ(AssignedBy(kRuleChosen, "u1"), std::optional<std::string>("u1"));
    EXPECT_EQ(AssignedBy(kRuleAssetOwner, "u1"), std::nullopt);
    EXPECT_EQ(AssignedBy(kRuleAreaOwner, "u1"), std::nullopt);
    EXPECT_EQ(AssignedBy(kRuleTeamLeader, "u1"), std::nullopt);
    EXPECT_EQ(AssignedBy(kRuleOnTheSpot, "u1"), std::nullopt);
}

// ---- voice note ----

TEST(HazardRules, VoiceNoteMustBeAnUploadedAudioFileOfKnownShortLength) {
    VoiceNoteFile ok{true, "audio/webm", 42.5};
    EXPECT_FALSE(CheckVoiceNote(ok));
    EXPECT_FALSE(CheckVoiceNote(VoiceNoteFile{true, "audio/mp4", 120.0}));  // the limit itself is allowed

    auto code = [](const VoiceNoteFile& f) { return CheckVoiceNote(f).value_or(AppError{}).code; };
    EXPECT_EQ(code(VoiceNoteFile{false, "", std::nullopt}), "voice_note_not_found");
    EXPECT_EQ(code(VoiceNoteFile{true, "image/jpeg", std::nullopt}), "voice_note_not_audio");
    EXPECT_EQ(code(VoiceNoteFile{true, "video/webm", 10.0}), "voice_note_not_audio");
    EXPECT_EQ(code(VoiceNoteFile{true, "audio/webm", std::nullopt}), "voice_note_duration_unknown");
    EXPECT_EQ(code(VoiceNoteFile{true, "audio/ogg", 120.5}), "voice_note_too_long");
    EXPECT_EQ(code(VoiceNoteFile{true, "audio/ogg", 30.0}), "");
    // A tenant-chosen cap applies too.
    EXPECT_EQ(CheckVoiceNote(VoiceNoteFile{true, "audio/wav", 61.0}, 60)->code, "voice_note_too_long");
    // Each refusal names the field.
    EXPECT_TRUE(CheckVoiceNote(VoiceNoteFile{true, "image/png", std::nullopt})->fields.contains("voice_note_file_id"));
}

TEST(HazardRules, SigningTextIsCanonicalAndCoversTheContent) {
    SigningContent c;
    c.hazard_id = "h1";
    c.code = "YH-2026-000001";
    c.title = "焊机接地线破损";
    c.grade = "red";
    c.evidence = {{"after_photo", "f1"}};
    c.lat = 30.0;
    c.signer_id = "u1";
    c.signed_at = kT0;
    auto a = CanonicalSigningText(c);
    EXPECT_EQ(a, CanonicalSigningText(c));
    auto parsed = boost::json::parse(a).as_object();
    EXPECT_EQ(parsed.at("title").as_string(), "焊机接地线破损");
    EXPECT_EQ(parsed.begin()->key(), "hazard_id");  // fixed member order
    c.title = "焊机接地线已更换";
    EXPECT_NE(a, CanonicalSigningText(c));
}

TEST(HazardTypes, ADetailIsReadableInScopeOrByAnApproverOfItsExtensions) {
    Hazard h;
    h.reporter_id = "u-welder";
    h.assignee_id = "u-leader";
    h.team_id = "team-1";
    HazardScope worker{HazardScope::Kind::kSelf, "u-other", {}, std::nullopt, std::nullopt};
    HazardScope team{HazardScope::Kind::kTeam, "u-leader2", {}, std::string("team-1"), std::nullopt};
    HazardScope reporter{HazardScope::Kind::kSelf, "u-welder", {}, std::nullopt, std::nullopt};
    Extension x;
    x.approver_id = "u-other";

    EXPECT_FALSE(ReadableBy(h, {}, worker)) << "neither in scope nor an approver";
    EXPECT_TRUE(ReadableBy(h, {x}, worker)) << "approves its extension";
    EXPECT_TRUE(ReadableBy(h, {}, team)) << "its team";
    EXPECT_TRUE(ReadableBy(h, {}, reporter)) << "reported it";
    x.approver_id = "u-someone-else";
    EXPECT_FALSE(ReadableBy(h, {x}, worker)) << "another's extension";
}

}  // namespace
}  // namespace safeloop::hazards
