#include "modules/hazards/hazard_demo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <map>
#include <optional>

#include "core/ids.hpp"
#include "jobs/job_queue.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_types.hpp"

namespace safeloop::hazards {

namespace {

using demo::DemoPerson;

constexpr int64_t kHistoryDays = 365;
constexpr int64_t kDaysPerMonth = 30;
constexpr int kMonths = 12;
constexpr int kMinPerMonth = 34;
constexpr int kExtraPerMonth = 10;
constexpr double kSiteLat = 30.0299;  // 绍兴 (Keqiao), the plant's yard
constexpr double kSiteLng = 120.5810;

struct Template {
    std::string_view title;
    std::string_view description;
    std::string_view category;
    int hazard_type;                // provincial type code
    int management_class;           // 1 人 2 物 3 管理
    std::string_view asset_prefix;  // "" when the hazard is not about one asset
    int red_pct;
    int yellow_pct;
};

struct Area {
    std::vector<std::string_view> departments;
    std::vector<Template> templates;
    std::string_view location;
    int weight;
};

const std::vector<Area>& Areas() {
    static const std::vector<Area> kAreas = {
        {{"焊接一车间", "焊接二车间", "焊接三车间"},
         {
             {"焊机接地线破损", "焊机二次侧接地线绝缘层破损，铜线外露约5厘米，存在触电风险。", "电气", 3, 2, "HJ", 5,
              35},
             {"焊把线绝缘层老化开裂", "焊把线多处龟裂，雨天地面潮湿时有漏电危险。", "电气", 3, 2, "HJ", 3, 30},
             {"氧气乙炔瓶间距不足5米", "切割工位氧气瓶与乙炔瓶间距约2米，且乙炔瓶未直立固定。", "安全", 1, 1, "", 10,
              45},
             {"气瓶未固定防倾倒", "二氧化碳气瓶直接靠墙放置，未用链条固定。", "安全", 1, 2, "", 2, 25},
             {"焊接烟尘净化器滤芯堵塞", "移动式烟尘净化器滤芯积灰严重，吸风口风量明显不足。", "设备", 7, 2, "YC", 2,
              30},
             {"动火点未配灭火器", "焊接工位10米内无灭火器，周边有油污抹布。", "消防", 5, 3, "", 8, 40},
             {"焊接防护屏破损", "工位间弧光防护屏破洞，相邻工位人员受弧光照射。", "安全", 1, 2, "", 1, 20},
             {"焊工未佩戴防护面罩作业", "巡检发现焊工手持面罩未戴好即引弧。", "安全", 1, 1, "", 3, 40},
         },
         "焊接车间",
         45},
        {{"喷涂一线", "喷涂二线"},
         {
             {"喷漆房可燃气体报警仪失灵", "报警仪自检无响应，标定记录已过期2个月。", "仪表", 4, 2, "PQ", 25, 50},
             {"喷漆房排风机皮带松动", "排风机皮带打滑异响，排风量下降，房内漆雾明显。", "设备", 7, 2, "PF", 5, 40},
             {"防爆灯具防护罩缺失", "喷漆房内一盏防爆灯防护罩脱落，灯管裸露。", "电气", 3, 2, "PQ", 15, 45},
             {"静电接地跨接线断开", "调漆间输漆管法兰跨接线断开，未形成静电通路。", "电气", 3, 2, "PQ", 20, 45},
             {"油漆桶未加盖存放", "调漆间6个开盖漆桶，挥发气味浓。", "消防", 5, 3, "", 3, 35},
             {"稀释剂超量存放", "调漆间稀释剂存放量超过一天用量。", "安全", 1, 3, "", 10, 45},
         },
         "喷涂线",
         20},
        {{"重型吊装区"},
         {
             {"行车钢丝绳断丝", "5号行车主钢丝绳一个捻距内断丝6根，超过报废标准。", "设备", 7, 2, "QZ", 40, 45},
             {"行车上升限位器失效", "试验时吊钩上升至极限位置未断电。", "设备", 7, 2, "QZ", 45, 40},
             {"吊钩防脱钩装置损坏", "10吨吊钩防脱舌弹簧断裂，无法复位。", "设备", 7, 2, "QZ", 20, 50},
             {"吊装区警戒线缺失", "大件吊装时未设置警戒区，有人员从吊物下方穿行。", "安全", 1, 3, "", 15, 50},
             {"吊带磨损超标", "两根5吨扁平吊带边缘磨损，标签不清仍在使用。", "设备", 7, 2, "DD", 10, 40},
             {"司索工未佩戴安全帽", "吊装作业时司索工安全帽挂在腰间。", "安全", 1, 1, "", 2, 35},
         },
         "重型吊装区",
         15},
        {{"设备维修部"},
         {
             {"配电箱门未关闭上锁", "车间二号配电箱门敞开，无警示标识。", "电气", 3, 3, "PD", 2, 30},
             {"临时用电线路私拉乱接", "维修区临时电缆拖地穿过通道，无漏电保护。", "电气", 3, 3, "", 8, 45},
             {"砂轮机防护罩缺失", "维修间台式砂轮机防护罩被拆除未复装。", "设备", 7, 2, "SL", 5, 40},
             {"空压机安全阀超期未校验", "储气罐安全阀校验标签已过期。", "设备", 7, 3, "KY", 10, 45},
         },
         "设备维修间",
         10},
        {{"焊接一车间", "喷涂一线", "重型吊装区", "设备维修部", "焊接二车间"},
         {
             {"安全通道堆放物料", "车间东侧安全通道堆放钢板，通道宽度不足0.8米。", "总图", 6, 3, "", 1, 25},
             {"消火栓被遮挡", "消火栓箱前堆放成品构件，无法正常开启。", "消防", 5, 3, "XF", 3, 40},
             {"应急照明灯不亮", "车间出口应急照明灯按测试键不亮。", "消防", 5, 2, "YJ", 1, 30},
             {"安全出口指示灯损坏", "北侧安全出口指示灯不亮。", "消防", 5, 2, "YJ", 1, 25},
         },
         "厂区",
         10},
    };
    return kAreas;
}

// Where people sit in the demo organisation.
struct Directory {
    std::map<std::string, std::vector<const DemoPerson*>> by_department;  // active people with a team
    std::map<std::string, const DemoPerson*> leaders;                     // "dept/team" -> team leader
    std::map<std::string, const DemoPerson*> heads;                       // dept -> head
    std::map<std::string, const DemoPerson*> by_id;
    std::vector<const DemoPerson*> safety;
    const DemoPerson* vp = nullptr;
};

Directory Index(const demo::DemoOrg& org) {
    Directory d;
    for (const auto& p : org.people) {
        if (p.disabled) continue;
        d.by_id[p.id] = &p;
        if (p.position == "班组长") d.leaders[p.department + "/" + p.team] = &p;
        if ((p.position == "车间主任" || p.position == "部门经理") && !d.heads.contains(p.department))
            d.heads[p.department] = &p;
        if (p.position == "安全员") d.safety.push_back(&p);
        if (!p.team.empty()) d.by_department[p.department].push_back(&p);
    }
    d.vp = &org.User("vp");
    return d;
}

// How one hazard's life went; times in minutes after the previous step. Steps after `now` did not
// happen yet, so recent hazards stay open in whatever state `now` finds them.
struct Plan {
    const Template* tmpl = nullptr;
    Grade grade = Grade::kBlue;
    std::string department;
    const DemoPerson* reporter = nullptr;
    const DemoPerson* assignee = nullptr;
    std::optional<std::string> asset_id;
    int64_t reported_at = 0;
    int64_t accept_after_min = 5;
    int64_t submit_after_min = 60;            // after acceptance
    std::optional<int64_t> rework_after_min;  // verification failure after the first submission
    int64_t resubmit_after_min = 120;
    int64_t verify_after_min = 60;
    std::optional<int64_t> extension_after_min;  // asked this long after acceptance
    int64_t extension_hours = 48;
    bool extension_undecided = false;          // still waiting for the supervisor
    int64_t work_order_close_after_min = 240;  // after it opened
};

struct Seeded {
    std::vector<Hazard> hazards;
    std::vector<Event> events;
    std::vector<Rectification> rectifications;
    std::vector<Extension> extensions;
    std::vector<WorkOrder> work_orders;
    std::vector<jobs::Job> jobs;
    struct Claimed {
        std::string key;
        std::string hazard_id;
        int64_t at = 0;
    };
    std::vector<Claimed> escalations;
    std::map<int64_t, int64_t> last_seq;  // year -> highest code number
};

class Seeder {
public:
    Seeder(demo::DemoContext& ctx, const Directory& dir)
        : ctx_(ctx), dir_(dir), config_(DefaultConfig()), now_(ToUnixMillis(ctx.options.now)) {}

