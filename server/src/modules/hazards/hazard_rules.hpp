#pragma once

// The hazard closed loop's pure rules, with no I/O and no clock reads: grades and statuses, the
// provincial code lists, the per-tenant configuration (deadlines, escalation, evidence, archiving) and
// its defaults, the state machine with who may do what in which state, deadlines, the escalation
// schedule, the evidence check, the human-readable code and the content hash signed at rectification.
// Times are UTC milliseconds since the epoch. Metric formulas live beside this in hazard_metrics.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace safeloop::hazards {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

// ---- grades and statuses ----

enum class Grade { kRed, kYellow, kBlue };
inline constexpr Grade kAllGrades[] = {Grade::kRed, Grade::kYellow, Grade::kBlue};

std::string_view GradeName(Grade grade);   // "red", "yellow", "blue"
std::string_view GradeLabel(Grade grade);  // "红色（重大）" ...
std::optional<Grade> ParseGrade(std::string_view text);

// reported (nobody assigned yet) → assigned → accepted → submitted → closed → archived; a failed
// verification sends a submitted hazard to rework, from where it is submitted again.
enum class HazardStatus { kReported, kAssigned, kAccepted, kSubmitted, kRework, kClosed, kArchived };
inline constexpr HazardStatus kAllStatuses[] = {
    HazardStatus::kReported, HazardStatus::kAssigned, HazardStatus::kAccepted, HazardStatus::kSubmitted,
    HazardStatus::kRework,   HazardStatus::kClosed,   HazardStatus::kArchived};

std::string_view StatusName(HazardStatus status);
std::string_view StatusLabel(HazardStatus status);  // "待整改" ...
std::optional<HazardStatus> ParseStatus(std::string_view text);
// Rectification still outstanding (the deadline runs): reported, assigned, accepted, rework.
bool AwaitsRectification(HazardStatus status);
// Not yet closed or archived.
bool IsActive(HazardStatus status);

// ---- provincial dual-prevention code lists (DOMAIN.md) ----

struct CodeEntry {
    int code = 0;
    std::string_view label;
};

// level: 0 一般 / 1 重大. Red maps to 重大, yellow and blue to 一般.
int ProvincialLevel(Grade grade);
// state: 0 整改中 · 1 待验收 · 9 已验收.
int ProvincialState(HazardStatus status);
const std::vector<CodeEntry>& SourceCodes();           // dangerSrc 1..10
const std::vector<CodeEntry>& ManageTypeCodes();       // 0 即查即改 / 1 限期整改
const std::vector<CodeEntry>& HazardTypeCodes();       // 1..8
const std::vector<CodeEntry>& ManagementClassCodes();  // 1 人 / 2 物 / 3 管理
const std::vector<CodeEntry>& OccurrenceLinkCodes();   // 1 设计 … 9 变更 … 10 运输
bool IsKnownCode(const std::vector<CodeEntry>& codes, int64_t code);

inline constexpr int kManageOnTheSpot = 0;  // 即查即改
inline constexpr int kManageDeadline = 1;   // 限期整改

// ---- per-tenant configuration ----

// One row per grade of the tenant's table: deadline, escalation and closure target.
struct GradeRule {
    Grade grade = Grade::kBlue;
    int64_t deadline_min = 0;           // rectification deadline after reporting
    int64_t accept_escalation_min = 0;  // not accepted this long after assignment → the supervisor is told
    int64_t submit_escalation_min = 0;  // not submitted this long after assignment → deputy GM + work order
    double closure_target_pct = 0;      // LEMS closure-rate target (verified closures only)
    bool on_the_spot_allowed = true;    // may be fixed on the spot (即查即改) and closed at once
};

// Evidence kinds a rectification of this grade (and category, "*" = any) must carry. A category rule
// replaces the grade's "*" rule for hazards of that category.
struct EvidenceRule {
    Grade grade = Grade::kBlue;
    std::string category = "*";
    std::vector<std::string> kinds;
};

struct HazardConfig {
    std::vector<GradeRule> grades;  // exactly one per grade
    std::vector<EvidenceRule> evidence;
    int64_t archive_after_days = 0;   // closed hazards become read-only (archived) this long after closure
    double min_video_s = 0;           // a kind whose name contains "video" needs a video at least this long
    int64_t repeat_window_days = 0;   // same asset + category within this window counts as a repeat
    int64_t code_utc_offset_min = 0;  // the year in YH-<year>-<n> is taken in this time zone
    // The deputy GM(s) in charge of safety, told of hazards unhandled 2 h after assignment. Empty: the
    // active users holding the role "vp" as their own role (else through their position).
    std::vector<std::string> deputy_gm_ids;
};

// The defaults every tenant starts with (documented in docs/hazards.md); a tenant's own rows replace
// them once an administrator saves the settings.
HazardConfig DefaultConfig();
const GradeRule& RuleFor(const HazardConfig& config, Grade grade);
// Required evidence kinds for a hazard of this grade and category.
std::vector<std::string> RequiredEvidence(const HazardConfig& config, Grade grade, std::string_view category);
// Checks a configuration an administrator wants to save: every grade once, sane numbers, valid kinds.
safeloop::Status ValidateConfig(const HazardConfig& config);

