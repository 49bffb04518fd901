// The demo organisation: 绍兴恒钢钢结构制造有限公司, one site, ten departments with six production
// workshops under 生产部, teams (班组) in every workshop, 38 positions and 420 active people (plus a few who
// left), each with a direct supervisor: worker -> team leader -> workshop director -> production VP ->
// general manager. The system "went live" 12 months before DemoOptions::now: most people were imported
// then, the rest joined during the year.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"
#include "modules/demo/demo.hpp"
#include "modules/demo/demo_names.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::demo {

namespace {

using std::chrono::days;
using std::chrono::hours;

constexpr std::string_view kTenantName = "绍兴恒钢钢结构制造有限公司";
constexpr std::string_view kSiteName = "柯桥生产基地";
constexpr std::string_view kSiteAddress = "浙江省绍兴市柯桥区马鞍街道钢构产业园 8 号";
constexpr days kHistory{365};
constexpr int kNewHirePercent = 12;

struct PositionSpec {
    std::string_view name;
    std::vector<std::string_view> roles;
};

const std::vector<PositionSpec>& Positions() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<PositionSpec> kPositions = {
        {"总经理", {kVp}},
        {"分管安全副总", {kVp}},
        {"生产副总", {kDeptHead}},
        {"总经理助理", {kWorker}},
        {"秘书", {kWorker}},
        {"部门经理", {kDeptHead}},
        {"车间主任", {kDeptHead}},
        {"车间副主任", {kDeptHead}},
        {"班组长", {kTeamLeader}},
        {"安全员", {kSafetyOfficer}},
        {"环保专员", {kSafetyOfficer}},
        {"职业健康专员", {kSafetyOfficer}},
        {"车间安全员", {kWorker}},
        {"设备员", {kWorker}},
        {"焊工", {kWorker}},
        {"铆工", {kWorker}},
        {"打磨工", {kWorker}},
        {"电工", {kWorker}},
        {"起重司机", {kWorker}},
        {"司索工", {kWorker}},
        {"喷漆工", {kWorker}},
        {"喷砂工", {kWorker}},
        {"机修工", {kWorker}},
        {"叉车司机", {kWorker}},
        {"仓管员", {kWorker}},
        {"质检员", {kWorker}},
        {"探伤工", {kWorker}},
        {"采购员", {kWorker}},
        {"计划员", {kWorker}},
        {"调度员", {kWorker}},
        {"工艺工程师", {kWorker}},
        {"技术员", {kWorker}},
        {"人事专员", {kWorker}},
        {"行政专员", {kWorker}},
        {"驾驶员", {kWorker}},
        {"会计", {kWorker}},
        {"系统管理员", {kAdmin}},
        {"第三方安全顾问", {kAuditor}},
    };
    return kPositions;
}

struct StaffSpec {
    std::string_view position;
    int count;
};

struct TeamSpec {
    std::string_view name;
    int size;  // including the team leader
    std::string_view position;
    std::string_view second_position = {};
    int second_count = 0;
};

struct DepartmentSpec {
    std::string_view name;
    std::string_view parent;  // "" for a top-level department
    int sort_order;
    std::string_view head_position;
    std::vector<StaffSpec> staff;  // besides the head, in no team
    std::vector<TeamSpec> teams;
    int male_percent;
};