    void Realize(const Plan& plan) {
        const auto& rule = RuleFor(config_, plan.grade);
        Hazard h;
        h.id = IdAt(plan.reported_at);
        h.tenant_id = ctx_.org.tenant_id;
        h.title = std::string(plan.tmpl->title);
        h.description = std::string(plan.tmpl->description);
        h.category = std::string(plan.tmpl->category);
        h.grade = plan.grade;
        h.source = ctx_.rng.Chance(70) ? 1 : (ctx_.rng.Chance(50) ? 3 : 4);
        h.manage_type = kManageDeadline;
        h.hazard_type = plan.tmpl->hazard_type;
        h.management_class = plan.tmpl->management_class;
        h.occurrence_link = 5;  // 生产运行
        if (plan.grade == Grade::kRed) h.cost = static_cast<double>(500 + ctx_.rng.Below(20) * 250);
        h.site_id = ctx_.org.site_id;
        h.location = fmt::format("{} {}", plan.department, ctx_.rng.Chance(50) ? "东跨" : "西跨");
        h.position = GeoPoint{kSiteLat + static_cast<double>(ctx_.rng.Below(300)) * 1e-5,
                              kSiteLng + static_cast<double>(ctx_.rng.Below(300)) * 1e-5, 8.0};
        h.asset_id = plan.asset_id;
        h.reporter_id = plan.reporter->id;
        h.reporter_team_id = TeamId(*plan.reporter);
        h.reporter_department_id = DepartmentId(*plan.reporter);
        h.assignee_id = plan.assignee->id;
        h.liable_person_id = plan.assignee->id;
        h.assignment_no = 1;
        h.department_id = DepartmentId(*plan.assignee);
        h.team_id = TeamId(*plan.assignee);
        h.reported_at = plan.reported_at;
        h.due_at = DueAt(config_, plan.grade, plan.reported_at);
        h.original_due_at = h.due_at;
        h.code_year = CodeYear(plan.reported_at, config_.code_utc_offset_min);
        h.code_seq = ++seeded_.last_seq[h.code_year];
        h.code = FormatCode(static_cast<int>(h.code_year), h.code_seq);
        h.status = HazardStatus::kAssigned;
        h.assigned_at = plan.reported_at;
        h.updated_at = plan.reported_at;

        const DemoPerson* supervisor = Find(plan.assignee->supervisor_id);
        const DemoPerson* head = dir_.heads.contains(plan.department) ? dir_.heads.at(plan.department) : supervisor;
        const DemoPerson* verifier = dir_.safety[ctx_.rng.Below(dir_.safety.size())];

        Emit(h, "reported", plan.reported_at, plan.reporter->id, std::nullopt, HazardStatus::kReported,
             {{"grade", GradeName(h.grade)}, {"title", h.title}});
        // Assigned by the system to the reporter's team leader, as a live report would be.
        boost::json::object assigned{
            {"assignee_id", plan.assignee->id}, {"assignment_no", 1}, {"rule", kRuleTeamLeader}};
        if (h.reporter_team_id) assigned["team_id"] = *h.reporter_team_id;
        Emit(h, "assigned", plan.reported_at, AssignedBy(kRuleTeamLeader, plan.reporter->id), HazardStatus::kReported,
             HazardStatus::kAssigned, std::move(assigned));

        const int64_t accepted_at = plan.reported_at + plan.accept_after_min * kMinuteMs;
        const int64_t unaccepted_at = plan.reported_at + rule.accept_escalation_min * kMinuteMs;
        if (accepted_at > unaccepted_at && unaccepted_at <= now_ && supervisor) {
            Escalate(h, Escalation::kUnaccepted, unaccepted_at, {supervisor}, nullptr, plan);
        }
        if (!Step(h, accepted_at)) return Finish(h);
        Emit(h, "accepted", accepted_at, plan.assignee->id, HazardStatus::kAssigned, HazardStatus::kAccepted,
             {{"assignment_no", 1}});
        h.status = HazardStatus::kAccepted;
        h.accepted_at = accepted_at;

        int64_t submitted_at = accepted_at + plan.submit_after_min * kMinuteMs;
        if (plan.extension_after_min) {
            const int64_t asked = accepted_at + *plan.extension_after_min * kMinuteMs;
            if (asked < submitted_at && asked <= now_) Extend(h, plan, asked, supervisor);
        }
        const int64_t unsubmitted_at = plan.reported_at + rule.submit_escalation_min * kMinuteMs;
        if (submitted_at > unsubmitted_at && unsubmitted_at <= now_) {
            Escalate(h, Escalation::kUnsubmitted, unsubmitted_at, {dir_.vp}, head ? head : dir_.vp, plan);
        }
        if (!Step(h, submitted_at)) return Finish(h);
        Submit(h, submitted_at, 1, plan.assignee);
        int64_t round = 1;
        if (plan.rework_after_min) {
            const int64_t failed_at = submitted_at + *plan.rework_after_min * kMinuteMs;
            if (!Step(h, failed_at)) return Finish(h);
            Verify(h, failed_at, round, verifier, false);
            submitted_at = failed_at + plan.resubmit_after_min * kMinuteMs;
            if (!Step(h, submitted_at)) return Finish(h);
            Submit(h, submitted_at, ++round, plan.assignee);
        }
        const int64_t closed_at = submitted_at + plan.verify_after_min * kMinuteMs;
        if (!Step(h, closed_at)) return Finish(h);
        Verify(h, closed_at, round, verifier, true);
        const int64_t archive_at = closed_at + config_.archive_after_days * kDayMs;
        if (archive_at <= now_) {
            Emit(h, "archived", archive_at, std::nullopt, HazardStatus::kClosed, HazardStatus::kArchived,
                 {{"after_days", config_.archive_after_days}});
            h.status = HazardStatus::kArchived;
            h.archived_at = archive_at;
            h.updated_at = archive_at;
        } else {
            jobs::Job job;
            job.tenant_id = h.tenant_id;
            job.kind = std::string(kJobArchive);
            job.ref_id = h.id;
            job.due_at = FromUnixMillis(archive_at);
            job.dedupe_key = fmt::format("archive:{}:{}", h.id, archive_at);
            seeded_.jobs.push_back(std::move(job));
        }
        Finish(h);
    }

