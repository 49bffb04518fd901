// The demo tenant, seeded into a fresh SQLite file: the named accounts of CONTRACT.md, about 420 people
// with distinct names, mobiles and logins, a supervisor for everyone but the top, and the same demo on
// every run. (The API suites seed it on PostgreSQL too, for every test.)

#include "modules/demo/demo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/crypto.hpp"
#include "db/migrate.hpp"
#include "modules/demo/demo_names.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::demo {
namespace {

TEST(DemoNames, NamesAndMobilesAreDistinctAndDeterministic) {
    DemoRng a(7);
    DemoRng b(7);
    NameGenerator names_a(a);
    NameGenerator names_b(b);
    MobileGenerator mobiles_a(a);
    MobileGenerator mobiles_b(b);
    std::set<std::string> names;
    std::set<std::string> mobiles;
    for (int i = 0; i < 1000; ++i) {
        std::string name = names_a.Next(i % 5 != 0);
        EXPECT_EQ(name, names_b.Next(i % 5 != 0));
        EXPECT_TRUE(name.size() == 6 || name.size() == 9) << name;  // 2 or 3 CJK characters of 3 bytes
        names.insert(name);
        std::string mobile = mobiles_a.Next();
        EXPECT_EQ(mobile, mobiles_b.Next());
        EXPECT_TRUE(org::IsValidMobile(mobile)) << mobile;
        EXPECT_TRUE(mobile.rfind("13", 0) == 0 || mobile.rfind("15", 0) == 0 || mobile.rfind("18", 0) == 0);
        mobiles.insert(mobile);
    }
    EXPECT_EQ(names.size(), 1000u);
    EXPECT_EQ(mobiles.size(), 1000u);
}

TEST(DemoNames, ReservedNamesAreNeverHandedOut) {
    DemoRng rng(1);
    NameGenerator names(rng);
    DemoRng probe(1);
    NameGenerator first(probe);
    std::string would_be = first.Next(true);
    names.Reserve(would_be);
    for (int i = 0; i < 200; ++i) EXPECT_NE(names.Next(true), would_be);
}

class DemoSeed : public ::testing::Test {
protected:
    static void SetUpTestSuite() { InitCrypto(); }

    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("safeloop-demo-test-" + HexEncode(RandomBytes(6)));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<db::Connection> Fresh(const std::string& name) {
        auto conn = db::Connect("sqlite:" + (dir_ / name).string());
        db::Migrate(*conn, db::EmbeddedMigrations());
        return conn;
    }

