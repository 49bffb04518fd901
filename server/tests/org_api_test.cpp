// The organisation API on the demo tenant, against SQLite and PostgreSQL: sites, departments (cycles,
// non-empty), teams, positions, users (create, patch, disable, reset password, supervisor cycles), data
// scope on /users, the whole-file organisation import (good, dry run, bad -> nothing written) and the
// tenant.

#include <boost/json.hpp>
#include <set>
#include <string>

#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;

class OrgApi : public ApiTest {
protected:
    // Every item of a list, following next_cursor page by page.
    static std::vector<json::object> All(const TestClient& c, const std::string& path, int limit = 1000) {
        std::vector<json::object> out;
        std::string cursor;
        for (int page = 0; page < 100; ++page) {
            std::string sep = path.find('?') == std::string::npos ? "?" : "&";
            auto r = c.Get(path + sep + "limit=" + std::to_string(limit) + (cursor.empty() ? "" : "&cursor=" + cursor));
            EXPECT_EQ(r.status, 200) << path << ": " << r.body;
            if (r.status != 200) break;
            auto body = r.Json().as_object();
            for (const auto& item : body.at("items").as_array()) out.push_back(item.as_object());
            if (body.at("next_cursor").is_null()) break;
            cursor = std::string(body.at("next_cursor").as_string());
        }
        return out;
    }

    static std::string IdOf(const std::vector<json::object>& items, const std::string& name) {
        for (const auto& item : items) {
            if (item.at("name").as_string() == name) return std::string(item.at("id").as_string());
        }
        ADD_FAILURE() << "no item named " << name;
        return "";
    }

    static std::string Str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

    std::string DepartmentId(const std::string& name) {
        return IdOf(All(Client().As("admin"), "/api/v1/departments"), name);
    }
};

TEST_P(OrgApi, DemoOrganisationIsThere) {
    auto admin = Client().As("admin");
    auto departments = All(admin, "/api/v1/departments", 5);  // small pages exercise the cursor
    EXPECT_EQ(departments.size(), 16u);
    std::set<std::string> ids;
    for (const auto& d : departments) ids.insert(Str(d, "id"));
    EXPECT_EQ(ids.size(), departments.size()) << "paging repeats nothing";
    std::string production = IdOf(departments, "生产部");
    for (const char* shop : {"焊接一车间", "焊接二车间", "焊接三车间", "喷涂一线", "喷涂二线", "重型吊装区"}) {
        auto it = std::find_if(departments.begin(), departments.end(),
                               [&](const json::object& d) { return d.at("name").as_string() == shop; });
        ASSERT_NE(it, departments.end()) << shop;
        EXPECT_EQ(Str(*it, "parent_id"), production) << shop;
        EXPECT_FALSE(it->at("head_user_id").is_null()) << shop;
    }
    auto users = All(admin, "/api/v1/users");
    size_t active =
        std::count_if(users.begin(), users.end(), [](const auto& u) { return !u.at("disabled").as_bool(); });
    EXPECT_EQ(active, 420u);
    EXPECT_GE(All(admin, "/api/v1/teams").size(), 25u);
    EXPECT_GE(All(admin, "/api/v1/positions").size(), 30u);

    auto leader1 = admin.Get("/api/v1/users?login=leader1").Json().at("items").at(0);
    auto director1 = admin.Get("/api/v1/users?login=director1").Json().at("items").at(0);
    auto welder1 = admin.Get("/api/v1/users?login=welder1").Json().at("items").at(0);
    EXPECT_EQ(Str(leader1, "supervisor_id"), Str(director1, "id"));
    EXPECT_EQ(Str(welder1, "supervisor_id"), Str(leader1, "id"));
    EXPECT_EQ(Str(welder1, "team_id"), Str(leader1, "team_id"));
    EXPECT_EQ(Str(director1, "department_id"), IdOf(departments, "焊接一车间"));
    EXPECT_EQ(welder1.at("effective_roles"), json::array{"worker"});
}

