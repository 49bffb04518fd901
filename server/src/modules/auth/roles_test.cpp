// The role -> permission table, written out by hand: the grants each built-in role carries must not change
// when modules declare their own permissions (issue 13). A changed grant is a product decision, made here
// on purpose, never a side effect.

#include "modules/auth/roles.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace safeloop::auth {
namespace {

using Set = std::set<std::string>;

Set Of(const std::vector<std::string_view>& v) { return Set(v.begin(), v.end()); }

TEST(Roles, EveryRoleCarriesExactlyTheGrantsOfTheTable) {
    const Set hazards_all = {"hazards.report",  "hazards.read",     "hazards.handle",
                             "hazards.assign",  "hazards.verify",   "hazards.configure",
                             "hazards.metrics", "work_orders.read", "work_orders.close"};
    const std::map<std::string, Set> expected = {
        {"admin",
         [&] {
             Set s = {"org.read",       "org.write",  "org.import", "users.read",  "users.write", "settings.read",
                      "settings.write", "audit.read", "files.read", "files.write", "test.clock",  "outbox.read"};
             s.insert(hazards_all.begin(), hazards_all.end());
             return s;
         }()},
        {"safety_officer",
         {"org.read", "users.read", "audit.read", "settings.read", "files.read", "files.write", "outbox.read",
          "hazards.report", "hazards.read", "hazards.handle", "hazards.assign", "hazards.verify", "hazards.metrics",
          "work_orders.read", "work_orders.close"}},
        {"vp",
         {"org.read", "users.read", "audit.read", "settings.read", "files.read", "files.write", "hazards.report",
          "hazards.read", "hazards.handle", "hazards.assign", "hazards.metrics", "work_orders.read",
          "work_orders.close"}},
        {"dept_head",
         {"org.read", "users.read", "files.read", "files.write", "hazards.report", "hazards.read", "hazards.handle",
          "hazards.assign", "hazards.metrics", "work_orders.read", "work_orders.close"}},
        {"team_leader",
         {"org.read", "users.read", "files.read", "files.write", "hazards.report", "hazards.read", "hazards.handle",
          "hazards.assign", "work_orders.read"}},
        {"worker", {"users.read", "files.read", "files.write", "hazards.report", "hazards.read", "hazards.handle"}},
        {"auditor", {"files.read", "files.write", "hazards.report", "hazards.read"}},
    };
    std::map<std::string, Set> actual;
    for (const auto& role : RoleCatalog()) {
        Set granted = Of(role.permissions);
        EXPECT_EQ(granted.size(), role.permissions.size()) << role.key << " lists a permission twice";
        actual.emplace(std::string(role.key), std::move(granted));
        const auto held = PermissionsFor({std::string(role.key)});
        EXPECT_EQ(Set(held.begin(), held.end()), actual.at(std::string(role.key))) << role.key;
    }
    EXPECT_EQ(actual, expected);
    // The catalog of permissions is exactly the administrator's, each once.
    EXPECT_EQ(Of(AllPermissions()), expected.at("admin"));
    EXPECT_EQ(AllPermissions().size(), expected.at("admin").size());
}

TEST(Roles, ScopesAreThoseOfTheTable) {
    const std::map<std::string, api::Scope> expected = {
        {"admin", api::Scope::kTenant},         {"safety_officer", api::Scope::kTenant}, {"vp", api::Scope::kTenant},
        {"dept_head", api::Scope::kDepartment}, {"team_leader", api::Scope::kTeam},      {"worker", api::Scope::kTeam},
        {"auditor", api::Scope::kSelf}};
    std::map<std::string, api::Scope> actual;
    for (const auto& role : RoleCatalog()) actual.emplace(std::string(role.key), role.scope);
    EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace safeloop::auth