    std::filesystem::path dir_;
};

TEST_F(DemoSeed, CreatesThePlantWithItsNamedAccounts) {
    auto conn = Fresh("demo.db");
    ManualClock clock(FromUnixMillis(1'780'000'000'000));  // 2026-05-28
    SeedDemo(*conn, clock);

    auto tenant = org::OrgStore::FindTenantByCode(*conn, "demo");
    ASSERT_TRUE(tenant);
    EXPECT_EQ(tenant->name, "绍兴恒钢钢结构制造有限公司");
    auto users = org::OrgStore::AllUsers(*conn, tenant->id);
    std::map<std::string, org::User> by_login;
    std::set<std::string> mobiles;
    std::set<std::string> names;
    std::set<std::string> employee_nos;
    size_t active = 0;
    for (const auto& u : users) {
        by_login[u.login] = u;
        mobiles.insert(u.mobile);
        names.insert(u.name);
        employee_nos.insert(u.employee_no.value_or(""));
        EXPECT_TRUE(org::IsValidMobile(u.mobile)) << u.mobile;
        EXPECT_TRUE(org::IsValidLogin(u.login)) << u.login;
        EXPECT_TRUE(u.has_password) << u.login;
        EXPECT_TRUE(u.department_id) << u.login;
        EXPECT_TRUE(u.position_id) << u.login;
        if (!u.disabled) ++active;
        if (u.login != "gm" && u.login != "auditor") {
            EXPECT_TRUE(u.supervisor_id) << u.login;
        }
        // Joined within the 12 months before now.
        EXPECT_LE(u.created_at, ToUnixMillis(clock.Now()));
        EXPECT_GE(u.created_at, ToUnixMillis(clock.Now()) - 366LL * 24 * 3600 * 1000);
    }
    EXPECT_EQ(active, 420u);
    EXPECT_EQ(mobiles.size(), users.size());
    EXPECT_EQ(names.size(), users.size());
    EXPECT_EQ(employee_nos.size(), users.size());

    auto roles = [&](const std::string& login) { return org::EffectiveRoles(by_login.at(login)); };
    auto has = [&](const std::string& login, const std::string& role) {
        auto r = roles(login);
        return std::find(r.begin(), r.end(), role) != r.end();
    };
    EXPECT_TRUE(has("admin", "admin"));
    EXPECT_TRUE(has("safety", "safety_officer"));
    EXPECT_TRUE(has("leader1", "team_leader"));
    EXPECT_TRUE(has("director1", "dept_head"));
    EXPECT_TRUE(has("vp", "vp"));
    EXPECT_TRUE(has("welder1", "worker"));
    EXPECT_TRUE(has("welder2", "worker"));
    EXPECT_EQ(roles("auditor"), std::vector<std::string>{"auditor"});

    const auto& leader1 = by_login.at("leader1");
    EXPECT_EQ(leader1.supervisor_id, by_login.at("director1").id);
    EXPECT_EQ(by_login.at("welder1").supervisor_id, leader1.id);
    EXPECT_EQ(by_login.at("welder2").supervisor_id, leader1.id);
    EXPECT_EQ(by_login.at("welder1").team_id, leader1.team_id);
    EXPECT_EQ(by_login.at("director1").department_id, leader1.department_id);
    EXPECT_EQ(by_login.at("vp").supervisor_id, by_login.at("gm").id);

    auto team = org::OrgStore::FindTeam(*conn, tenant->id, *leader1.team_id);
    ASSERT_TRUE(team);
    EXPECT_EQ(team->leader_user_id, leader1.id);
    auto shop = org::OrgStore::FindDepartment(*conn, tenant->id, *leader1.department_id);
    ASSERT_TRUE(shop);
    EXPECT_EQ(shop->name, "焊接一车间");
    EXPECT_EQ(shop->head_user_id, by_login.at("director1").id);
    auto safety_department = org::OrgStore::FindDepartment(*conn, tenant->id, *by_login.at("safety").department_id);
    EXPECT_EQ(safety_department->name, "安全环保部");

    // No supervisor loops.
    auto links = org::OrgStore::SupervisorLinks(*conn, tenant->id);
    for (const auto& [id, supervisor] : links) EXPECT_FALSE(org::CreatesCycle(links, id, supervisor)) << id;

    EXPECT_THROW(SeedDemo(*conn, clock), std::runtime_error) << "a second demo tenant is refused";
}

TEST_F(DemoSeed, IsTheSameDemoEveryTime) {
    ManualClock clock(FromUnixMillis(1'780'000'000'000));
    auto first = Fresh("a.db");
    auto second = Fresh("b.db");
    SeedDemo(*first, clock);
    SeedDemo(*second, clock);
    auto people = [](db::Connection& conn) {
        auto tenant = org::OrgStore::FindTenantByCode(conn, "demo");
        std::map<std::string, std::string> out;
        for (const auto& u : org::OrgStore::AllUsers(conn, tenant->id)) out[u.login] = u.name + " " + u.mobile;
        return out;
    };
    EXPECT_EQ(people(*first), people(*second));
}

TEST_F(DemoSeed, RunsTheFeaturesSeedersInOrderInsideItsTransaction) {
    // The demo names no feature: the composition root hands it each module's seeder (app::SeedDemo).
    ManualClock clock(FromUnixMillis(1'780'000'000'000));
    auto conn = Fresh("features.db");
    std::vector<std::string> calls;
    auto seeder = [&calls](const std::string& name) {
        return [&calls, name](DemoContext& ctx) {
            EXPECT_TRUE(ctx.conn.InTransaction());
            EXPECT_EQ(ctx.org.User("welder1").name, "张伟") << "the organisation exists before the features";
            EXPECT_EQ(ctx.options.now, FromUnixMillis(1'780'000'000'000));
            calls.push_back(name);
        };
    };
    SeedDemo(*conn, clock, {seeder("first"), seeder("second")});
    EXPECT_EQ(calls, (std::vector<std::string>{"first", "second"}));

    // A seeder that throws leaves nothing behind: the whole demo is one transaction.
    auto other = Fresh("failing.db");
    EXPECT_THROW(SeedDemo(*other, clock, {[](DemoContext&) { throw std::runtime_error("feature failed"); }}),
                 std::runtime_error);
    EXPECT_FALSE(org::OrgStore::FindTenantByCode(*other, "demo").has_value());
}

}  // namespace
}  // namespace safeloop::demo