    Seeded& seeded() { return seeded_; }

private:
    static std::string IdAt(int64_t ms) {
        ManualClock at(FromUnixMillis(ms));
        return NewUuidV7(at);
    }

    const DemoPerson* Find(const std::string& id) const {
        auto it = dir_.by_id.find(id);
        return it == dir_.by_id.end() ? nullptr : it->second;
    }

    std::optional<std::string> DepartmentId(const DemoPerson& p) const {
        auto it = ctx_.org.departments.find(p.department);
        if (it == ctx_.org.departments.end()) return std::nullopt;
        return it->second;
    }

    std::optional<std::string> TeamId(const DemoPerson& p) const {
        auto it = ctx_.org.teams.find(p.department + "/" + p.team);
        if (p.team.empty() || it == ctx_.org.teams.end()) return std::nullopt;
        return it->second;
    }

    // False when `at` lies in the future: the history stops here.
    bool Step(const Hazard&, int64_t at) const { return at <= now_; }

    void Emit(Hazard& h, std::string type, int64_t at, std::optional<std::string> actor,
              std::optional<HazardStatus> from, std::optional<HazardStatus> to, boost::json::object data) {
        Event e;
        e.tenant_id = h.tenant_id;
        e.hazard_id = h.id;
        e.type = std::move(type);
        e.at = at;
        e.actor_id = std::move(actor);
        if (from) e.from_status = std::string(StatusName(*from));
        if (to) e.to_status = std::string(StatusName(*to));
        e.data = std::move(data);
        pending_.push_back(std::move(e));
        h.updated_at = std::max(h.updated_at, at);
    }