// ---- deadlines ----

int64_t DueAt(const HazardConfig& config, Grade grade, int64_t reported_at);
// Rectification outstanding and past its deadline.
bool IsOverdue(HazardStatus status, int64_t due_at, int64_t now);

// ---- escalation ----

enum class Escalation { kUnaccepted, kUnsubmitted };
std::string_view EscalationName(Escalation kind);  // "unaccepted", "unsubmitted"
std::optional<Escalation> ParseEscalation(std::string_view text);

inline constexpr std::string_view kJobUnaccepted = "hazard.escalate_unaccepted";
inline constexpr std::string_view kJobUnsubmitted = "hazard.escalate_unsubmitted";
inline constexpr std::string_view kJobArchive = "hazard.archive";

struct EscalationStep {
    Escalation kind = Escalation::kUnaccepted;
    std::string job_kind;
    std::string dedupe_key;  // one job per hazard, assignment and kind
    int64_t due_at = 0;
};

// The checks an assignment schedules: not accepted after accept_escalation_min, not submitted after
// submit_escalation_min. Each assignment of a hazard has its own number, so a reassignment restarts
// the clocks for the new assignee.
std::vector<EscalationStep> EscalationSchedule(const HazardConfig& config, Grade grade, std::string_view hazard_id,
                                               int64_t assignment_no, int64_t assigned_at);
// Whether a check that comes due still has reason to escalate: same assignment and the step not done.
bool EscalationStillDue(Escalation kind, HazardStatus status, int64_t current_assignment_no, int64_t job_assignment_no);
// Idempotency keys: one message per hazard, assignment, kind, channel and recipient; one event.
std::string EscalationMessageKey(std::string_view hazard_id, int64_t assignment_no, Escalation kind,
                                 std::string_view channel, std::string_view user_id);
std::string EscalationEventKey(std::string_view hazard_id, int64_t assignment_no, Escalation kind);

// ---- state machine: who may do what in which state ----

enum class Action {
    kAssign,            // reported → assigned
    kReassign,          // assigned / accepted / rework → assigned (another person, with a reason)
    kAccept,            // assigned → accepted
    kRectify,           // accepted / rework → submitted
    kVerifyPass,        // submitted → closed
    kVerifyFail,        // submitted → rework
    kRequestExtension,  // assigned / accepted / rework, no request pending → unchanged
    kDecideExtension,   // a request pending → unchanged
    kArchive,           // closed → archived (the archive job)
};
std::string_view ActionName(Action action);

// The acting person as the rules see them.
struct Actor {
    std::string user_id;
    bool can_handle = false;     // hazards.handle (accept, rectify, ask for more time as the assignee)
    bool can_assign = false;     // hazards.assign
    bool can_verify = false;     // hazards.verify
    bool can_configure = false;  // hazards.configure (tenant administrator)
    bool system = false;         // the scheduler (archiving)
};

// The hazard as the rules see it.
struct Facts {
    HazardStatus status = HazardStatus::kReported;
    std::optional<std::string> assignee_id;
    std::optional<std::string> last_submitted_by;  // who submitted the rectification under verification
    bool extension_pending = false;
    std::optional<std::string> extension_approver;  // the assignee's supervisor when the request was made
};

// The status after `action`, or why not: invalid_transition (409) when the state does not allow it,
// forbidden (403) when this person may not. The permission each action's route requires is part of the
// rule (hazards.handle for the assignee's actions, hazards.assign for assigning and deciding extensions,
// hazards.verify for verifying), so what a caller may do can be told from the rules alone.
Result<HazardStatus> Transition(Action action, const Facts& facts, const Actor& actor);

// Whether the actor reaches the hazard at all to act on it: it lies within their data scope, or (to decide
// it) they approve the extension request in question. Outside both a hazard answers 404.
bool Reaches(Action action, bool in_scope, bool approves_request);

// ---- what a caller may do (the detail's "actions") ----

// The actions a person may ask for on a hazard, by the names the API shows them under. Verification is one
// name for both outcomes (pass and fail follow the same rule). Archiving is the scheduler's, not a caller's.
struct CallerAction {
    Action action;
    std::string_view name;
};
inline constexpr CallerAction kCallerActions[] = {
    {Action::kAssign, "assign"},
    {Action::kReassign, "reassign"},
    {Action::kAccept, "accept"},
    {Action::kRectify, "rectify"},
    {Action::kVerifyPass, "verify"},
    {Action::kRequestExtension, "request_extension"},
    {Action::kDecideExtension, "decide_extension"},
};

// The names (in kCallerActions order) of the actions `actor` may take on the hazard now: exactly those
// that the actor reaches (`in_scope`: the hazard is within their data scope; the pending request's
// approver reaches it to decide) and whose Transition succeeds. Input an action needs (an assignee, the
// evidence, a reason, a later deadline) is not judged here.
std::vector<std::string> ActionsFor(const Facts& facts, const Actor& actor, bool in_scope);

// ---- evidence ----