TEST_P(OrgApi, SitesCrud) {
    auto admin = Client().As("admin");
    auto created = admin.Post("/api/v1/sites", json::value{{"name", "诸暨分厂"}, {"address", "浙江省诸暨市"}});
    ASSERT_EQ(created.status, 201) << created.body;
    std::string id = Str(created.Json(), "id");
    auto same_name = admin.Post("/api/v1/sites", json::value{{"name", "诸暨分厂"}});
    EXPECT_EQ(same_name.status, 409);
    EXPECT_EQ(same_name.ErrorCode(), "already_exists");
    auto replay = admin.Post("/api/v1/sites", json::value{{"id", id}, {"name", "诸暨分厂"}});
    EXPECT_EQ(replay.status, 200) << "a create replayed with its id answers the existing record";

    auto renamed = admin.Patch("/api/v1/sites/" + id, json::value{{"name", "诸暨二厂"}});
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_EQ(Str(renamed.Json(), "name"), "诸暨二厂");
    auto sites = All(admin, "/api/v1/sites");
    EXPECT_EQ(sites.size(), 2u);

    std::string demo_site = IdOf(sites, "柯桥生产基地");
    auto in_use = admin.Delete("/api/v1/sites/" + demo_site);
    EXPECT_EQ(in_use.ErrorCode(), "site_not_empty") << in_use.body;
    EXPECT_EQ(in_use.status, 409);
    EXPECT_EQ(admin.Delete("/api/v1/sites/" + id).status, 204);
    EXPECT_EQ(admin.Delete("/api/v1/sites/" + id).status, 404);
}