const std::vector<DepartmentSpec>& Departments() {
    static const std::vector<DepartmentSpec> kDepartments = {
        {"总经理办公室", "", 10, "总经理", {{"分管安全副总", 1}, {"总经理助理", 1}, {"秘书", 1}}, {}, 70},
        {"安全环保部",
         "",
         20,
         "部门经理",
         {{"安全员", 5}, {"环保专员", 1}, {"职业健康专员", 1}, {"第三方安全顾问", 1}},
         {},
         60},
        {"生产部", "", 30, "生产副总", {{"计划员", 2}, {"调度员", 2}}, {}, 80},
        {"焊接一车间",
         "生产部",
         31,
         "车间主任",
         {{"车间副主任", 1}, {"车间安全员", 1}, {"设备员", 1}},
         {{"焊接一班", 18, "焊工", "打磨工", 2},
          {"焊接二班", 18, "焊工", "打磨工", 2},
          {"焊接三班", 17, "焊工", "打磨工", 2},
          {"铆焊班", 15, "铆工", "焊工", 5}},
         95},
        {"焊接二车间",
         "生产部",
         32,
         "车间主任",
         {{"车间副主任", 1}, {"车间安全员", 1}, {"设备员", 1}},
         {{"焊接一班", 17, "焊工", "打磨工", 2},
          {"焊接二班", 17, "焊工", "打磨工", 2},
          {"焊接三班", 15, "焊工", "打磨工", 1},
          {"铆焊班", 14, "铆工", "焊工", 4}},
         95},
        {"焊接三车间",
         "生产部",
         33,
         "车间主任",
         {{"车间安全员", 1}, {"设备员", 1}},
         {{"焊接一班", 18, "焊工", "打磨工", 2},
          {"焊接二班", 17, "焊工", "打磨工", 2},
          {"铆焊班", 16, "铆工", "焊工", 4}},
         95},
        {"喷涂一线",
         "生产部",
         34,
         "车间主任",
         {{"车间安全员", 1}},
         {{"喷砂班", 11, "喷砂工"}, {"喷漆一班", 12, "喷漆工"}, {"喷漆二班", 10, "喷漆工"}},
         80},
        {"喷涂二线",
         "生产部",
         35,
         "车间主任",
         {{"车间安全员", 1}},
         {{"喷砂班", 10, "喷砂工"}, {"喷漆一班", 11, "喷漆工"}, {"喷漆二班", 10, "喷漆工"}},
         80},
        {"重型吊装区",
         "生产部",
         36,
         "车间主任",
         {{"车间安全员", 1}},
         {{"行车班", 13, "起重司机"}, {"司索班", 13, "司索工"}, {"吊运班", 11, "司索工", "起重司机", 4}},
         95},
        {"设备维修部",
         "",
         40,
         "部门经理",
         {{"设备员", 2}},
         {{"机修班", 13, "机修工"}, {"电工班", 10, "电工"}, {"起重设备维保班", 6, "机修工", "电工", 2}},
         95},
        {"采购部", "", 50, "部门经理", {{"采购员", 7}}, {}, 60},
        {"质量部", "", 60, "部门经理", {}, {{"质检班", 11, "质检员"}, {"探伤班", 6, "探伤工"}}, 75},
        {"技术部", "", 70, "部门经理", {{"工艺工程师", 6}, {"技术员", 4}}, {}, 75},
        {"仓储物流部", "", 80, "部门经理", {}, {{"仓储班", 8, "仓管员"}, {"物流班", 9, "叉车司机"}}, 80},
        {"行政人事部",
         "",
         90,
         "部门经理",
         {{"系统管理员", 1}, {"人事专员", 3}, {"行政专员", 3}, {"驾驶员", 2}},
         {},
         50},
        {"财务部", "", 100, "部门经理", {{"会计", 4}}, {}, 30},
    };
    return kDepartments;
}

// People who left during the year: one more member in each of these teams, disabled.
struct LeaverSpec {
    std::string_view department;
    std::string_view team;
};
constexpr LeaverSpec kLeavers[] = {{"焊接二车间", "焊接一班"}, {"焊接二车间", "焊接三班"}, {"焊接三车间", "焊接一班"},
                                   {"喷涂一线", "喷漆一班"},   {"重型吊装区", "司索班"},   {"设备维修部", "机修班"}};

// The demo's named accounts (CONTRACT.md) and a few other memorable ones.
struct KeyAccount {
    std::string_view department;
    std::string_view team;
    std::string_view position;
    int nth;  // the nth person (0-based) holding that position there
    std::string_view login;
    std::string_view name;  // "" keeps the generated name
    bool male;
    std::vector<std::string_view> roles;  // own roles, on top of the position's
};