    void Escalate(Hazard& h, Escalation kind, int64_t at, const std::vector<const DemoPerson*>& told,
                  const DemoPerson* owner, const Plan& plan) {
        boost::json::array recipients;
        std::vector<std::string> cc;
        for (const auto* p : told) {
            recipients.emplace_back(boost::json::object{{"user_id", p->id},
                                                        {"name", p->name},
                                                        {"mobile", p->mobile},
                                                        {"channels", boost::json::array{"sms", "app"}}});
            cc.push_back(p->id);
        }
        boost::json::object data{{"kind", EscalationName(kind)},
                                 {"assignment_no", 1},
                                 {"assignee_id", plan.assignee->id},
                                 {"recipients", std::move(recipients)}};
        if (owner) {
            WorkOrder w;
            w.id = IdAt(at);
            w.tenant_id = h.tenant_id;
            w.hazard_id = h.id;
            w.hazard_code = h.code;
            w.title = fmt::format("跨部门协同：{} {}", h.code, h.title);
            w.reason = fmt::format("指派 2 小时后仍未提交整改（责任人 {}，{}）", plan.assignee->name, plan.department);
            w.owner_id = owner->id;
            w.cc_user_ids = cc;
            w.department_id = h.department_id;
            w.opened_at = at;
            w.dedupe_key = EscalationEventKey(h.id, 1, kind);
            const int64_t closed = at + plan.work_order_close_after_min * kMinuteMs;
            if (closed <= now_) {
                w.status = "closed";
                w.closed_at = closed;
                w.closed_by = owner->id;
                w.resolution = "已协调设备维修部、采购部，备件到位后完成整改";
            }
            data["work_order_id"] = w.id;
            data["work_order_owner_id"] = owner->id;
            seeded_.work_orders.push_back(std::move(w));
        }
        Emit(h, "escalated", at, std::nullopt, h.status, h.status, std::move(data));
        seeded_.escalations.push_back({EscalationEventKey(h.id, 1, kind), h.id, at});
        h.escalation_count += 1;
    }

