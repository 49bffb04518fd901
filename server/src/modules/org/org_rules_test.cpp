#include "modules/org/org_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>

namespace safeloop::org {
namespace {

// ---- logins, mobiles, department paths ----

TEST(OrgRules, LoginIsTwoToThirtyTwoOfLowerCaseDigitsDotUnderscoreDash) {
    EXPECT_TRUE(IsValidLogin("vp"));  // a contract login
    EXPECT_TRUE(IsValidLogin("abc"));
    EXPECT_TRUE(IsValidLogin("welder.1_a-b"));
    EXPECT_TRUE(IsValidLogin(std::string(32, 'a')));
    EXPECT_FALSE(IsValidLogin("a"));
    EXPECT_FALSE(IsValidLogin(std::string(33, 'a')));
    EXPECT_FALSE(IsValidLogin("Welder1"));
    EXPECT_FALSE(IsValidLogin("wel der"));
    EXPECT_FALSE(IsValidLogin("张三丰"));
}

TEST(OrgRules, MobileIsElevenDigitsStartingWithOne) {
    EXPECT_TRUE(IsValidMobile("13812345678"));
    EXPECT_TRUE(IsValidMobile("19900000000"));
    EXPECT_FALSE(IsValidMobile("23812345678"));     // does not start with 1
    EXPECT_FALSE(IsValidMobile("1381234567"));      // 10 digits
    EXPECT_FALSE(IsValidMobile("138123456789"));    // 12 digits
    EXPECT_FALSE(IsValidMobile("+8613812345678"));  // country code
    EXPECT_FALSE(IsValidMobile("138-1234-5678"));   // separators
    EXPECT_FALSE(IsValidMobile(""));
}

TEST(OrgRules, DepartmentPathSplitsOnHalfAndFullWidthSlashes) {
    auto parts = SplitDepartmentPath("生产部/焊接一车间");
    ASSERT_TRUE(parts);
    EXPECT_EQ(*parts, (std::vector<std::string>{"生产部", "焊接一车间"}));
    parts = SplitDepartmentPath(" 生产部 ／ 焊接一车间 ");
    ASSERT_TRUE(parts);
    EXPECT_EQ(*parts, (std::vector<std::string>{"生产部", "焊接一车间"}));
    parts = SplitDepartmentPath("安全环保部");
    ASSERT_TRUE(parts);
    EXPECT_EQ(*parts, (std::vector<std::string>{"安全环保部"}));
    EXPECT_FALSE(SplitDepartmentPath(""));
    EXPECT_FALSE(SplitDepartmentPath("/"));
    EXPECT_FALSE(SplitDepartmentPath("生产部//焊接一车间"));
    EXPECT_FALSE(SplitDepartmentPath("生产部/ "));
}

// ---- cycles ----

// a -> b -> c (c at the top), and an unrelated loop x -> y -> x left over from bad data.
Links SampleLinks() { return Links{{"a", "b"}, {"b", "c"}, {"c", std::nullopt}, {"x", "y"}, {"y", "x"}}; }

TEST(OrgRules, MovingADepartmentUnderItsOwnDescendantIsACycle) {
    auto links = SampleLinks();
    EXPECT_TRUE(CreatesCycle(links, "c", std::string("a")));  // c under a: a -> b -> c -> a
    EXPECT_TRUE(CreatesCycle(links, "b", std::string("a")));
    EXPECT_TRUE(CreatesCycle(links, "b", std::string("b")));  // own parent
}

TEST(OrgRules, MovingUpOrSidewaysIsNoCycle) {
    auto links = SampleLinks();
    EXPECT_FALSE(CreatesCycle(links, "a", std::string("c")));
    EXPECT_FALSE(CreatesCycle(links, "a", std::nullopt));
    EXPECT_FALSE(CreatesCycle(links, "c", std::string("unknown")));
    // Walking into the old x/y loop must terminate and not blame this change.
    EXPECT_FALSE(CreatesCycle(links, "a", std::string("x")));
}

// ---- placement ----

PlacementFacts SampleFacts() {
    // Teams t1 (in d1) and t2 (in d2); d1 at site s1, d2 at site s2, d3 without a site.
    PlacementFacts facts;
    facts.team_department = [](const std::string& team) -> std::optional<std::string> {
        if (team == "t1") return "d1";
        if (team == "t2") return "d2";
        return std::nullopt;
    };
    facts.department_site = [](const std::string& department) -> std::optional<std::string> {
        if (department == "d1") return "s1";
        if (department == "d2") return "s2";
        return std::nullopt;
    };
    return facts;
}

TEST(OrgRules, ATeamAloneBringsItsDepartmentAndSite) {
    PlacementChange change;
    change.team_id = Change<std::string>::Set("t1");
    auto placed = ResolvePlacement({}, change, SampleFacts());
    ASSERT_TRUE(placed.ok());
    EXPECT_EQ(placed->team_id, "t1");
    EXPECT_EQ(placed->department_id, "d1");
    EXPECT_EQ(placed->site_id, "s1");
}

TEST(OrgRules, ATeamOutsideTheGivenDepartmentIsRefused) {
    PlacementChange change;
    change.department_id = Change<std::string>::Set("d1");
    change.team_id = Change<std::string>::Set("t2");
    auto placed = ResolvePlacement({}, change, SampleFacts());
    ASSERT_FALSE(placed.ok());
    EXPECT_EQ(placed.error().code, "team_not_in_department");
}

TEST(OrgRules, MovingDepartmentWithoutLeavingTheOldTeamIsRefused) {
    Placement current{"s1", "d1", "t1"};
    PlacementChange change;
    change.department_id = Change<std::string>::Set("d2");
    EXPECT_EQ(ResolvePlacement(current, change, SampleFacts()).error().code, "team_not_in_department");

    change.team_id = Change<std::string>::Set(std::nullopt);  // leave the team
    auto placed = ResolvePlacement(current, change, SampleFacts());
    ASSERT_TRUE(placed.ok());
    EXPECT_EQ(placed->department_id, "d2");
    EXPECT_EQ(placed->site_id, "s2");
    EXPECT_FALSE(placed->team_id);
}

TEST(OrgRules, ASiteContradictingTheDepartmentIsRefused) {
    PlacementChange change;
    change.department_id = Change<std::string>::Set("d1");
    change.site_id = Change<std::string>::Set("s2");
    auto placed = ResolvePlacement({}, change, SampleFacts());
    ASSERT_FALSE(placed.ok());
    EXPECT_EQ(placed.error().code, "validation_failed");
    EXPECT_EQ(placed.error().fields.count("site_id"), 1u);

    change.department_id = Change<std::string>::Set("d3");  // no site of its own: any site goes
    placed = ResolvePlacement({}, change, SampleFacts());
    ASSERT_TRUE(placed.ok());
    EXPECT_EQ(placed->site_id, "s2");
}

// ---- visibility ----

api::Principal Person(api::Scope scope) {
    api::Principal p;
    p.user_id = "me";
    p.supervisor_id = "boss";
    p.site_id = "s1";
    p.department_id = "d1";
    p.team_id = "t1";
    p.scope = scope;
    return p;
}

TEST(OrgRules, VisibilityFollowsTheScopeAndKeepsSelfAndSupervisor) {
    auto v = VisibilityFor(Person(api::Scope::kTenant));
    EXPECT_EQ(v.kind, "tenant");
    v = VisibilityFor(Person(api::Scope::kSite));
    EXPECT_EQ(v.kind, "site");
    EXPECT_EQ(v.anchor_id, "s1");
    v = VisibilityFor(Person(api::Scope::kDepartment));
    EXPECT_EQ(v.kind, "department");
    EXPECT_EQ(v.anchor_id, "d1");
    v = VisibilityFor(Person(api::Scope::kTeam));
    EXPECT_EQ(v.kind, "team");
    EXPECT_EQ(v.anchor_id, "t1");
    EXPECT_EQ(v.self_id, "me");
    EXPECT_EQ(v.supervisor_id, "boss");
    v = VisibilityFor(Person(api::Scope::kSelf));
    EXPECT_EQ(v.kind, "self");
    EXPECT_FALSE(v.anchor_id);
}

TEST(OrgRules, AScopeWithoutAnchorNarrowsToSelf) {
    auto p = Person(api::Scope::kDepartment);
    p.department_id.reset();
    EXPECT_EQ(VisibilityFor(p).kind, "self");
    p = Person(api::Scope::kTeam);
    p.team_id.reset();
    EXPECT_EQ(VisibilityFor(p).kind, "self");
    p = Person(api::Scope::kSite);
    p.site_id.reset();
    EXPECT_EQ(VisibilityFor(p).kind, "self");
}

// ---- import ----

// Ids "id1", "id2", ... in the order they are asked for.
std::function<std::string()> Counter() {
    auto n = std::make_shared<int>(0);
    return [n] { return "id" + std::to_string(++*n); };
}

User ExistingUser(std::string id, std::string login, std::string employee_no, std::string mobile,
                  std::optional<std::string> supervisor = std::nullopt) {
    User u;
    u.id = std::move(id);
    u.tenant_id = "t";
    u.login = std::move(login);
    u.employee_no = std::move(employee_no);
    u.mobile = std::move(mobile);
    u.supervisor_id = std::move(supervisor);
    u.roles = {"worker"};
    return u;
}

// The tenant has site s1, department 生产部 (dep-prod, at s1), position 焊工 (pos-welder, role worker),
// position 仓管员 without roles, and users u1 (E100, login old1) and u2 (E200, login old2, reports to u1).
ImportSnapshot Snapshot() {
    ImportSnapshot s;
    s.tenant_id = "t";
    s.now = 1000;
    s.default_site_id = "s1";
    Department prod;
    prod.id = "dep-prod";
    prod.tenant_id = "t";
    prod.site_id = "s1";
    prod.name = "生产部";
    s.departments.push_back(prod);
    Position welder;
    welder.id = "pos-welder";
    welder.name = "焊工";
    welder.roles = {"worker"};
    s.positions.push_back(welder);
    Position keeper;
    keeper.id = "pos-keeper";
    keeper.name = "仓管员";
    s.positions.push_back(keeper);
    s.users.push_back(ExistingUser("u1", "old1", "E100", "13900000001"));
    s.users.push_back(ExistingUser("u2", "old2", "E200", "13900000002", "u1"));
    return s;
}

ImportRow Row(int n, std::string employee_no, std::string login, std::string mobile, std::string supervisor = "") {
    ImportRow r;
    r.row = n;
    r.employee_no = std::move(employee_no);
    r.name = "员工" + std::to_string(n);
    r.login = std::move(login);
    r.mobile = std::move(mobile);
    r.department = "生产部/焊接一车间";
    r.team = "焊接一班";
    r.position = "焊工";
    r.supervisor_employee_no = std::move(supervisor);
    return r;
}

bool HasError(const ImportPlan& plan, int row, const std::string& field, const std::string& code) {
    return std::any_of(plan.errors.begin(), plan.errors.end(),
                       [&](const RowError& e) { return e.row == row && e.field == field && e.code == code; });
}

TEST(OrgImport, AGoodFileCreatesWhatIsMissingAndPutsSupervisorsFirst) {
    // Row 1 reports to row 2 (later in the file); row 3 updates u1.
    std::vector<ImportRow> rows = {Row(1, "E001", "welder.a", "13800000001", "E002"),
                                   Row(2, "E002", "leader.a", "13800000002"), Row(3, "E100", "old1", "13900000001")};
    rows[1].position = "班组长";
    rows[1].roles = {"team_leader"};
    auto plan = PlanImport(rows, Snapshot(), Counter());
    ASSERT_TRUE(plan.errors.empty()) << plan.errors.front().code;

    // New rows get id1 (row 1), id2 (row 2); then 焊接一车间 id3, 焊接一班 id4, 班组长 id5.
    ASSERT_EQ(plan.new_departments.size(), 1u);
    EXPECT_EQ(plan.new_departments[0].name, "焊接一车间");
    EXPECT_EQ(plan.new_departments[0].parent_id, "dep-prod");
    EXPECT_EQ(plan.new_departments[0].site_id, "s1");
    ASSERT_EQ(plan.new_teams.size(), 1u);
    EXPECT_EQ(plan.new_teams[0].name, "焊接一班");
    EXPECT_EQ(plan.new_teams[0].department_id, plan.new_departments[0].id);
    ASSERT_EQ(plan.new_positions.size(), 1u);
    EXPECT_EQ(plan.new_positions[0].name, "班组长");

    ASSERT_EQ(plan.users.size(), 3u);
    EXPECT_EQ(plan.users[0].row, 2);  // the supervisor first
    EXPECT_EQ(plan.users[1].row, 1);
    EXPECT_EQ(plan.users[2].row, 3);
    EXPECT_EQ(plan.users[1].after.supervisor_id, plan.users[0].after.id);
    EXPECT_EQ(plan.users[1].after.department_id, plan.new_departments[0].id);
    EXPECT_EQ(plan.users[1].after.site_id, "s1");
    EXPECT_EQ(plan.users[1].after.position_id, "pos-welder");
    EXPECT_TRUE(plan.users[1].after.roles.empty());  // the position gives "worker"
    EXPECT_EQ(plan.users[0].after.roles, (std::vector<std::string>{"team_leader"}));
    EXPECT_EQ(plan.CreatedUsers(), 2u);
    EXPECT_EQ(plan.UpdatedUsers(), 1u);

    // The update keeps u1's id and roles; the file clears its supervisor (none given).
    EXPECT_TRUE(plan.users[2].before);
    EXPECT_EQ(plan.users[2].after.id, "u1");
    EXPECT_EQ(plan.users[2].after.roles, (std::vector<std::string>{"worker"}));
    EXPECT_EQ(plan.users[2].after.name, "员工3");
}

TEST(OrgImport, ExistingDepartmentsTeamsAndPositionsAreReused) {
    auto snapshot = Snapshot();
    Department shop;
    shop.id = "dep-shop";
    shop.parent_id = "dep-prod";
    shop.site_id = "s1";
    shop.name = "焊接一车间";
    snapshot.departments.push_back(shop);
    Team team;
    team.id = "team-1";
    team.department_id = "dep-shop";
    team.name = "焊接一班";
    snapshot.teams.push_back(team);
    auto plan = PlanImport({Row(1, "E001", "welder.a", "13800000001")}, snapshot, Counter());
    ASSERT_TRUE(plan.errors.empty());
    EXPECT_TRUE(plan.new_departments.empty());
    EXPECT_TRUE(plan.new_teams.empty());
    EXPECT_TRUE(plan.new_positions.empty());
    EXPECT_EQ(plan.users[0].after.department_id, "dep-shop");
    EXPECT_EQ(plan.users[0].after.team_id, "team-1");
}

TEST(OrgImport, ANewUserWithoutAnyRoleBecomesAWorker) {
    auto row = Row(1, "E001", "keeper.a", "13800000001");
    row.position = "仓管员";  // a position without roles
    auto plan = PlanImport({row}, Snapshot(), Counter());
    ASSERT_TRUE(plan.errors.empty());
    EXPECT_EQ(plan.users[0].after.roles, (std::vector<std::string>{"worker"}));
}

TEST(OrgImport, DuplicatesWithinTheFileAreReportedOnEveryRowInvolved) {
    std::vector<ImportRow> rows = {Row(1, "E001", "same", "13800000001"), Row(2, "E002", "other", "13800000002"),
                                   Row(3, "E001", "same", "13800000002")};
    auto plan = PlanImport(rows, Snapshot(), Counter());
    EXPECT_TRUE(HasError(plan, 1, "login", "duplicate"));
    EXPECT_TRUE(HasError(plan, 3, "login", "duplicate"));
    EXPECT_TRUE(HasError(plan, 1, "employee_no", "duplicate"));
    EXPECT_TRUE(HasError(plan, 3, "employee_no", "duplicate"));
    EXPECT_TRUE(HasError(plan, 2, "mobile", "duplicate"));
    EXPECT_TRUE(HasError(plan, 3, "mobile", "duplicate"));
    EXPECT_FALSE(HasError(plan, 2, "login", "duplicate"));
    auto it = std::find_if(plan.errors.begin(), plan.errors.end(),
                           [](const RowError& e) { return e.row == 1 && e.field == "login"; });
    EXPECT_EQ(it->message, "与第 3 行重复 / same as row(s) 3");
    EXPECT_TRUE(plan.users.empty());
    // Errors come by row.
    EXPECT_TRUE(std::is_sorted(plan.errors.begin(), plan.errors.end(),
                               [](const RowError& a, const RowError& b) { return a.row < b.row; }));
}

TEST(OrgImport, FieldProblemsAreNamed) {
    auto bad_mobile = Row(1, "E001", "a.one", "1380000000");
    auto unknown_role = Row(2, "E002", "a.two", "13800000002");
    unknown_role.unknown_roles = {"boss"};
    auto no_department = Row(3, "E003", "a.three", "13800000003");
    no_department.department = "";
    auto bad_path = Row(4, "E004", "a.four", "13800000004");
    bad_path.department = "生产部//焊接";
    auto bad_login = Row(5, "E005", "A Five", "13800000005");
    auto no_name = Row(6, "", "a.six", "13800000006");
    no_name.name = "";
    auto weak_password = Row(7, "E007", "a.seven", "13800000007");
    weak_password.password = "short";
    auto plan = PlanImport({bad_mobile, unknown_role, no_department, bad_path, bad_login, no_name, weak_password},
                           Snapshot(), Counter());
    EXPECT_TRUE(HasError(plan, 1, "mobile", "invalid_mobile"));
    EXPECT_TRUE(HasError(plan, 2, "roles", "unknown_role"));
    EXPECT_TRUE(HasError(plan, 3, "department", "required"));
    EXPECT_TRUE(HasError(plan, 4, "department", "invalid_department"));
    EXPECT_TRUE(HasError(plan, 5, "login", "invalid_login"));
    EXPECT_TRUE(HasError(plan, 6, "employee_no", "required"));
    EXPECT_TRUE(HasError(plan, 6, "name", "required"));
    EXPECT_TRUE(HasError(plan, 7, "password", "invalid_password"));
    EXPECT_EQ(plan.errors.size(), 8u);
}

TEST(OrgImport, LoginsAndMobilesOfOtherPeopleAreTaken) {
    auto snapshot = Snapshot();
    snapshot.logins_elsewhere = {"elsewhere"};
    std::vector<ImportRow> rows = {Row(1, "E001", "old1", "13800000001"),       // u1's login
                                   Row(2, "E002", "elsewhere", "13800000002"),  // another tenant's login
                                   Row(3, "E003", "fresh", "13900000001"),      // u1's mobile
                                   Row(4, "E200", "old2", "13900000002")};      // u2 itself: fine
    auto plan = PlanImport(rows, snapshot, Counter());
    EXPECT_TRUE(HasError(plan, 1, "login", "login_taken"));
    EXPECT_TRUE(HasError(plan, 2, "login", "login_taken"));
    EXPECT_TRUE(HasError(plan, 3, "mobile", "mobile_taken"));
    EXPECT_EQ(plan.errors.size(), 3u);
    EXPECT_FALSE(HasError(plan, 4, "login", "login_taken"));
    EXPECT_FALSE(HasError(plan, 4, "mobile", "mobile_taken"));
}

TEST(OrgImport, SupervisorsMustExistAndNeverLoop) {
    std::vector<ImportRow> rows = {Row(1, "E001", "a.one", "13800000001", "E002"),
                                   Row(2, "E002", "a.two", "13800000002", "E001"),    // 1 <-> 2
                                   Row(3, "E003", "a.three", "13800000003", "E003"),  // self
                                   Row(4, "E004", "a.four", "13800000004", "E999"),   // nobody
                                   Row(5, "E005", "a.five", "13800000005", "E200"),   // u2 in the DB: fine
                                   Row(6, "E100", "old1", "13900000001", "E200")};    // u1 under u2 who is under u1
    auto plan = PlanImport(rows, Snapshot(), Counter());
    EXPECT_TRUE(HasError(plan, 1, "supervisor_employee_no", "supervisor_cycle"));
    EXPECT_TRUE(HasError(plan, 2, "supervisor_employee_no", "supervisor_cycle"));
    EXPECT_TRUE(HasError(plan, 3, "supervisor_employee_no", "supervisor_cycle"));
    EXPECT_TRUE(HasError(plan, 4, "supervisor_employee_no", "supervisor_not_found"));
    EXPECT_TRUE(HasError(plan, 6, "supervisor_employee_no", "supervisor_cycle"));
    EXPECT_FALSE(HasError(plan, 5, "supervisor_employee_no", "supervisor_cycle"));
    EXPECT_EQ(plan.errors.size(), 5u);
}

TEST(OrgImport, MovingTheDbLoopAsideInTheSameFileIsAccepted) {
    // u1 goes under u2 while u2 (E200) is moved to report to nobody: no loop remains.
    std::vector<ImportRow> rows = {Row(1, "E100", "old1", "13900000001", "E200"),
                                   Row(2, "E200", "old2", "13900000002")};
    auto plan = PlanImport(rows, Snapshot(), Counter());
    EXPECT_TRUE(plan.errors.empty());
    EXPECT_EQ(plan.UpdatedUsers(), 2u);
}

TEST(OrgImport, PasswordsAreKeptOnlyForNewUsers) {
    auto fresh = Row(1, "E001", "a.one", "13800000001");
    fresh.password = "demo-2026";
    auto existing = Row(2, "E100", "old1", "13900000001");
    existing.password = "demo-2026";
    auto plan = PlanImport({fresh, existing}, Snapshot(), Counter());
    ASSERT_TRUE(plan.errors.empty());
    EXPECT_EQ(plan.users[0].password, "demo-2026");
    EXPECT_TRUE(plan.users[0].after.has_password);
    EXPECT_EQ(plan.users[0].after.password_changed_at, 1000);
    EXPECT_FALSE(plan.users[1].password);
}

TEST(OrgImport, RowsAreReadFromJsonWithSpreadsheetNumbersAndRoleNames) {
    auto json = boost::json::parse(R"([
        {"employee_no": 1001, "name": " 张伟 ", "login": "zhangwei", "mobile": 13800000001,
         "department": "生产部", "roles": "班组长，worker", "password": "demo-2026"},
        {"employee_no": "E2", "name": ["x"], "roles": 5},
        "not a row",
        {"employee_no": "E4", "roles": ["safety_officer", "老板"]}
    ])");
    std::vector<RowError> errors;
    auto rows = ParseImportRows(json.as_array(), errors);
    ASSERT_EQ(rows.size(), 3u);  // the string row is reported, not kept
    EXPECT_EQ(rows[0].row, 1);
    EXPECT_EQ(rows[0].employee_no, "1001");
    EXPECT_EQ(rows[0].name, "张伟");
    EXPECT_EQ(rows[0].mobile, "13800000001");
    EXPECT_EQ(rows[0].roles, (std::vector<std::string>{"team_leader", "worker"}));
    EXPECT_EQ(rows[0].password, "demo-2026");
    EXPECT_EQ(rows[2].row, 4);
    EXPECT_EQ(rows[2].roles, (std::vector<std::string>{"safety_officer"}));
    EXPECT_EQ(rows[2].unknown_roles, (std::vector<std::string>{"老板"}));
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].row, 2);
    EXPECT_EQ(errors[0].field, "name");
    EXPECT_EQ(errors[0].code, "invalid_value");
    EXPECT_EQ(errors[1].field, "roles");
    EXPECT_EQ(errors[2].row, 3);
    EXPECT_EQ(errors[2].code, "invalid_row");
}

}  // namespace
}  // namespace safeloop::org
