#pragma once

// Reads of the organisation that other modules need and org_service / OrgStore do not offer: people
// holding a role, a department's subtree, display names for a set of user ids, a user's mobile number. Read-only; no
// audit.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/db.hpp"
#include "modules/org/org_types.hpp"

namespace safeloop::org {

// Active users of the tenant holding `role` through their own roles or their position's, oldest first.
std::vector<User> ActiveUsersWithRole(db::Connection& conn, const std::string& tenant_id, std::string_view role);

// The department and every department under it (ids); empty when the tenant has no such department.
std::vector<std::string> DepartmentSubtree(db::Connection& conn, const std::string& tenant_id,
                                           const std::string& department_id);

// id -> name for the given users of the tenant (unknown ids are left out).
std::map<std::string, std::string> UserNames(db::Connection& conn, const std::string& tenant_id,
                                             const std::vector<std::string>& ids);

// The user's mobile number; nullopt when the tenant has no such user.
std::optional<std::string> UserMobile(db::Connection& conn, const std::string& tenant_id, const std::string& user_id);

// id -> name of every department of the tenant.
std::map<std::string, std::string> DepartmentNames(db::Connection& conn, const std::string& tenant_id);

}  // namespace safeloop::org
