#include "modules/org/org_directory_store.hpp"

#include "modules/auth/roles.hpp"

namespace safeloop::org::directory_store {

namespace {

// $1 tenant, $2 LIKE pattern for the role key.
constexpr std::string_view kUsersMentioningRole =
    "SELECT u.id, u.tenant_id, u.login, u.name, u.mobile, u.department_id, u.team_id, u.position_id, "
    "u.supervisor_id, u.roles, COALESCE(p.roles, '') "
    "FROM users u LEFT JOIN positions p ON p.id = u.position_id "
    "WHERE u.tenant_id = $1 AND u.disabled = 0 AND (u.roles LIKE $2 OR p.roles LIKE $2) "
    "ORDER BY u.created_at, u.id";

// $1 tenant, $2 the top department.
constexpr std::string_view kDepartmentSubtree =
    "WITH RECURSIVE subtree(id) AS ("
    "  SELECT id FROM departments WHERE tenant_id = $1 AND id = $2"
    "  UNION SELECT d.id FROM departments d JOIN subtree s ON d.parent_id = s.id WHERE d.tenant_id = $1) "
    "SELECT id FROM subtree";

// $1 tenant, then an IN list of user ids (db::InList).
constexpr std::string_view kUserNamesIn = "SELECT id, name FROM users WHERE tenant_id = $1 AND id IN ";

constexpr std::string_view kUserMobile = "SELECT mobile FROM users WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDepartmentNames = "SELECT id, name FROM departments WHERE tenant_id = $1";

std::vector<std::string> Roles(const std::string& text) { return auth::ParseRoles(text).roles; }

}  // namespace

std::vector<User> ActiveUsersMentioningRole(db::Connection& conn, const std::string& tenant_id,
                                            const std::string& role) {
    std::vector<User> out;
    for (const auto& r : conn.Query(kUsersMentioningRole, {tenant_id, "%" + role + "%"})) {
        User u;
        u.id = r.Text(0);
        u.tenant_id = r.Text(1);
        u.login = r.Text(2);
        u.name = r.Text(3);
        u.mobile = r.Text(4);
        u.department_id = r.OptText(5);
        u.team_id = r.OptText(6);
        u.position_id = r.OptText(7);
        u.supervisor_id = r.OptText(8);
        u.roles = Roles(r.Text(9));
        u.position_roles = Roles(r.Text(10));
        out.push_back(std::move(u));
    }
    return out;
}

std::vector<std::string> DepartmentSubtree(db::Connection& conn, const std::string& tenant_id,
                                           const std::string& department_id) {
    std::vector<std::string> out;
    for (const auto& r : conn.Query(kDepartmentSubtree, {tenant_id, department_id})) out.push_back(r.Text(0));
    return out;
}

std::vector<std::pair<std::string, std::string>> UserNames(db::Connection& conn, const std::string& tenant_id,
                                                           const std::vector<std::string>& ids) {
    std::vector<std::pair<std::string, std::string>> out;
    if (ids.empty()) return out;
    db::Params params{tenant_id};
    const std::string sql = std::string(kUserNamesIn) + db::InList(ids, params);
    for (const auto& r : conn.Query(sql, params)) out.emplace_back(r.Text(0), r.Text(1));
    return out;
}

std::optional<std::string> UserMobile(db::Connection& conn, const std::string& tenant_id, const std::string& user_id) {
    auto row = conn.QueryOne(kUserMobile, {tenant_id, user_id});
    if (!row) return std::nullopt;
    return row->Text(0);
}

std::vector<std::pair<std::string, std::string>> DepartmentNames(db::Connection& conn, const std::string& tenant_id) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : conn.Query(kDepartmentNames, {tenant_id})) out.emplace_back(r.Text(0), r.Text(1));
    return out;
}

}  // namespace safeloop::org::directory_store
