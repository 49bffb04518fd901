#include "modules/hazards/hazard_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>

namespace safeloop::hazards {

namespace {

constexpr int64_t kMaxMinutes = 366LL * 24 * 60;
constexpr size_t kMaxEvidenceKinds = 30;
constexpr size_t kMaxEvidenceKindChars = 40;
constexpr size_t kMaxCategoryChars = 50;
constexpr int64_t kMaxArchiveDays = 3650;
constexpr double kMaxMinVideoSeconds = 600;
constexpr int64_t kMaxRepeatWindowDays = 3650;
constexpr int64_t kMinUtcOffsetMin = -12LL * 60;
constexpr int64_t kMaxUtcOffsetMin = 14LL * 60;
constexpr int kCodeDigits = 6;

AppError InvalidTransition(Action action, HazardStatus status) {
    return AppError::Conflict(
        "invalid_transition",
        fmt::format("隐患当前状态为「{}」，不能执行「{}」 / A hazard in status {} does not allow {}",
                    StatusLabel(status), ActionName(action), StatusName(status), ActionName(action)));
}

AppError NotAllowed(std::string message) { return AppError::Forbidden(std::move(message)); }

bool IsAssignee(const Facts& facts, const Actor& actor) {
    return facts.assignee_id && !actor.user_id.empty() && *facts.assignee_id == actor.user_id;
}

bool Contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

// ---- grades and statuses ----

std::string_view GradeName(Grade grade) {
    switch (grade) {
        case Grade::kRed: return "red";
        case Grade::kYellow: return "yellow";
        case Grade::kBlue: return "blue";
    }
    return "blue";
}

std::string_view GradeLabel(Grade grade) {
    switch (grade) {
        case Grade::kRed: return "红色（重大）";
        case Grade::kYellow: return "黄色（较大）";
        case Grade::kBlue: return "蓝色（一般）";
    }
    return "蓝色（一般）";
}

std::optional<Grade> ParseGrade(std::string_view text) {
    for (Grade g : kAllGrades) {
        if (GradeName(g) == text) return g;
    }
    return std::nullopt;
}

std::string_view StatusName(HazardStatus status) {
    switch (status) {
        case HazardStatus::kReported: return "reported";
        case HazardStatus::kAssigned: return "assigned";
        case HazardStatus::kAccepted: return "accepted";
        case HazardStatus::kSubmitted: return "submitted";
        case HazardStatus::kRework: return "rework";
        case HazardStatus::kClosed: return "closed";
        case HazardStatus::kArchived: return "archived";
    }
    return "reported";
}

std::string_view StatusLabel(HazardStatus status) {
    switch (status) {
        case HazardStatus::kReported: return "待指派";
        case HazardStatus::kAssigned: return "待接单";
        case HazardStatus::kAccepted: return "整改中";
        case HazardStatus::kSubmitted: return "待验收";
        case HazardStatus::kRework: return "返工";
        case HazardStatus::kClosed: return "已关闭";
        case HazardStatus::kArchived: return "已归档";
    }
    return "待指派";
}

std::optional<HazardStatus> ParseStatus(std::string_view text) {
    for (HazardStatus s : kAllStatuses) {
        if (StatusName(s) == text) return s;
    }
    return std::nullopt;
}

bool AwaitsRectification(HazardStatus status) {
    return status == HazardStatus::kReported || status == HazardStatus::kAssigned ||
           status == HazardStatus::kAccepted || status == HazardStatus::kRework;
}

bool IsActive(HazardStatus status) { return status != HazardStatus::kClosed && status != HazardStatus::kArchived; }

// ---- provincial codes ----

int ProvincialLevel(Grade grade) { return grade == Grade::kRed ? 1 : 0; }

int ProvincialState(HazardStatus status) {
    switch (status) {
        case HazardStatus::kSubmitted: return 1;
        case HazardStatus::kClosed:
        case HazardStatus::kArchived: return 9;
        default: return 0;
    }
}

const std::vector<CodeEntry>& SourceCodes() {
    static const std::vector<CodeEntry> kCodes = {
        {1, "日常排查"},     {2, "综合性排查"},     {3, "专业性排查"},   {4, "季节性排查"},   {5, "节假日前排查"},
        {6, "事故类比排查"}, {7, "复产复工前排查"}, {8, "外聘专家诊断"}, {9, "管控措施失效"}, {10, "其他"},
    };
    return kCodes;
}

const std::vector<CodeEntry>& ManageTypeCodes() {
    static const std::vector<CodeEntry> kCodes = {{0, "即查即改"}, {1, "限期整改"}};
    return kCodes;
}

const std::vector<CodeEntry>& HazardTypeCodes() {
    static const std::vector<CodeEntry> kCodes = {{1, "安全"}, {2, "工艺"}, {3, "电气"}, {4, "仪表"},
                                                  {5, "消防"}, {6, "总图"}, {7, "设备"}, {8, "其他"}};
    return kCodes;
}

const std::vector<CodeEntry>& ManagementClassCodes() {
    static const std::vector<CodeEntry> kCodes = {{1, "人"}, {2, "物"}, {3, "管理"}};
    return kCodes;
}

const std::vector<CodeEntry>& OccurrenceLinkCodes() {
    // DOMAIN.md names 1 设计, 9 变更 and 10 运输; the labels of 2–8 follow common provincial usage
    // (unconfirmed): only the codes are exported.
    static const std::vector<CodeEntry> kCodes = {{1, "设计"},   {2, "施工"}, {3, "安装"}, {4, "调试"}, {5, "生产运行"},
                                                  {6, "检维修"}, {7, "储存"}, {8, "使用"}, {9, "变更"}, {10, "运输"}};
    return kCodes;
}

bool IsKnownCode(const std::vector<CodeEntry>& codes, int64_t code) {
    return std::any_of(codes.begin(), codes.end(), [&](const CodeEntry& e) { return e.code == code; });
}

// ---- configuration ----

HazardConfig DefaultConfig() {
    HazardConfig c;
    // Brief 痛点2 and DOMAIN.md: red ≤ 2 h, yellow ≤ 24 h, blue ≤ 72 h; not accepted in 15 min → the
    // supervisor; not handled in 2 h → deputy GM + cross-department work order; closure targets red
    // 100 %, yellow ≥ 95 %, blue ≥ 90 %. Major (red) hazards are not fixed "on the spot".
    c.grades = {
        {Grade::kRed, 2LL * 60, 15, 2LL * 60, 100.0, false},
        {Grade::kYellow, 24LL * 60, 15, 2LL * 60, 95.0, true},
        {Grade::kBlue, 72LL * 60, 15, 2LL * 60, 90.0, true},
    };
    // DESIGN.md §3.1: the "three proofs" (parameter screenshots before/after, the replaced part's label,
    // an operator confirmation video ≥ 15 s) plus before/after photos, GPS and the team leader's
    // signature for major hazards; lighter defaults for the others.
    c.evidence = {
        {Grade::kRed,
         "*",
         {"before_photo", "after_photo", "param_before_screenshot", "param_after_screenshot", "part_label_photo",
          "operator_video", std::string(kGpsEvidence), std::string(kSignatureEvidence)}},
        {Grade::kYellow,
         "*",
         {"before_photo", "after_photo", std::string(kGpsEvidence), std::string(kSignatureEvidence)}},
        {Grade::kBlue, "*", {"after_photo"}},
    };
    c.archive_after_days = 30;
    c.min_video_s = 15;
    c.repeat_window_days = 90;
    c.code_utc_offset_min = 8LL * 60;  // China Standard Time
    return c;
}

const GradeRule& RuleFor(const HazardConfig& config, Grade grade) {
    for (const auto& rule : config.grades) {
        if (rule.grade == grade) return rule;
    }
    // ValidateConfig guarantees one rule per grade; a config that skipped it is a programming error.
    static const GradeRule kFallback = DefaultConfig().grades.back();
    return kFallback;
}

std::vector<std::string> RequiredEvidence(const HazardConfig& config, Grade grade, std::string_view category) {
    const EvidenceRule* any = nullptr;
    for (const auto& rule : config.evidence) {
        if (rule.grade != grade) continue;
        if (rule.category == category && category != "*") return rule.kinds;
        if (rule.category == "*") any = &rule;
    }
    return any ? any->kinds : std::vector<std::string>{};
}

safeloop::Status ValidateConfig(const HazardConfig& config) {
    AppError error{"validation_failed", "隐患设置有误，请检查标出的字段 / Some settings are not valid", {}, {}};
    std::set<Grade> seen;
    for (size_t i = 0; i < config.grades.size(); ++i) {
        const auto& g = config.grades[i];
        std::string at = fmt::format("grades[{}]", i);
        if (!seen.insert(g.grade).second) error.fields[at + ".grade"] = "等级重复 / grade given twice";
        auto minutes = [&](std::string_view name, int64_t v) {
            if (v < 1 || v > kMaxMinutes) {
                error.fields[at + "." + std::string(name)] =
                    fmt::format("应为 1–{} 分钟 / must be 1–{} minutes", kMaxMinutes, kMaxMinutes);
            }
        };
        minutes("deadline_min", g.deadline_min);
        minutes("accept_escalation_min", g.accept_escalation_min);
        minutes("submit_escalation_min", g.submit_escalation_min);
        if (!(g.closure_target_pct >= 0 && g.closure_target_pct <= 100)) {
            error.fields[at + ".closure_target_pct"] = "应为 0–100 / must be 0–100";
        }
    }
    for (Grade g : kAllGrades) {
        if (!seen.contains(g))
            error.fields["grades"] = fmt::format("缺少等级 {} / grade {} is missing", GradeName(g), GradeName(g));
    }
    std::set<std::pair<Grade, std::string>> rules;
    for (size_t i = 0; i < config.evidence.size(); ++i) {
        const auto& r = config.evidence[i];
        std::string at = fmt::format("evidence[{}]", i);
        if (r.category.empty() || r.category.size() > kMaxCategoryChars * 4) {
            error.fields[at + ".category"] =
                "类别应为 1–50 个字符，或 * 表示全部 / category must be 1–50 characters or *";
        }
        if (!rules.insert({r.grade, r.category}).second) {
            error.fields[at + ".category"] = "同一等级和类别只能有一条规则 / one rule per grade and category";
        }
        if (r.kinds.size() > kMaxEvidenceKinds) error.fields[at + ".kinds"] = "证据种类过多 / too many kinds";
        std::set<std::string> kinds;
        for (const auto& k : r.kinds) {
            if (!IsValidEvidenceKind(k)) {
                error.fields[at + ".kinds"] =
                    "种类名只能用小写字母、数字和下划线（1–40 个） / kinds are 1–40 of [a-z0-9_]";
            } else if (!kinds.insert(k).second) {
                error.fields[at + ".kinds"] = "种类重复 / a kind is listed twice";
            }
        }
    }
    if (config.archive_after_days < 1 || config.archive_after_days > kMaxArchiveDays) {
        error.fields["archive_after_days"] = "应为 1–3650 天 / must be 1–3650 days";
    }
    if (!(config.min_video_s >= 0 && config.min_video_s <= kMaxMinVideoSeconds)) {
        error.fields["min_video_s"] = "应为 0–600 秒 / must be 0–600 seconds";
    }
    if (config.repeat_window_days < 1 || config.repeat_window_days > kMaxRepeatWindowDays) {
        error.fields["repeat_window_days"] = "应为 1–3650 天 / must be 1–3650 days";
    }
    if (config.code_utc_offset_min < kMinUtcOffsetMin || config.code_utc_offset_min > kMaxUtcOffsetMin) {
        error.fields["code_utc_offset_min"] = "应为 -720–840 分钟 / must be -720–840 minutes";
    }
    if (!error.fields.empty()) return error;
    return Ok{};
}

// ---- deadlines ----

int64_t DueAt(const HazardConfig& config, Grade grade, int64_t reported_at) {
    return reported_at + RuleFor(config, grade).deadline_min * kMinuteMs;
}

bool IsOverdue(HazardStatus status, int64_t due_at, int64_t now) { return AwaitsRectification(status) && due_at < now; }

// ---- escalation ----

std::string_view EscalationName(Escalation kind) {
    return kind == Escalation::kUnaccepted ? "unaccepted" : "unsubmitted";
}

std::optional<Escalation> ParseEscalation(std::string_view text) {
    if (text == "unaccepted") return Escalation::kUnaccepted;
    if (text == "unsubmitted") return Escalation::kUnsubmitted;
    return std::nullopt;
}

std::vector<EscalationStep> EscalationSchedule(const HazardConfig& config, Grade grade, std::string_view hazard_id,
                                               int64_t assignment_no, int64_t assigned_at) {
    const auto& rule = RuleFor(config, grade);
    return {
        {Escalation::kUnaccepted, std::string(kJobUnaccepted),
         fmt::format("{}:{}:unaccepted", hazard_id, assignment_no),
         assigned_at + rule.accept_escalation_min * kMinuteMs},
        {Escalation::kUnsubmitted, std::string(kJobUnsubmitted),
         fmt::format("{}:{}:unsubmitted", hazard_id, assignment_no),
         assigned_at + rule.submit_escalation_min * kMinuteMs},
    };
}

bool EscalationStillDue(Escalation kind, HazardStatus status, int64_t current_assignment_no,
                        int64_t job_assignment_no) {
    if (current_assignment_no != job_assignment_no) return false;  // reassigned: the new clocks decide
    if (kind == Escalation::kUnaccepted) return status == HazardStatus::kAssigned;
    // Not handled: nothing submitted, or a submission that failed verification (rework).
    return status == HazardStatus::kAssigned || status == HazardStatus::kAccepted || status == HazardStatus::kRework;
}

std::string EscalationMessageKey(std::string_view hazard_id, int64_t assignment_no, Escalation kind,
                                 std::string_view channel, std::string_view user_id) {
    return fmt::format("hazard:{}:a{}:{}:{}:{}", hazard_id, assignment_no, EscalationName(kind), channel, user_id);
}

std::string EscalationEventKey(std::string_view hazard_id, int64_t assignment_no, Escalation kind) {
    return fmt::format("escalated:{}:a{}:{}", hazard_id, assignment_no, EscalationName(kind));
}

// ---- state machine ----

std::string_view ActionName(Action action) {
    switch (action) {
        case Action::kAssign: return "assign";
        case Action::kReassign: return "reassign";
        case Action::kAccept: return "accept";
        case Action::kRectify: return "rectify";
        case Action::kVerifyPass: return "verify(pass)";
        case Action::kVerifyFail: return "verify(fail)";
        case Action::kRequestExtension: return "request_extension";
        case Action::kDecideExtension: return "decide_extension";
        case Action::kArchive: return "archive";
    }
    return "?";
}

Result<HazardStatus> Transition(Action action, const Facts& facts, const Actor& actor) {
    const HazardStatus s = facts.status;
    switch (action) {
        case Action::kAssign:
            if (s != HazardStatus::kReported) return InvalidTransition(action, s);
            if (!actor.can_assign) return NotAllowed("您不能指派隐患 / You may not assign hazards");
            return HazardStatus::kAssigned;
        case Action::kReassign:
            if (s != HazardStatus::kAssigned && s != HazardStatus::kAccepted && s != HazardStatus::kRework) {
                return InvalidTransition(action, s);
            }
            if (!actor.can_assign) return NotAllowed("您不能改派隐患 / You may not reassign hazards");
            return HazardStatus::kAssigned;
        case Action::kAccept:
            if (s != HazardStatus::kAssigned) return InvalidTransition(action, s);
            if (!actor.can_handle || !IsAssignee(facts, actor)) {
                return NotAllowed("只有被指派人可以接单 / Only the assignee can accept");
            }
            return HazardStatus::kAccepted;
        case Action::kRectify:
            if (s != HazardStatus::kAccepted && s != HazardStatus::kRework) return InvalidTransition(action, s);
            if (!actor.can_handle || !IsAssignee(facts, actor)) {
                return NotAllowed("只有被指派人可以提交整改 / Only the assignee can submit the rectification");
            }
            return HazardStatus::kSubmitted;
        case Action::kVerifyPass:
        case Action::kVerifyFail:
            if (s != HazardStatus::kSubmitted) return InvalidTransition(action, s);
            if (!actor.can_verify) return NotAllowed("只有安全员可以验收 / Only a safety officer can verify");
            if (facts.last_submitted_by && *facts.last_submitted_by == actor.user_id) {
                return NotAllowed("不能验收自己提交的整改 / You cannot verify your own rectification");
            }
            return action == Action::kVerifyPass ? HazardStatus::kClosed : HazardStatus::kRework;
        case Action::kRequestExtension:
            if (s != HazardStatus::kAssigned && s != HazardStatus::kAccepted && s != HazardStatus::kRework) {
                return InvalidTransition(action, s);
            }
            if (!actor.can_handle || !IsAssignee(facts, actor)) {
                return NotAllowed("只有被指派人可以申请延期 / Only the assignee can request an extension");
            }
            if (facts.extension_pending) {
                return AppError::Conflict("invalid_transition",
                                          "已有延期申请待审批 / An extension request is already pending");
            }
            return s;
        case Action::kDecideExtension: {
            if (!facts.extension_pending) {
                return AppError::Conflict("invalid_transition",
                                          "没有待审批的延期申请 / No extension request is pending");
            }
            if (!IsActive(s)) return InvalidTransition(action, s);
            bool approver = facts.extension_approver && *facts.extension_approver == actor.user_id;
            if (!actor.can_assign || (!approver && !actor.can_configure)) {
                return NotAllowed(
                    "只有被指派人的直属上级可以审批延期 / Only the assignee's supervisor decides extensions");
            }
            return s;
        }
        case Action::kArchive:
            if (s != HazardStatus::kClosed) return InvalidTransition(action, s);
            if (!actor.system && !actor.can_configure)
                return NotAllowed("您不能归档隐患 / You may not archive hazards");
            return HazardStatus::kArchived;
    }
    return InvalidTransition(action, s);
}

bool Reaches(Action action, bool in_scope, bool approves_request) {
    return in_scope || (action == Action::kDecideExtension && approves_request);
}

std::vector<std::string> ActionsFor(const Facts& facts, const Actor& actor, bool in_scope) {
    const bool approves = facts.extension_pending && facts.extension_approver && !actor.user_id.empty() &&
                          *facts.extension_approver == actor.user_id;
    std::vector<std::string> out;
    for (const auto& [action, name] : kCallerActions) {
        if (Reaches(action, in_scope, approves) && Transition(action, facts, actor).ok()) out.emplace_back(name);
    }
    return out;
}

// ---- evidence ----

EvidenceMedia MediaFor(std::string_view kind) {
    if (Contains(kind, "video")) return EvidenceMedia::kVideo;
    if (Contains(kind, "photo") || Contains(kind, "screenshot")) return EvidenceMedia::kImage;
    return EvidenceMedia::kAny;
}

bool IsValidEvidenceKind(std::string_view kind) {
    if (kind.empty() || kind.size() > kMaxEvidenceKindChars) return false;
    return std::all_of(kind.begin(), kind.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

EvidenceVerdict CheckEvidence(const std::vector<std::string>& required, const std::vector<EvidenceItem>& items,
                              const std::vector<EvidenceFile>& files, bool has_position, bool has_signature,
                              double min_video_s) {
    EvidenceVerdict verdict;
    std::set<std::string, std::less<>> satisfied;
    if (has_position) satisfied.emplace(kGpsEvidence);
    if (has_signature) satisfied.emplace(kSignatureEvidence);
    for (size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        const EvidenceFile file = i < files.size() ? files[i] : EvidenceFile{};
        auto problem = [&](std::string code, std::string message) {
            verdict.problems.push_back({item.kind, item.file_id, std::move(code), std::move(message)});
        };
        if (!file.exists) {
            problem("file_not_found", "文件不存在，请先上传 / The file was not uploaded");
            continue;
        }
        const bool is_video = file.content_type.rfind("video/", 0) == 0;
        const bool is_image = file.content_type.rfind("image/", 0) == 0;
        switch (MediaFor(item.kind)) {
            case EvidenceMedia::kVideo:
                if (!is_video) {
                    problem("not_a_video", "此项需要视频文件 / This kind takes a video");
                    continue;
                }
                if (!file.duration_s) {
                    problem("video_duration_unknown", "无法确定视频时长 / The video's duration is unknown");
                    continue;
                }
                if (*file.duration_s < min_video_s) {
                    problem("video_too_short",
                            fmt::format("视频时长 {:.1f} 秒，至少需要 {:g} 秒 / The video lasts "
                                        "{:.1f} s; at least {:g} s are required",
                                        *file.duration_s, min_video_s, *file.duration_s, min_video_s));
                    continue;
                }
                break;
            case EvidenceMedia::kImage:
                if (!is_image) {
                    problem("not_an_image", "此项需要图片 / This kind takes an image");
                    continue;
                }
                break;
            case EvidenceMedia::kAny: break;
        }
        satisfied.insert(item.kind);
    }
    for (const auto& kind : required) {
        if (!satisfied.contains(kind)) verdict.missing.push_back(kind);
    }
    return verdict;
}

AppError EvidenceError(const EvidenceVerdict& verdict) {
    boost::json::array missing;
    for (const auto& k : verdict.missing) missing.emplace_back(k);
    boost::json::array problems;
    for (const auto& p : verdict.problems) {
        problems.emplace_back(
            boost::json::object{{"kind", p.kind}, {"file_id", p.file_id}, {"code", p.code}, {"message", p.message}});
    }
    AppError error;
    if (!verdict.missing.empty()) {
        std::string list;
        for (const auto& k : verdict.missing) list += (list.empty() ? "" : ", ") + k;
        error = AppError::Invalid("evidence_missing",
                                  "整改证据不全，缺少：" + list + " / Required evidence is missing: " + list);
    } else {
        error = AppError::Invalid("evidence_invalid", "整改证据不符合要求 / Some evidence is not acceptable");
    }
    error.extra["missing"] = std::move(missing);
    error.extra["problems"] = std::move(problems);
    return error;
}

// ---- codes and signing ----

// ---- assignment on report ----

std::optional<std::string> AssignedBy(std::string_view rule, const std::string& reporter_id) {
    if (rule == kRuleChosen) return reporter_id;
    return std::nullopt;
}

// ---- voice note ----

std::optional<AppError> CheckVoiceNote(const VoiceNoteFile& file, double max_s) {
    auto refuse = [](std::string code, std::string message) {
        AppError e = AppError::Invalid(std::move(code), message);
        e.fields["voice_note_file_id"] = std::move(message);
        return std::optional<AppError>(std::move(e));
    };
    if (!file.exists) {
        return refuse("voice_note_not_found", "语音留言的文件尚未上传 / The voice note's file is not uploaded");
    }
    if (file.content_type.rfind("audio/", 0) != 0) {
        return refuse("voice_note_not_audio",
                      fmt::format("语音留言须为音频文件，此文件是 {} / A voice note must be an audio file, not {}",
                                  file.content_type, file.content_type));
    }
    if (!file.duration_s) {
        return refuse("voice_note_duration_unknown",
                      "无法读出录音时长，请重新录制 / The recording's length cannot be read; record it again");
    }
    if (*file.duration_s > max_s) {
        return refuse("voice_note_too_long",
                      fmt::format("语音留言最长 {:g} 秒，此录音 {:.1f} 秒 / A voice note may last at most {:g} s; "
                                  "this one lasts {:.1f} s",
                                  max_s, *file.duration_s, max_s, *file.duration_s));
    }
    return std::nullopt;
}

// ---- code search ----

namespace {

constexpr size_t kYearDigits = 4;
constexpr size_t kMaxSearchDigits = 12;  // no overflow, far beyond any real code

bool AllDigits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t Pow10(size_t n) {
    int64_t v = 1;
    for (size_t i = 0; i < n; ++i) v *= 10;
    return v;
}

int64_t ToNumber(std::string_view digits) {
    int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    return v;
}

// The numbers whose zero-padded `width`-digit form starts with `digits`.
SeqRange PrefixRange(std::string_view digits, size_t width) {
    const int64_t scale = Pow10(width - digits.size());
    const int64_t p = ToNumber(digits);
    return SeqRange{p * scale, (p + 1) * scale - 1};
}

// The number part as typed: the start of the six digits ("0001" → 000100…000199) or the number itself
// ("0001" is also 000001, "123" is 000123); six digits or more are exactly that number.
std::vector<SeqRange> NumberSearch(std::string_view digits) {
    const int64_t n = ToNumber(digits);
    if (digits.size() >= static_cast<size_t>(kCodeDigits)) return {SeqRange{n, n}};
    return {PrefixRange(digits, static_cast<size_t>(kCodeDigits)), SeqRange{n, n}};
}

}  // namespace

std::optional<CodeSearch> ParseCodeSearch(std::string_view text) {
    std::string cleaned;  // upper case, without blanks
    for (char c : text) {
        if (c == ' ' || c == '\t') continue;
        cleaned.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    std::string_view s = cleaned;
    if (s.empty() || s.size() > kMaxSearchDigits + 4) return std::nullopt;
    bool prefixed = false;
    if (s == "Y") return CodeSearch{};
    if (s.substr(0, 2) == "YH") {
        prefixed = true;
        s.remove_prefix(2);
        if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    }
    CodeSearch out;
    if (s.empty()) return out;  // "YH", "YH-": every code
    const size_t dash = s.find('-');
    if (dash != std::string_view::npos) {
        // <year>-<number or its start>
        const auto year = s.substr(0, dash);
        const auto number = s.substr(dash + 1);
        if (year.size() != kYearDigits || !AllDigits(year) || !AllDigits(number)) return std::nullopt;
        const int64_t y = ToNumber(year);
        out.years = std::make_pair(y, y);
        if (!number.empty()) out.seqs = NumberSearch(number);
        return out;
    }
    if (!AllDigits(s)) return std::nullopt;
    if (prefixed) {
        // "YH2026…" typed without dashes: the year (or its start), then the number.
        if (s.size() <= kYearDigits) {
            const auto r = PrefixRange(s, kYearDigits);
            out.years = std::make_pair(r.first, r.last);
            return out;
        }
        const int64_t y = ToNumber(s.substr(0, kYearDigits));
        out.years = std::make_pair(y, y);
        out.seqs = NumberSearch(s.substr(kYearDigits));
        return out;
    }
    // Digits alone: the number in any year.
    out.seqs = NumberSearch(s);
    return out;
}

std::string FormatCode(int year, int64_t seq) { return fmt::format("YH-{}-{:0{}}", year, seq, kCodeDigits); }

int CodeYear(int64_t at, int64_t utc_offset_min) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(at + utc_offset_min * kMinuteMs)));
    return static_cast<int>(year_month_day(day).year());
}

std::string CanonicalSigningText(const SigningContent& c) {
    boost::json::array evidence;
    for (const auto& e : c.evidence)
        evidence.emplace_back(boost::json::object{{"kind", e.kind}, {"file_id", e.file_id}});
    boost::json::object o;
    o["hazard_id"] = c.hazard_id;
    o["code"] = c.code;
    o["title"] = c.title;
    o["description"] = c.description;
    o["grade"] = c.grade;
    o["category"] = c.category;
    o["location"] = c.location;
    o["reported_at"] = c.reported_at;
    o["due_at"] = c.due_at;
    o["assignee_id"] = c.assignee_id;
    o["round"] = c.round;
    o["evidence"] = std::move(evidence);
    o["note"] = c.note;
    o["lat"] = c.lat ? boost::json::value(*c.lat) : boost::json::value(nullptr);
    o["lng"] = c.lng ? boost::json::value(*c.lng) : boost::json::value(nullptr);
    o["signer_id"] = c.signer_id;
    o["signed_at"] = c.signed_at;
    return boost::json::serialize(o);
}

}  // namespace safeloop::hazards