    void Extend(Hazard& h, const Plan& plan, int64_t asked, const DemoPerson* approver) {
        Extension x;
        x.id = IdAt(asked);
        x.tenant_id = h.tenant_id;
        x.hazard_id = h.id;
        x.requested_by = plan.assignee->id;
        x.requested_at = asked;
        x.reason = "更换部件需采购，备件预计两天内到货";
        x.old_due_at = h.due_at;
        x.new_due_at = h.due_at + plan.extension_hours * kHourMs;
        if (approver) x.approver_id = approver->id;
        Emit(h, "extension_requested", asked, plan.assignee->id, h.status, h.status,
             {{"extension_id", x.id},
              {"reason", x.reason},
              {"new_due_at", Rfc3339(x.new_due_at)},
              {"approver_id", approver ? boost::json::value(approver->id) : boost::json::value(nullptr)}});
        const int64_t decided = asked + 90 * kMinuteMs;
        if (approver && decided <= now_ && !plan.extension_undecided) {
            x.status = "approved";
            x.decided_by = approver->id;
            x.decided_at = decided;
            x.comment = "同意，备件到货后立即整改";
            h.due_at = x.new_due_at;
            h.extension_count += 1;
            Emit(h, "extension_approved", decided, approver->id, h.status, h.status,
                 {{"extension_id", x.id},
                  {"comment", *x.comment},
                  {"due_at", Rfc3339(h.due_at)},
                  {"extension_count", h.extension_count}});
        } else {
            h.pending_extension_id = x.id;
        }
        seeded_.extensions.push_back(std::move(x));
    }

