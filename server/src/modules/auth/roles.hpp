#pragma once

// The role catalog: which permissions and which data scope each built-in role carries. Every route
// names one permission (api/router.hpp); a user holds the union of their roles' permissions and the
// widest of their scopes. The permissions and their grants are declared by the modules that own them.

#include "api/context.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::auth {

// Auth's own permission: the platform's, owned by no feature. Every module declares its own permissions, and the
// roles that hold them, in its <module>_permissions.hpp (hazards::perm::kRead, org::perm::kUsersRead, …);
// roles.cpp gathers them, one line per module.
namespace perm {
inline constexpr std::string_view kTestClock = "test.clock";  // move the manual clock (tests and demos)
}  // namespace perm

// Role keys.
namespace role {
inline constexpr std::string_view kAdmin = "admin";
inline constexpr std::string_view kSafetyOfficer = "safety_officer";
inline constexpr std::string_view kDeptHead = "dept_head";
inline constexpr std::string_view kTeamLeader = "team_leader";
inline constexpr std::string_view kWorker = "worker";
inline constexpr std::string_view kVp = "vp";
inline constexpr std::string_view kAuditor = "auditor";
}  // namespace role

// A permission a module declares and the built-in roles (by key) that hold it. Each module lists its own in
// its public <module>_permissions.hpp and names that list in its modules::Module (modules/module.hpp).
struct Grant {
    std::string_view permission;
    std::vector<std::string_view> roles;
};

// Every feature module's grants, in the order the modules are listed. Defined by the composition root
// (app/modules.cpp), which reads them from the modules' own declarations: auth never names a feature, and a new
// module's permissions need no line here.
std::vector<const std::vector<Grant>*> ModuleGrants();

struct RoleInfo {
    std::string_view key;
    std::string_view name_zh;
    std::string_view name_en;
    api::Scope scope;
    std::vector<std::string_view> permissions;
};

const std::vector<RoleInfo>& RoleCatalog();
const std::vector<std::string_view>& AllPermissions();
bool IsKnownRole(std::string_view key);
std::set<std::string, std::less<>> PermissionsFor(const std::vector<std::string>& roles);
api::Scope ScopeFor(const std::vector<std::string>& roles);

// Roles are stored as a comma-separated list; parsing accepts ",", "，", "、" and spaces, and
// Chinese role names as well as keys. Unknown names are returned in `unknown`.
struct ParsedRoles {
    std::vector<std::string> roles;
    std::vector<std::string> unknown;
};
ParsedRoles ParseRoles(std::string_view text);
std::string JoinRoles(const std::vector<std::string>& roles);

}  // namespace safeloop::auth