const std::vector<KeyAccount>& KeyAccounts() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<KeyAccount> kAccounts = {
        {"总经理办公室", "", "总经理", 0, "gm", "沈国华", true, {}},
        {"总经理办公室", "", "分管安全副总", 0, "vp", "赵志刚", true, {kVp}},
        {"安全环保部", "", "部门经理", 0, "safety.chief", "孙立军", true, {kSafetyOfficer}},
        {"安全环保部", "", "安全员", 0, "safety", "陈静", false, {kSafetyOfficer}},
        {"安全环保部", "", "第三方安全顾问", 0, "auditor", "吴晓峰", true, {kAuditor}},
        {"行政人事部", "", "系统管理员", 0, "admin", "周立新", true, {kAdmin}},
        {"生产部", "", "生产副总", 0, "prod.vp", "钱永强", true, {}},
        {"焊接一车间", "", "车间主任", 0, "director1", "李国强", true, {kDeptHead}},
        {"焊接一车间", "焊接一班", "班组长", 0, "leader1", "王建军", true, {kTeamLeader}},
        {"焊接一车间", "焊接一班", "焊工", 0, "welder1", "张伟", true, {kWorker}},
        {"焊接一车间", "焊接一班", "焊工", 1, "welder2", "刘洋", true, {kWorker}},
        {"焊接二车间", "", "车间主任", 0, "director2", "", true, {}},
        {"焊接三车间", "", "车间主任", 0, "director3", "", true, {}},
        {"喷涂一线", "", "车间主任", 0, "director4", "", true, {}},
        {"喷涂二线", "", "车间主任", 0, "director5", "", true, {}},
        {"重型吊装区", "", "车间主任", 0, "director6", "", true, {}},
    };
    return kAccounts;
}

struct Slot {
    DemoPerson person;
    bool male = true;
    std::vector<std::string> roles;
    bool key = false;       // a named account: present from the start
    bool head = false;      // heads its department
    bool leader = false;    // leads its team
    bool outsider = false;  // the third-party auditor: no supervisor
    int64_t disabled_at = 0;
    std::string department_id;
    std::string team_id;
};

int64_t Ms(TimePoint t) { return ToUnixMillis(t); }

// An id whose UUIDv7 time is the record's creation time, so ids sort in creation order.
std::string IdAt(int64_t ms) {
    ManualClock at(FromUnixMillis(ms));
    return NewUuidV7(at);
}

template <typename T>
void Must(const Result<T>& result, const char* what) {
    if (!result.ok())
        throw std::runtime_error(std::string("demo: cannot create ") + what + ": " + result.error().message);
}

}  // namespace

