#include "modules/org/org_directory.hpp"

#include <algorithm>
#include <set>

#include "modules/org/org_directory_store.hpp"

namespace safeloop::org {

std::vector<User> ActiveUsersWithRole(db::Connection& conn, const std::string& tenant_id, std::string_view role) {
    auto candidates = directory_store::ActiveUsersMentioningRole(conn, tenant_id, std::string(role));
    std::vector<User> out;
    for (auto& u : candidates) {
        auto roles = EffectiveRoles(u);
        if (std::find(roles.begin(), roles.end(), role) != roles.end()) out.push_back(std::move(u));
    }
    return out;
}

std::vector<std::string> DepartmentSubtree(db::Connection& conn, const std::string& tenant_id,
                                           const std::string& department_id) {
    return directory_store::DepartmentSubtree(conn, tenant_id, department_id);
}

std::map<std::string, std::string> UserNames(db::Connection& conn, const std::string& tenant_id,
                                             const std::vector<std::string>& ids) {
    std::set<std::string> unique(ids.begin(), ids.end());
    std::map<std::string, std::string> out;
    for (auto& [id, name] : directory_store::UserNames(conn, tenant_id, {unique.begin(), unique.end()})) {
        out.emplace(std::move(id), std::move(name));
    }
    return out;
}

std::optional<std::string> UserMobile(db::Connection& conn, const std::string& tenant_id, const std::string& user_id) {
    return directory_store::UserMobile(conn, tenant_id, user_id);
}

std::map<std::string, std::string> DepartmentNames(db::Connection& conn, const std::string& tenant_id) {
    std::map<std::string, std::string> out;
    for (auto& [id, name] : directory_store::DepartmentNames(conn, tenant_id))
        out.emplace(std::move(id), std::move(name));
    return out;
}

}  // namespace safeloop::org