    void Submit(Hazard& h, int64_t at, int64_t round, const DemoPerson* by) {
        Rectification r;
        r.id = IdAt(at);
        r.tenant_id = h.tenant_id;
        r.hazard_id = h.id;
        r.round = round;
        r.submitted_by = by->id;
        r.submitted_at = at;
        r.note = round == 1 ? "已按要求整改完毕，请验收。" : "已按验收意见返工，补充整改后照片。";
        r.position = h.position;
        const HazardStatus from = round == 1 ? HazardStatus::kAccepted : HazardStatus::kRework;
        Emit(h, "submitted", at, by->id, from, HazardStatus::kSubmitted,
             {{"round", round},
              {"rectification_id", r.id},
              {"evidence", 0},
              {"signed", false},
              {"on_time", at <= h.due_at}});
        h.status = HazardStatus::kSubmitted;
        h.submitted_at = at;
        h.last_submitted_by = by->id;
        rects_.push_back(std::move(r));
    }

    void Verify(Hazard& h, int64_t at, int64_t round, const DemoPerson* by, bool pass) {
        auto& r = rects_.back();
        r.result = pass ? "pass" : "fail";
        r.verified_by = by->id;
        r.verified_at = at;
        r.verify_comment = pass ? "现场复查合格" : "整改后照片不清晰，且未见更换部件标签，请返工";
        if (!pass) h.rework_rounds += 1;
        Emit(h, pass ? "closed" : "rework", at, by->id, HazardStatus::kSubmitted,
             pass ? HazardStatus::kClosed : HazardStatus::kRework,
             {{"round", round},
              {"rectification_id", r.id},
              {"comment", *r.verify_comment},
              {"rework_rounds", h.rework_rounds}});
        h.status = pass ? HazardStatus::kClosed : HazardStatus::kRework;
        if (pass) {
            h.closed_at = at;
            h.acceptance_by = by->id;
            h.acceptance_at = at;
            h.acceptance_comment = *r.verify_comment;
        }
    }

    void Finish(Hazard& h) {
        for (auto& e : pending_) seeded_.events.push_back(std::move(e));
        for (auto& r : rects_) seeded_.rectifications.push_back(std::move(r));
        pending_.clear();
        rects_.clear();
        seeded_.hazards.push_back(std::move(h));
    }