DemoOrg SeedOrganisation(db::Connection& conn, const Clock& clock, const DemoOptions& options, DemoRng& rng) {
    (void)clock;  // every record's time derives from options.now, so the demo is the same whenever it is made
    const int64_t now = Ms(options.now);
    const int64_t go_live = Ms(options.now - kHistory);
    const int64_t setup = go_live - std::chrono::duration_cast<Millis>(hours(1)).count();
    int64_t setup_step = 0;
    auto next_setup_time = [&] { return setup + 1000 * setup_step++; };

    DemoOrg org;
    org::Tenant tenant{IdAt(setup), std::string(kTenantName), std::string(kDemoTenantCode), std::nullopt, setup};
    Must(org::OrgStore::InsertTenant(conn, tenant), "tenant");
    org.tenant_id = tenant.id;
    org::Site site{IdAt(next_setup_time()), tenant.id, std::string(kSiteName), std::string(kSiteAddress), setup};
    Must(org::OrgStore::InsertSite(conn, site), "site");
    org.site_id = site.id;

    std::map<std::string, org::Position> positions;
    for (const auto& spec : Positions()) {
        int64_t at = next_setup_time();
        org::Position p{IdAt(at), tenant.id, std::string(spec.name), {}, at};
        for (auto r : spec.roles) p.roles.emplace_back(r);
        positions.emplace(p.name, p);
        org.positions.emplace(p.name, p.id);
    }

    // Departments and teams get their ids now; they are written once heads and leaders are known.
    std::vector<org::Department> departments;
    std::vector<org::Team> teams;
    for (const auto& spec : Departments()) {
        int64_t at = next_setup_time();
        org::Department d;
        d.id = IdAt(at);
        d.tenant_id = tenant.id;
        d.site_id = site.id;
        if (!spec.parent.empty()) d.parent_id = org.departments.at(std::string(spec.parent));
        d.name = spec.name;
        d.sort_order = spec.sort_order;
        d.created_at = at;
        org.departments.emplace(d.name, d.id);
        departments.push_back(d);
        for (const auto& team_spec : spec.teams) {
            int64_t team_at = next_setup_time();
            org::Team t{IdAt(team_at), tenant.id, d.id, std::string(team_spec.name), std::nullopt, team_at};
            org.teams.emplace(d.name + "/" + t.name, t.id);
            teams.push_back(t);
        }
    }

    // Everyone's place, in a stable order: department by department, head first, then staff, then teams.
    NameGenerator names(rng);
    MobileGenerator mobiles(rng);
    for (const auto& key : KeyAccounts()) {
        if (!key.name.empty()) names.Reserve(std::string(key.name));
    }
    std::vector<Slot> slots;
    auto add = [&](const DepartmentSpec& spec, std::string_view team, std::string_view position) -> Slot& {
        Slot s;
        s.male = rng.Chance(spec.male_percent);
        s.person.department = spec.name;
        s.person.team = team;
        s.person.position = position;
        s.department_id = org.departments.at(s.person.department);
        if (!team.empty()) s.team_id = org.teams.at(s.person.department + "/" + s.person.team);
        slots.push_back(std::move(s));
        return slots.back();
    };
    for (const auto& spec : Departments()) {
        add(spec, "", spec.head_position).head = true;
        for (const auto& staff : spec.staff) {
            for (int i = 0; i < staff.count; ++i) add(spec, "", staff.position);
        }
        for (const auto& team : spec.teams) {
            add(spec, team.name, "班组长").leader = true;
            for (int i = 1; i < team.size - team.second_count; ++i) add(spec, team.name, team.position);
            for (int i = 0; i < team.second_count; ++i) add(spec, team.name, team.second_position);
        }
    }
    for (const auto& leaver : kLeavers) {
        const auto& spec = *std::find_if(Departments().begin(), Departments().end(),
                                         [&](const DepartmentSpec& d) { return d.name == leaver.department; });
        const auto& team = *std::find_if(spec.teams.begin(), spec.teams.end(),
                                         [&](const TeamSpec& t) { return t.name == leaver.team; });
        Slot& s = add(spec, team.name, team.position);
        s.disabled_at = now - std::chrono::duration_cast<Millis>(days(30 + rng.Below(270))).count();
    }

    // Named accounts take their places.
    for (const auto& key : KeyAccounts()) {
        int seen = 0;
        auto it = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) {
            if (s.person.department != key.department || s.person.team != key.team ||
                s.person.position != key.position || s.disabled_at != 0) {
                return false;
            }
            return seen++ == key.nth;
        });
        if (it == slots.end()) throw std::logic_error("demo: no place for " + std::string(key.login));
        it->key = true;
        it->male = key.male;
        it->outsider = key.position == "第三方安全顾问";
        it->person.login = key.login;
        it->person.name = key.name;
        for (auto r : key.roles) it->roles.emplace_back(r);
    }

    // Names, mobiles, join dates (most at go-live, some during the year), then employee numbers by date.
    for (size_t i = 0; i < slots.size(); ++i) {
        Slot& s = slots[i];
        if (s.person.name.empty()) s.person.name = names.Next(s.male);
        s.person.mobile = mobiles.Next();
        bool new_hire = !s.key && !s.head && !s.leader && s.disabled_at == 0 && rng.Chance(kNewHirePercent);
        if (new_hire) {
            s.person.hired_at =
                now - std::chrono::duration_cast<Millis>(days(7 + rng.Below(320)) + hours(rng.Below(10))).count();
        } else {
            s.person.hired_at = go_live + static_cast<int64_t>(i) * 1000;
        }
    }
    std::vector<size_t> by_date(slots.size());
    for (size_t i = 0; i < by_date.size(); ++i) by_date[i] = i;
    std::stable_sort(by_date.begin(), by_date.end(),
                     [&](size_t a, size_t b) { return slots[a].person.hired_at < slots[b].person.hired_at; });
    for (size_t n = 0; n < by_date.size(); ++n) {
        Slot& s = slots[by_date[n]];
        char number[32];
        std::snprintf(number, sizeof number, "HG%04zu", n + 1);
        s.person.employee_no = number;
        if (s.person.login.empty()) {
            s.person.login = "hg" + s.person.employee_no.substr(2);
        }
        s.person.id = IdAt(s.person.hired_at);
    }

    // Heads and leaders, then everyone's direct supervisor.
    std::map<std::string, std::string> head_of;    // department name -> user id
    std::map<std::string, std::string> leader_of;  // "department/team" -> user id
    for (const auto& s : slots) {
        if (s.head) head_of[s.person.department] = s.person.id;
        if (s.leader) leader_of[s.person.department + "/" + s.person.team] = s.person.id;
    }
    const std::string& gm = head_of.at("总经理办公室");
    const std::string& vp =
        std::find_if(slots.begin(), slots.end(), [](const Slot& s) { return s.person.login == "vp"; })->person.id;
    std::map<std::string, std::string> parent_of;
    for (const auto& spec : Departments()) parent_of[std::string(spec.name)] = spec.parent;
    for (auto& s : slots) {
        const std::string& department = s.person.department;
        if (s.outsider) continue;
        if (s.head) {
            if (department == "总经理办公室") continue;
            if (department == "安全环保部") {
                s.person.supervisor_id = vp;  // safety reports to the deputy GM in charge of safety
            } else if (!parent_of[department].empty()) {
                s.person.supervisor_id = head_of.at(parent_of[department]);  // workshops -> production VP
            } else if (department == "设备维修部") {
                s.person.supervisor_id = head_of.at("生产部");
            } else {
                s.person.supervisor_id = gm;
            }
        } else if (s.leader || s.person.team.empty()) {
            s.person.supervisor_id = head_of.at(department);
        } else {
            s.person.supervisor_id = leader_of.at(department + "/" + s.person.team);
        }
    }

    // Write: positions, departments (with heads), teams (with leaders), then people, supervisors first.
    for (const auto& [name, p] : positions) Must(org::OrgStore::InsertPosition(conn, p), "position");
    for (auto& d : departments) {
        d.head_user_id = head_of.at(d.name);
        Must(org::OrgStore::InsertDepartment(conn, d), "department");
    }
    for (auto& t : teams) {
        auto department = std::find_if(departments.begin(), departments.end(),
                                       [&](const org::Department& d) { return d.id == t.department_id; });
        t.leader_user_id = leader_of.at(department->name + "/" + t.name);
        Must(org::OrgStore::InsertTeam(conn, t), "team");
    }

    const std::string password_hash = auth::HashPassword(kDemoPassword);  // once: argon2id is ~100 ms
    std::map<std::string, int> depth;  // user id -> length of the supervisor chain above
    std::map<std::string, const Slot*> by_id;
    for (const auto& s : slots) by_id[s.person.id] = &s;
    auto depth_of = [&](const Slot& start) {
        int d = 0;
        for (const Slot* s = &start; !s->person.supervisor_id.empty(); s = by_id.at(s->person.supervisor_id)) ++d;
        return d;
    };
    std::vector<const Slot*> order;
    order.reserve(slots.size());
    for (const auto& s : slots) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(),
                     [&](const Slot* a, const Slot* b) { return depth_of(*a) < depth_of(*b); });
    for (const Slot* s : order) {
        const DemoPerson& p = s->person;
        org::User u;
        u.id = p.id;
        u.tenant_id = tenant.id;
        u.login = p.login;
        u.name = p.name;
        u.mobile = p.mobile;
        u.employee_no = p.employee_no;
        u.site_id = site.id;
        u.department_id = s->department_id;
        if (!s->team_id.empty()) u.team_id = s->team_id;
        u.position_id = positions.at(p.position).id;
        if (!p.supervisor_id.empty()) u.supervisor_id = p.supervisor_id;
        u.roles = s->roles;
        u.disabled = s->disabled_at != 0;
        u.password_changed_at = p.hired_at;
        u.created_at = p.hired_at;
        u.updated_at = u.disabled ? s->disabled_at : p.hired_at;
        Must(org::OrgStore::InsertUser(conn, u, password_hash), "user");
        if (p.login == "admin") org.admin_id = p.id;
    }

    for (auto& s : slots) {
        s.person.disabled = s.disabled_at != 0;
        org.people.push_back(s.person);
    }
    std::stable_sort(org.people.begin(), org.people.end(),
                     [](const DemoPerson& a, const DemoPerson& b) { return a.employee_no < b.employee_no; });
    return org;
}

}  // namespace safeloop::demo