// Pseudo-kinds satisfied by fields of the rectification rather than by files.
inline constexpr std::string_view kGpsEvidence = "gps_position";
inline constexpr std::string_view kSignatureEvidence = "leader_signature";

enum class EvidenceMedia { kVideo, kImage, kAny };
// "…video…" takes a video, "…photo…" / "…screenshot…" an image, anything else any stored file.
EvidenceMedia MediaFor(std::string_view kind);
// [a-z0-9_], 1–40 characters.
bool IsValidEvidenceKind(std::string_view kind);

struct EvidenceItem {
    std::string kind;
    std::string file_id;
};

// What the files module knows about an item's file.
struct EvidenceFile {
    bool exists = false;
    std::string content_type;
    std::optional<double> duration_s;  // audio/video only
};

struct EvidenceProblem {
    std::string kind;
    std::string file_id;
    std::string code;  // file_not_found, not_a_video, video_too_short, video_duration_unknown, not_an_image
    std::string message;
};

struct EvidenceVerdict {
    std::vector<std::string> missing;       // required kinds without one acceptable item, in required order
    std::vector<EvidenceProblem> problems;  // every unacceptable item
    bool ok() const { return missing.empty() && problems.empty(); }
};

// `files[i]` describes `items[i]`. A required kind is satisfied by at least one acceptable item of that
// kind; gps_position by a position, leader_signature by a signature image.
EvidenceVerdict CheckEvidence(const std::vector<std::string>& required, const std::vector<EvidenceItem>& items,
                              const std::vector<EvidenceFile>& files, bool has_position, bool has_signature,
                              double min_video_s);
// The 422 answer for a verdict that is not ok: evidence_missing (with "missing" and "problems") when a
// required kind is missing, else evidence_invalid (with "problems").
AppError EvidenceError(const EvidenceVerdict& verdict);

// ---- assignment on report ----

// The rule that chose a new report's assignee (the "assigned" event's data.rule).
inline constexpr std::string_view kRuleChosen = "chosen";           // the reporter named them
inline constexpr std::string_view kRuleOnTheSpot = "on_the_spot";   // 即查即改: the reporter fixes it
inline constexpr std::string_view kRuleAssetOwner = "asset_owner";  // owner of the asset_id
inline constexpr std::string_view kRuleAreaOwner = "area_owner";    // owner of the area
inline constexpr std::string_view kRuleTeamLeader = "team_leader";  // the reporter's team leader

// Who the "assigned" event of a report names as its actor: the reporter when they chose the assignee,
// else nobody (the system assigned by its rule).
std::optional<std::string> AssignedBy(std::string_view rule, const std::string& reporter_id);

// ---- voice note ----

// A recorded voice note attached to a report (the fallback of dictation): an audio file no longer than
// this, as the files module measured it with libavformat.
inline constexpr double kMaxVoiceNoteS = 120;

// What the files module knows about the voice note's file.
struct VoiceNoteFile {
    bool exists = false;
    std::string content_type;
    std::optional<double> duration_s;
};

// nullopt when the file is an acceptable voice note; else the 422 answer: voice_note_not_found,
// voice_note_not_audio, voice_note_duration_unknown or voice_note_too_long (each on field voice_note_file_id).
std::optional<AppError> CheckVoiceNote(const VoiceNoteFile& file, double max_s = kMaxVoiceNoteS);

// ---- codes and signing ----

// "YH-2026-000123"; sequences beyond 999999 keep all their digits.
std::string FormatCode(int year, int64_t seq);
// The calendar year of `at` in the zone `utc_offset_min` east of UTC.
int CodeYear(int64_t at, int64_t utc_offset_min);

// What `?code=` matches: a whole code, or the start of one ("YH-2026-0001" → YH-2026-000100…000199, and
// YH-2026-000001 as the number written short), or just its number in any year ("000123", "123"), whatever
// the case. Ranges over (code_year, code_seq), so the search
// uses an index and no LIKE pattern (nothing the user types is a wildcard).
struct SeqRange {
    int64_t first = 0;
    int64_t last = 0;
    bool operator==(const SeqRange&) const = default;
};
struct CodeSearch {
    std::optional<std::pair<int64_t, int64_t>> years;  // inclusive; absent: any year
    std::vector<SeqRange> seqs;                        // any of these (inclusive); empty: any number
};
// nullopt when the text cannot be (the start of) a code: nothing matches it.
std::optional<CodeSearch> ParseCodeSearch(std::string_view text);

// What the team leader signs: the hazard's identity and content plus the rectification, as canonical
// JSON (fixed member order). Its SHA-256 is stored with the signature.
struct SigningContent {
    std::string hazard_id;
    std::string code;
    std::string title;
    std::string description;
    std::string grade;
    std::string category;
    std::string location;
    int64_t reported_at = 0;
    int64_t due_at = 0;
    std::string assignee_id;
    int64_t round = 0;
    std::vector<EvidenceItem> evidence;
    std::string note;
    std::optional<double> lat;
    std::optional<double> lng;
    std::string signer_id;
    int64_t signed_at = 0;
};
std::string CanonicalSigningText(const SigningContent& content);

}  // namespace safeloop::hazards