    demo::DemoContext& ctx_;
    const Directory& dir_;
    HazardConfig config_;
    int64_t now_;
    Seeded seeded_;
    std::vector<Event> pending_;
    std::vector<Rectification> rects_;
};

Grade PickGrade(demo::DemoRng& rng, const Template& t) {
    const auto r = static_cast<int>(rng.Below(100));
    if (r < t.red_pct) return Grade::kRed;
    if (r < t.red_pct + t.yellow_pct) return Grade::kYellow;
    return Grade::kBlue;
}

const Area& PickArea(demo::DemoRng& rng) {
    int total = 0;
    for (const auto& a : Areas()) total += a.weight;
    int r = static_cast<int>(rng.Below(static_cast<size_t>(total)));
    for (const auto& a : Areas()) {
        if (r < a.weight) return a;
        r -= a.weight;
    }
    return Areas().front();
}

// A plan for an ordinary hazard of the year: handling gets faster as the year goes on (progress 0 → 1).
Plan Ordinary(demo::DemoRng& rng, const Directory& dir, int64_t reported_at, double progress) {
    Plan p;
    const Area& area = PickArea(rng);
    p.department = std::string(area.departments[rng.Below(area.departments.size())]);
    const auto& people = dir.by_department.at(p.department);
    std::vector<const DemoPerson*> eligible;
    for (const auto* person : people) {
        if (person->hired_at <= reported_at) eligible.push_back(person);
    }
    p.reporter = eligible.empty() ? people.front() : eligible[rng.Below(eligible.size())];
    auto leader = dir.leaders.find(p.reporter->department + "/" + p.reporter->team);
    p.assignee = leader != dir.leaders.end() ? leader->second : p.reporter;
    p.tmpl = &area.templates[rng.Below(area.templates.size())];
    p.grade = PickGrade(rng, *p.tmpl);
    if (!p.tmpl->asset_prefix.empty()) {
        p.asset_id = fmt::format("{}-{:02}", p.tmpl->asset_prefix, 1 + rng.Below(24));
    }
    p.reported_at = reported_at;
    const double slow = 1.6 - progress;  // early months are slower
    const bool late_accept = rng.Chance(static_cast<int>(30 - 24 * progress));
    p.accept_after_min =
        late_accept ? 16 + static_cast<int64_t>(rng.Below(60)) : 2 + static_cast<int64_t>(rng.Below(12));
    auto scaled = [&](int64_t lo, int64_t span) {
        return static_cast<int64_t>(
            static_cast<double>(lo + static_cast<int64_t>(rng.Below(static_cast<size_t>(span)))) * slow);
    };
    switch (p.grade) {
        case Grade::kRed: p.submit_after_min = scaled(30, 90); break;
        case Grade::kYellow:
            p.submit_after_min = rng.Chance(60 + static_cast<int>(25 * progress)) ? scaled(30, 70) : scaled(180, 1500);
            break;
        case Grade::kBlue:
            p.submit_after_min = rng.Chance(50 + static_cast<int>(30 * progress)) ? scaled(40, 60) : scaled(240, 4200);
            break;
    }
    if (rng.Chance(9)) {
        p.rework_after_min = 30 + static_cast<int64_t>(rng.Below(300));
        p.resubmit_after_min = 60 + static_cast<int64_t>(rng.Below(600));
    }
    p.verify_after_min = 20 + static_cast<int64_t>(rng.Below(static_cast<size_t>(600 - 400 * progress)));
    if (p.grade != Grade::kRed && rng.Chance(6)) {
        p.extension_after_min = 60;
        p.submit_after_min += 24LL * 60;
    }
    p.work_order_close_after_min = 60 + static_cast<int64_t>(rng.Below(static_cast<size_t>(1200 - 900 * progress)));
    return p;
}

const Template& TemplateTitled(std::string_view title) {
    for (const auto& a : Areas()) {
        for (const auto& t : a.templates) {
            if (t.title == title) return t;
        }
    }
    return Areas().front().templates.front();
}

}  // namespace

void SeedHazards(demo::DemoContext& ctx) {
    const Directory dir = Index(ctx.org);
    Seeder seeder(ctx, dir);
    const int64_t now = ToUnixMillis(ctx.options.now);
    const int64_t start = now - kHistoryDays * kDayMs;

    std::vector<Plan> plans;
    for (int m = 0; m < kMonths; ++m) {
        const double progress = static_cast<double>(m) / (kMonths - 1);
        const int count = kMinPerMonth + static_cast<int>(ctx.rng.Below(kExtraPerMonth));
        for (int i = 0; i < count; ++i) {
            int64_t at = start + (m * kDaysPerMonth + static_cast<int64_t>(ctx.rng.Below(kDaysPerMonth))) * kDayMs +
                         static_cast<int64_t>(ctx.rng.Below(10UL * 60)) * kMinuteMs + 7 * kHourMs;
            at = std::min(at, now - 6 * kHourMs);
            plans.push_back(Ordinary(ctx.rng, dir, at, progress));
        }
    }

    // Open hazards the demo starts with: leader1 has three on his desk, two other areas are overdue.
    const auto& leader1 = ctx.org.User("leader1");
    const auto& welder1 = ctx.org.User("welder1");
    const auto& welder2 = ctx.org.User("welder2");
    auto open = [&](std::string_view title, Grade grade, const DemoPerson& reporter, const DemoPerson& assignee,
                    int64_t hours_ago, int64_t accept_min, int64_t submit_min) {
        Plan p;
        p.tmpl = &TemplateTitled(title);
        p.grade = grade;
        p.department = assignee.department;
        p.reporter = &reporter;
        p.assignee = &assignee;
        if (!p.tmpl->asset_prefix.empty()) p.asset_id = fmt::format("{}-03", p.tmpl->asset_prefix);
        p.reported_at = now - hours_ago * kHourMs;
        p.accept_after_min = accept_min;
        p.submit_after_min = submit_min;
        return p;
    };
    const int64_t kNever = 100LL * 24 * 60;  // not within the history
    // Accepted 5 h ago, still being fixed (the 2-hour escalation and its work order already happened).
    plans.push_back(open("焊机接地线破损", Grade::kBlue, welder1, leader1, 5, 8, kNever));
    // Overdue: reported 30 h ago, yellow (24 h), waiting for parts, extension asked 2 h ago, undecided.
    {
        Plan p = open("焊接烟尘净化器滤芯堵塞", Grade::kYellow, welder2, leader1, 30, 25, kNever);
        p.extension_after_min = 30 * 60 - 25 - 2 * 60;
        p.extension_undecided = true;
        plans.push_back(p);
    }
    // Sent back: the first rectification failed verification this morning.
    {
        Plan p = open("焊把线绝缘层老化开裂", Grade::kBlue, welder1, leader1, 26, 6, 180);
        p.rework_after_min = 120;
        p.resubmit_after_min = kNever;
        plans.push_back(p);
    }
    const auto& painting = dir.by_department.at("喷涂一线");
    const auto* painting_leader = dir.leaders.contains(painting.front()->department + "/" + painting.front()->team)
                                      ? dir.leaders.at(painting.front()->department + "/" + painting.front()->team)
                                      : painting.front();
    plans.push_back(
        open("喷漆房可燃气体报警仪失灵", Grade::kYellow, *painting.back(), *painting_leader, 34, 40, kNever));
    const auto& lifting = dir.by_department.at("重型吊装区");
    const auto* lifting_leader = dir.leaders.contains(lifting.front()->department + "/" + lifting.front()->team)
                                     ? dir.leaders.at(lifting.front()->department + "/" + lifting.front()->team)
                                     : lifting.front();
    plans.push_back(open("行车钢丝绳断丝", Grade::kRed, *lifting.back(), *lifting_leader, 3, 10, kNever));

    std::sort(plans.begin(), plans.end(), [](const Plan& a, const Plan& b) { return a.reported_at < b.reported_at; });
    for (const auto& p : plans) seeder.Realize(p);

    auto& s = seeder.seeded();
    HazardStore::BulkInsertHazards(ctx.conn, s.hazards);
    std::stable_sort(s.events.begin(), s.events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
    HazardStore::BulkInsertEvents(ctx.conn, s.events);
    HazardStore::BulkInsertRectifications(ctx.conn, s.rectifications);
    for (const auto& x : s.extensions) HazardStore::InsertExtension(ctx.conn, x);
    for (const auto& w : s.work_orders) HazardStore::InsertWorkOrder(ctx.conn, w);
    for (auto& job : s.jobs) jobs::Enqueue(ctx.conn, ctx.clock, std::move(job));
    for (const auto& e : s.escalations)
        HazardStore::ClaimEscalation(ctx.conn, e.key, ctx.org.tenant_id, e.hazard_id, e.at);
    for (const auto& [year, seq] : s.last_seq) HazardStore::RaiseCodeSeq(ctx.conn, ctx.org.tenant_id, year, seq);
}

}  // namespace safeloop::hazards