TEST_P(OrgApi, DepartmentsRefuseCyclesAndDeletingNonEmpty) {
    auto admin = Client().As("admin");
    auto parent = admin.Post("/api/v1/departments", json::value{{"name", "钢构四车间"}, {"sort_order", 37}});
    ASSERT_EQ(parent.status, 201) << parent.body;
    std::string parent_id = Str(parent.Json(), "id");
    EXPECT_FALSE(parent.Json().at("site_id").is_null()) << "a top-level department goes to the first site";
    auto child = admin.Post("/api/v1/departments", json::value{{"name", "四车间一工段"}, {"parent_id", parent_id}});
    ASSERT_EQ(child.status, 201) << child.body;
    std::string child_id = Str(child.Json(), "id");
    EXPECT_EQ(Str(child.Json(), "site_id"), Str(parent.Json(), "site_id"));

    auto sibling = admin.Post("/api/v1/departments", json::value{{"name", "四车间一工段"}, {"parent_id", parent_id}});
    EXPECT_EQ(sibling.status, 409);
    EXPECT_EQ(sibling.ErrorCode(), "already_exists");

    auto under_child = admin.Patch("/api/v1/departments/" + parent_id, json::value{{"parent_id", child_id}});
    EXPECT_EQ(under_child.status, 422);
    EXPECT_EQ(under_child.ErrorCode(), "department_cycle");
    auto under_self = admin.Patch("/api/v1/departments/" + parent_id, json::value{{"parent_id", parent_id}});
    EXPECT_EQ(under_self.ErrorCode(), "department_cycle");

    auto moved = admin.Patch("/api/v1/departments/" + parent_id,
                             json::value{{"parent_id", DepartmentId("生产部")}, {"name", "焊接四车间"}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(Str(moved.Json(), "name"), "焊接四车间");
    auto to_top = admin.Patch("/api/v1/departments/" + parent_id, json::value{{"parent_id", nullptr}});
    ASSERT_EQ(to_top.status, 200) << to_top.body;
    EXPECT_TRUE(to_top.Json().at("parent_id").is_null());

    auto not_empty = admin.Delete("/api/v1/departments/" + parent_id);
    EXPECT_EQ(not_empty.ErrorCode(), "department_not_empty");
    EXPECT_EQ(not_empty.status, 409);
    auto workshop = admin.Delete("/api/v1/departments/" + DepartmentId("焊接一车间"));
    EXPECT_EQ(workshop.ErrorCode(), "department_not_empty");
    EXPECT_EQ(admin.Delete("/api/v1/departments/" + child_id).status, 204);
    EXPECT_EQ(admin.Delete("/api/v1/departments/" + parent_id).status, 204);

    auto missing_name = admin.Post("/api/v1/departments", json::value{{"parent_id", parent_id}});
    EXPECT_EQ(missing_name.status, 422);
    EXPECT_EQ(missing_name.ErrorCode(), "validation_failed");
    EXPECT_TRUE(missing_name.Json().at("error").at("fields").as_object().contains("name"));
    auto unknown_parent = admin.Post("/api/v1/departments", json::value{{"name", "X"}, {"parent_id", parent_id}});
    EXPECT_EQ(unknown_parent.ErrorCode(), "validation_failed") << "the parent was deleted";
}

TEST_P(OrgApi, TeamsAndPositions) {
    auto admin = Client().As("admin");
    std::string shop = DepartmentId("焊接一车间");
    auto team = admin.Post("/api/v1/teams", json::value{{"name", "焊接四班"}, {"department_id", shop}});
    ASSERT_EQ(team.status, 201) << team.body;
    std::string team_id = Str(team.Json(), "id");
    EXPECT_EQ(admin.Post("/api/v1/teams", json::value{{"name", "焊接四班"}, {"department_id", shop}}).ErrorCode(),
              "already_exists");
    auto renamed = admin.Patch("/api/v1/teams/" + team_id, json::value{{"name", "焊接五班"}});
    EXPECT_EQ(Str(renamed.Json(), "name"), "焊接五班");
    auto in_shop = All(admin, "/api/v1/teams?department_id=" + shop);
    EXPECT_EQ(in_shop.size(), 5u);

    std::string leaders_team = Str(admin.Get("/api/v1/users?login=leader1").Json().at("items").at(0), "team_id");
    auto team_in_use = admin.Delete("/api/v1/teams/" + leaders_team);
    EXPECT_EQ(team_in_use.ErrorCode(), "team_not_empty");
    EXPECT_EQ(team_in_use.status, 409);
    EXPECT_EQ(admin.Delete("/api/v1/teams/" + team_id).status, 204);

    auto unknown_role = admin.Post("/api/v1/positions", json::value{{"name", "气割工"}, {"roles", {"boss"}}});
    EXPECT_EQ(unknown_role.status, 422);
    EXPECT_EQ(unknown_role.ErrorCode(), "validation_failed");
    auto position = admin.Post("/api/v1/positions", json::value{{"name", "气割工"}, {"roles", {"worker"}}});
    ASSERT_EQ(position.status, 201) << position.body;
    EXPECT_EQ(position.Json().at("roles"), json::array{"worker"});
    std::string welder_position = Str(admin.Get("/api/v1/users?login=welder1").Json().at("items").at(0), "position_id");
    auto position_in_use = admin.Delete("/api/v1/positions/" + welder_position);
    EXPECT_EQ(position_in_use.ErrorCode(), "position_in_use");
    EXPECT_EQ(position_in_use.status, 409);
    EXPECT_EQ(admin.Delete("/api/v1/positions/" + Str(position.Json(), "id")).status, 204);
}

TEST_P(OrgApi, UsersAreCreatedPatchedDisabledAndReset) {
    auto admin = Client().As("admin");
    auto leader1 = admin.Get("/api/v1/users?login=leader1").Json().at("items").at(0);
    auto welder1 = admin.Get("/api/v1/users?login=welder1").Json().at("items").at(0);
    std::string shop = Str(leader1, "department_id");
    std::string team = Str(leader1, "team_id");
    std::string other_shop = DepartmentId("喷涂一线");

    json::object user{{"login", "new.welder"},
                      {"name", "测试焊工"},
                      {"mobile", "13700000001"},
                      {"employee_no", "T0001"},
                      {"department_id", shop},
                      {"team_id", team},
                      {"supervisor_id", Str(leader1, "id")},
                      {"password", "new-welder-1"}};

    auto bad = user;
    bad["mobile"] = "+8613700000001";
    bad["login"] = "New Welder";
    auto r = admin.Post("/api/v1/users", bad);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.ErrorCode(), "validation_failed");
    auto fields = r.Json().at("error").at("fields").as_object();
    EXPECT_TRUE(fields.contains("mobile"));
    EXPECT_TRUE(fields.contains("login"));

    bad = user;
    bad["login"] = "welder2";
    EXPECT_EQ(admin.Post("/api/v1/users", bad).ErrorCode(), "login_taken");
    bad = user;
    bad["mobile"] = welder1.at("mobile");
    r = admin.Post("/api/v1/users", bad);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.ErrorCode(), "already_exists");
    bad = user;
    bad["department_id"] = other_shop;
    EXPECT_EQ(admin.Post("/api/v1/users", bad).ErrorCode(), "team_not_in_department");
    bad = user;
    bad["roles"] = json::array{"superuser"};
    EXPECT_EQ(admin.Post("/api/v1/users", bad).ErrorCode(), "validation_failed");

    r = admin.Post("/api/v1/users", user);
    ASSERT_EQ(r.status, 201) << r.body;
    auto created = r.Json();
    std::string id = Str(created, "id");
    EXPECT_EQ(Str(created, "mobile"), "13700000001");
    EXPECT_FALSE(created.at("site_id").is_null());
    EXPECT_EQ(created.at("roles"), json::array{"worker"});
    EXPECT_TRUE(created.at("has_password").as_bool());

    auto newcomer = Client();
    newcomer.Login("new.welder", "new-welder-1");
    EXPECT_EQ(newcomer.Get("/api/v1/me").status, 200);

    // leader1 -> new.welder would close the loop new.welder -> leader1.
    r = admin.Patch("/api/v1/users/" + Str(leader1, "id"), json::value{{"supervisor_id", id}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.ErrorCode(), "supervisor_cycle");
    r = admin.Patch("/api/v1/users/" + id, json::value{{"supervisor_id", id}});
    EXPECT_EQ(r.ErrorCode(), "supervisor_cycle");

    // Moving to another department without leaving the team is refused; with the team cleared it works.
    r = admin.Patch("/api/v1/users/" + id, json::value{{"department_id", other_shop}});
    EXPECT_EQ(r.ErrorCode(), "team_not_in_department");
    r = admin.Patch("/api/v1/users/" + id,
                    json::value{{"department_id", other_shop}, {"team_id", nullptr}, {"name", "测试喷漆工"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.Json().at("team_id").is_null());
    EXPECT_EQ(Str(r.Json(), "name"), "测试喷漆工");

    r = admin.Post("/api/v1/users/" + id + "/disable", std::string());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.Json().at("disabled").as_bool());
    EXPECT_EQ(newcomer.Get("/api/v1/me").status, 401) << "disabling ends the sessions";
    auto login =
        Client().Post("/api/v1/auth/login", json::value{{"login", "new.welder"}, {"password", "new-welder-1"}});
    EXPECT_NE(login.status, 200);
    EXPECT_EQ(admin.Post("/api/v1/users/" + id + "/enable", std::string()).status, 200);
    newcomer.Login("new.welder", "new-welder-1");
    EXPECT_EQ(newcomer.Get("/api/v1/me").status, 200);

    r = admin.Post("/api/v1/users/" + id + "/reset-password", json::value{{"password", "short"}});
    EXPECT_EQ(r.ErrorCode(), "validation_failed");
    r = admin.Post("/api/v1/users/" + id + "/reset-password", json::value{{"password", "another-secret-2"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(newcomer.Get("/api/v1/me").status, 401) << "a reset ends the sessions";
    login = Client().Post("/api/v1/auth/login", json::value{{"login", "new.welder"}, {"password", "another-secret-2"}});
    EXPECT_EQ(login.status, 200);

    std::string admin_id = server().UserId("admin");
    EXPECT_EQ(admin.Post("/api/v1/users/" + admin_id + "/disable", std::string()).ErrorCode(), "cannot_disable_self");
    EXPECT_EQ(admin.Patch("/api/v1/users/" + admin_id, json::value{{"roles", {"worker"}}}).ErrorCode(),
              "cannot_demote_self");
}

TEST_P(OrgApi, UsersAreVisibleByDataScope) {
    auto admin = Client().As("admin");
    auto everyone = All(admin, "/api/v1/users");
    EXPECT_GE(everyone.size(), 420u);
    auto leader1 = admin.Get("/api/v1/users?login=leader1").Json().at("items").at(0);
    auto director1 = admin.Get("/api/v1/users?login=director1").Json().at("items").at(0);
    std::string team = Str(leader1, "team_id");

    // A worker sees their team and, outside it, only their supervisor.
    auto welder = Client().As("welder1");
    auto seen = All(welder, "/api/v1/users");
    size_t team_size = std::count_if(everyone.begin(), everyone.end(), [&](const json::object& u) {
        return u.at("team_id").is_string() && u.at("team_id").as_string() == team;
    });
    EXPECT_EQ(seen.size(), team_size);
    for (const auto& u : seen) EXPECT_EQ(Str(u, "team_id"), team) << Str(u, "login");
    EXPECT_EQ(welder.Get("/api/v1/users/" + Str(leader1, "id")).status, 200);
    EXPECT_EQ(welder.Get("/api/v1/users/" + Str(director1, "id")).status, 404);
    EXPECT_EQ(welder.Get("/api/v1/users?login=admin").Json().at("items").as_array().size(), 0u);
    EXPECT_EQ(welder.Get("/api/v1/users?login=leader1").Json().at("items").as_array().size(), 1u);

    // A team leader sees the team plus their own supervisor (director1).
    auto leader = Client().As("leader1");
    EXPECT_EQ(All(leader, "/api/v1/users").size(), team_size + 1);
    EXPECT_EQ(leader.Get("/api/v1/users/" + Str(director1, "id")).status, 200);

    // A workshop director sees the whole workshop (department subtree) and their supervisor.
    auto director = Client().As("director1");
    auto shop = Str(director1, "department_id");
    size_t shop_size = std::count_if(everyone.begin(), everyone.end(), [&](const json::object& u) {
        return u.at("department_id").is_string() && u.at("department_id").as_string() == shop;
    });
    EXPECT_EQ(All(director, "/api/v1/users").size(), shop_size + 1);

    // Filters combine with the scope.
    auto by_q = admin.Get("/api/v1/users?q=" + std::string("welder"));
    EXPECT_EQ(by_q.Json().at("items").as_array().size(), 2u);
    auto by_team = All(admin, "/api/v1/users?team_id=" + team);
    EXPECT_EQ(by_team.size(), team_size);

    // The auditor has no users.read at all.
    EXPECT_EQ(Client().As("auditor").Get("/api/v1/users").status, 403);
}

TEST_P(OrgApi, ImportValidatesTheWholeFileAndWritesAllOrNothing) {
    auto admin = Client().As("admin");
    auto count_users = [&] { return All(admin, "/api/v1/users").size(); };
    auto count_departments = [&] { return All(admin, "/api/v1/departments").size(); };
    const size_t users_before = count_users();
    const size_t departments_before = count_departments();
    std::string leader1_no = Str(admin.Get("/api/v1/users?login=leader1").Json().at("items").at(0), "employee_no");

    json::array good = {
        json::object{{"employee_no", "N001"},
                     {"name", "钱多多"},
                     {"login", "n001"},
                     {"mobile", "13600000001"},
                     {"department", "生产部/焊接四车间"},
                     {"team", "焊接一班"},
                     {"position", "焊工"},
                     {"supervisor_employee_no", "N002"},
                     {"password", "import-pass-1"}},
        json::object{{"employee_no", "N002"},
                     {"name", "孙少少"},
                     {"login", "n002"},
                     {"mobile", "13600000002"},
                     {"department", "生产部/焊接四车间"},
                     {"team", "焊接一班"},
                     {"position", "四车间班长"},
                     {"roles", "班组长"},
                     {"supervisor_employee_no", leader1_no}},
    };

    auto dry = admin.Post("/api/v1/org/import", json::value{{"dry_run", true}, {"rows", good}});
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_TRUE(dry.Json().at("dry_run").as_bool());
    EXPECT_EQ(dry.Json().at("created").at("users").as_int64(), 2);
    EXPECT_EQ(dry.Json().at("created").at("departments").as_int64(), 1);
    EXPECT_EQ(count_users(), users_before) << "a dry run writes nothing";
    EXPECT_EQ(count_departments(), departments_before);

    auto done = admin.Post("/api/v1/org/import", json::value{{"rows", good}});
    ASSERT_EQ(done.status, 200) << done.body;
    auto body = done.Json();
    EXPECT_TRUE(body.at("ok").as_bool());
    EXPECT_FALSE(body.at("dry_run").as_bool());
    EXPECT_EQ(body.at("created").at("users").as_int64(), 2);
    EXPECT_EQ(body.at("created").at("departments").as_int64(), 1);
    EXPECT_EQ(body.at("created").at("teams").as_int64(), 1);
    EXPECT_EQ(body.at("created").at("positions").as_int64(), 1);
    EXPECT_EQ(body.at("updated").at("users").as_int64(), 0);
    EXPECT_EQ(body.at("users_without_password"), json::array{"N002"});
    EXPECT_EQ(count_users(), users_before + 2);
    auto n001 = admin.Get("/api/v1/users?login=n001").Json().at("items").at(0);
    auto n002 = admin.Get("/api/v1/users?login=n002").Json().at("items").at(0);
    EXPECT_EQ(Str(n001, "supervisor_id"), Str(n002, "id"));
    EXPECT_EQ(n002.at("roles"), json::array{"team_leader"});
    EXPECT_EQ(Str(n001, "department_id"), DepartmentId("焊接四车间"));
    EXPECT_EQ(Client().Post("/api/v1/auth/login", json::value{{"login", "n001"}, {"password", "import-pass-1"}}).status,
              200);

    // Matched by employee number: updated, not duplicated.
    json::array update = {good[1]};
    update[0].as_object()["name"] = "孙多多";
    auto updated = admin.Post("/api/v1/org/import", json::value{{"rows", update}});
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(updated.Json().at("updated").at("users").as_int64(), 1);
    EXPECT_EQ(updated.Json().at("created").at("users").as_int64(), 0);
    EXPECT_EQ(Str(admin.Get("/api/v1/users?login=n002").Json().at("items").at(0), "name"), "孙多多");

    // One good row among bad ones: 422 with every problem by row, and nothing written at all.
    json::array bad = {
        json::object{{"employee_no", "N100"},
                     {"name", "好人"},
                     {"login", "n100"},
                     {"mobile", "13600000100"},
                     {"department", "质量部/新工段"},
                     {"position", "新岗位"}},
        json::object{{"employee_no", "N101"},
                     {"name", "重复"},
                     {"login", "n101"},
                     {"mobile", "13600000100"},
                     {"department", "质量部"}},
        json::object{{"employee_no", "N102"},
                     {"name", "坏号"},
                     {"login", "n102"},
                     {"mobile", "1360000"},
                     {"department", "质量部"},
                     {"roles", "老板"}},
        json::object{{"employee_no", "N103"}, {"name", "无部门"}, {"login", "n103"}, {"mobile", "13600000103"}},
        json::object{{"employee_no", "N104"},
                     {"name", "甲"},
                     {"login", "n104"},
                     {"department", "质量部"},
                     {"supervisor_employee_no", "N105"}},
        json::object{{"employee_no", "N105"},
                     {"name", "乙"},
                     {"login", "n105"},
                     {"department", "质量部"},
                     {"supervisor_employee_no", "N104"}},
        json::object{{"employee_no", "N106"}, {"name", "占用"}, {"login", "welder1"}, {"department", "质量部"}},
    };
    auto refused = admin.Post("/api/v1/org/import", json::value{{"rows", bad}});
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "import_invalid");
    std::set<std::string> problems;
    const auto refusal = refused.Json();
    for (const auto& e : refusal.at("error").at("rows").as_array()) {
        problems.insert(std::to_string(e.at("row").as_int64()) + ":" + Str(e, "field") + ":" + Str(e, "code"));
    }
    for (const char* expected :
         {"1:mobile:duplicate", "2:mobile:duplicate", "3:mobile:invalid_mobile", "3:roles:unknown_role",
          "4:department:required", "5:supervisor_employee_no:supervisor_cycle",
          "6:supervisor_employee_no:supervisor_cycle", "7:login:login_taken"}) {
        EXPECT_EQ(problems.count(expected), 1u) << expected << " in " << refused.body;
    }
    EXPECT_EQ(count_users(), users_before + 2) << "nothing from the bad file";
    EXPECT_EQ(count_departments(), departments_before + 1);
    EXPECT_EQ(admin.Get("/api/v1/users?login=n100").Json().at("items").as_array().size(), 0u);

    // Shape problems are plain validation errors; other roles may not import.
    EXPECT_EQ(admin.Post("/api/v1/org/import", json::value{{"rows", json::array{}}}).ErrorCode(), "validation_failed");
    EXPECT_EQ(admin.Post("/api/v1/org/import", json::value{{"rows", "x"}}).ErrorCode(), "validation_failed");
    EXPECT_EQ(Client().As("safety").Post("/api/v1/org/import", json::value{{"rows", good}}).status, 403);
}

TEST_P(OrgApi, TenantIsReadableByAllAndEditableWithSettingsWrite) {
    auto welder = Client().As("welder1");
    auto r = welder.Get("/api/v1/tenant");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(Str(r.Json(), "name").find("恒钢"), std::string::npos);
    EXPECT_EQ(Str(r.Json(), "code"), "demo");
    EXPECT_EQ(welder.Patch("/api/v1/tenant", json::value{{"name", "X"}}).status, 403);

    auto admin = Client().As("admin");
    r = admin.Patch("/api/v1/tenant", json::value{{"name", "绍兴恒钢钢构股份有限公司"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Str(r.Json(), "name"), "绍兴恒钢钢构股份有限公司");
    EXPECT_EQ(admin.Patch("/api/v1/tenant", json::value{{"logo_file_id", "not-a-file"}}).ErrorCode(),
              "validation_failed");
    std::string logo(64, 'a');
    r = admin.Patch("/api/v1/tenant", json::value{{"logo_file_id", logo}});
    EXPECT_EQ(Str(r.Json(), "logo_file_id"), logo);
    r = admin.Patch("/api/v1/tenant", json::value{{"logo_file_id", nullptr}});
    EXPECT_TRUE(r.Json().at("logo_file_id").is_null());
}

TEST_P(OrgApi, BadQueriesAndIdsGetTheirCodes) {
    auto admin = Client().As("admin");
    EXPECT_EQ(admin.Get("/api/v1/users?limit=0").ErrorCode(), "invalid_query");
    EXPECT_EQ(admin.Get("/api/v1/users?limit=abc").status, 400);
    EXPECT_EQ(admin.Get("/api/v1/users?cursor=zz").ErrorCode(), "invalid_query");
    EXPECT_EQ(admin.Get("/api/v1/departments?cursor=00").ErrorCode(), "invalid_query");
    EXPECT_EQ(admin.Get("/api/v1/users?department_id=nope").ErrorCode(), "invalid_query");
    EXPECT_EQ(admin.Get("/api/v1/users/not-a-uuid").status, 404);
    EXPECT_EQ(admin.Get("/api/v1/users?limit=5000").Json().at("items").as_array().size(), 426u) << "clamped to 1000";
    EXPECT_EQ(admin.Patch("/api/v1/teams/01890000-0000-7000-8000-000000000000", json::value{{"name", "x"}}).status,
              404);
    EXPECT_EQ(admin.Request("POST", "/api/v1/sites", "{\"name\":").ErrorCode(), "malformed_json");
    EXPECT_EQ(
        admin.Patch("/api/v1/users/" + server().UserId("welder1"), json::value{{"password", "x-secret-1"}}).ErrorCode(),
        "validation_failed");
}

SAFELOOP_BOTH_BACKENDS(OrgApi);

}  // namespace
}  // namespace safeloop::testing
