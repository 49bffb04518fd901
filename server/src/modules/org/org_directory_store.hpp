#pragma once

// The SQL behind org_directory.hpp (org_directory_store.cpp).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/db.hpp"
#include "modules/org/org_types.hpp"

namespace safeloop::org::directory_store {

// Active users whose own or position roles text mentions `role` (callers check the exact key).
std::vector<User> ActiveUsersMentioningRole(db::Connection& conn, const std::string& tenant_id,
                                            const std::string& role);
std::vector<std::string> DepartmentSubtree(db::Connection& conn, const std::string& tenant_id,
                                           const std::string& department_id);
std::vector<std::pair<std::string, std::string>> UserNames(db::Connection& conn, const std::string& tenant_id,
                                                           const std::vector<std::string>& ids);
std::optional<std::string> UserMobile(db::Connection& conn, const std::string& tenant_id, const std::string& user_id);
std::vector<std::pair<std::string, std::string>> DepartmentNames(db::Connection& conn, const std::string& tenant_id);

}  // namespace safeloop::org::directory_store
