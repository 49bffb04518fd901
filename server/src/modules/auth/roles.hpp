#pragma once

// The role catalog: which permissions and which data scope each built-in role carries. Every route
// names one permission (api/router.hpp); a user holds the union of their roles' permissions and the
// widest of their scopes.

#include "api/context.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::auth {

// Permission strings. A module adds its own here so the catalog stays in one place.
namespace perm {
inline constexpr std::string_view kOrgRead = "org.read";
inline constexpr std::string_view kOrgWrite = "org.write";
inline constexpr std::string_view kOrgImport = "org.import";
inline constexpr std::string_view kUsersRead = "users.read";
inline constexpr std::string_view kUsersWrite = "users.write";
inline constexpr std::string_view kSettingsRead = "settings.read";
inline constexpr std::string_view kSettingsWrite = "settings.write";
inline constexpr std::string_view kAuditRead = "audit.read";
inline constexpr std::string_view kFilesRead = "files.read";
inline constexpr std::string_view kFilesWrite = "files.write";
inline constexpr std::string_view kTestClock = "test.clock";
inline constexpr std::string_view kOutboxRead = "outbox.read";  // the outbound message delivery log
// Hazard closed loop (issue 4; modules/hazards).
inline constexpr std::string_view kHazardsReport = "hazards.report";        // report a hazard (everyone)
inline constexpr std::string_view kHazardsRead = "hazards.read";            // see hazards within the data scope
inline constexpr std::string_view kHazardsHandle = "hazards.handle";        // accept, rectify, ask for more time
inline constexpr std::string_view kHazardsAssign = "hazards.assign";        // assign, reassign, decide extensions
inline constexpr std::string_view kHazardsVerify = "hazards.verify";        // verify rectifications
inline constexpr std::string_view kHazardsConfigure = "hazards.configure";  // deadlines, escalation, evidence
inline constexpr std::string_view kHazardsMetrics = "hazards.metrics";      // closure and penetration metrics
inline constexpr std::string_view kWorkOrdersRead = "work_orders.read";     // cross-department work orders
inline constexpr std::string_view kWorkOrdersClose = "work_orders.close";
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
