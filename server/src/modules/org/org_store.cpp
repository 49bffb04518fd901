#include "modules/org/org_store.hpp"

#include "modules/auth/roles.hpp"

namespace safeloop::org {

namespace {

// ---- Tenant ----

constexpr std::string_view kFindTenant = "SELECT id, name, code, logo_file_id, created_at FROM tenants WHERE id = $1";
constexpr std::string_view kFindTenantByCode =
    "SELECT id, name, code, logo_file_id, created_at FROM tenants WHERE code = $1";
constexpr std::string_view kInsertTenant =
    "INSERT INTO tenants (id, name, code, logo_file_id, created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kUpdateTenant = "UPDATE tenants SET name = $2, logo_file_id = $3 WHERE id = $1";

// ---- Sites ----

constexpr std::string_view kListSites =
    "SELECT id, tenant_id, name, address, created_at FROM sites "
    "WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR id < $2) ORDER BY id DESC LIMIT $3";
constexpr std::string_view kFindSite =
    "SELECT id, tenant_id, name, address, created_at FROM sites WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kFirstSite =
    "SELECT id, tenant_id, name, address, created_at FROM sites WHERE tenant_id = $1 "
    "ORDER BY created_at, id LIMIT 1";
constexpr std::string_view kInsertSite =
    "INSERT INTO sites (id, tenant_id, name, address, created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kUpdateSite = "UPDATE sites SET name = $3, address = $4 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDeleteSite = "DELETE FROM sites WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSiteInUse =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM departments WHERE tenant_id = $1 AND site_id = $2) "
    "OR EXISTS (SELECT 1 FROM users WHERE tenant_id = $1 AND site_id = $2)";

// ---- Departments ----

constexpr std::string_view kListDepartments =
    "SELECT id, tenant_id, site_id, parent_id, name, head_user_id, sort_order, created_at FROM departments "
    "WHERE tenant_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR sort_order > $2 OR (sort_order = $2 AND id > $3)) "
    "ORDER BY sort_order, id LIMIT $4";
constexpr std::string_view kAllDepartments =
    "SELECT id, tenant_id, site_id, parent_id, name, head_user_id, sort_order, created_at FROM departments "
    "WHERE tenant_id = $1 ORDER BY sort_order, id";
constexpr std::string_view kFindDepartment =
    "SELECT id, tenant_id, site_id, parent_id, name, head_user_id, sort_order, created_at FROM departments "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDepartmentNameTaken =
    "SELECT 1 FROM departments WHERE tenant_id = $1 AND name = $3 AND id <> $4 "
    "AND ((CAST($2 AS TEXT) IS NULL AND parent_id IS NULL) OR parent_id = $2) LIMIT 1";
constexpr std::string_view kInsertDepartment =
    "INSERT INTO departments (id, tenant_id, site_id, parent_id, name, head_user_id, sort_order, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kUpdateDepartment =
    "UPDATE departments SET site_id = $3, parent_id = $4, name = $5, head_user_id = $6, sort_order = $7 "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDeleteDepartment = "DELETE FROM departments WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDepartmentInUse =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM departments WHERE tenant_id = $1 AND parent_id = $2) "
    "OR EXISTS (SELECT 1 FROM teams WHERE tenant_id = $1 AND department_id = $2) "
    "OR EXISTS (SELECT 1 FROM users WHERE tenant_id = $1 AND department_id = $2)";
constexpr std::string_view kDepartmentLinks = "SELECT id, parent_id FROM departments WHERE tenant_id = $1";
// UNION (not UNION ALL) stops at a department already seen, so even a damaged tree terminates.
constexpr std::string_view kMoveSubtreeDepartmentsToSite =
    "WITH RECURSIVE subtree(id) AS ("
    "  SELECT id FROM departments WHERE tenant_id = $1 AND id = $2"
    "  UNION SELECT d.id FROM departments d JOIN subtree s ON d.parent_id = s.id WHERE d.tenant_id = $1) "
    "UPDATE departments SET site_id = $3 WHERE tenant_id = $1 AND id IN (SELECT id FROM subtree)";
constexpr std::string_view kMoveSubtreeUsersToSite =
    "WITH RECURSIVE subtree(id) AS ("
    "  SELECT id FROM departments WHERE tenant_id = $1 AND id = $2"
    "  UNION SELECT d.id FROM departments d JOIN subtree s ON d.parent_id = s.id WHERE d.tenant_id = $1) "
    "UPDATE users SET site_id = $3, updated_at = $4 WHERE tenant_id = $1 AND department_id IN (SELECT id FROM subtree)";

// ---- Teams ----

constexpr std::string_view kListTeams =
    "SELECT id, tenant_id, department_id, name, leader_user_id, created_at FROM teams "
    "WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR department_id = $2) "
    "AND (CAST($3 AS TEXT) IS NULL OR id < $3) ORDER BY id DESC LIMIT $4";
constexpr std::string_view kAllTeams =
    "SELECT id, tenant_id, department_id, name, leader_user_id, created_at FROM teams WHERE tenant_id = $1 "
    "ORDER BY id";
constexpr std::string_view kFindTeam =
    "SELECT id, tenant_id, department_id, name, leader_user_id, created_at FROM teams WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kInsertTeam =
    "INSERT INTO teams (id, tenant_id, department_id, name, leader_user_id, created_at) VALUES ($1, $2, $3, $4, $5, "
    "$6)";
constexpr std::string_view kUpdateTeam =
    "UPDATE teams SET department_id = $3, name = $4, leader_user_id = $5 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDeleteTeam = "DELETE FROM teams WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kTeamInUse = "SELECT 1 FROM users WHERE tenant_id = $1 AND team_id = $2 LIMIT 1";
constexpr std::string_view kMoveTeamMembers =
    "UPDATE users SET department_id = $3, site_id = $4, updated_at = $5 WHERE tenant_id = $1 AND team_id = $2";

// ---- Positions ----

constexpr std::string_view kListPositions =
    "SELECT id, tenant_id, name, roles, created_at FROM positions "
    "WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR id < $2) ORDER BY id DESC LIMIT $3";
constexpr std::string_view kAllPositions =
    "SELECT id, tenant_id, name, roles, created_at FROM positions WHERE tenant_id = $1 ORDER BY id";
constexpr std::string_view kFindPosition =
    "SELECT id, tenant_id, name, roles, created_at FROM positions WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kInsertPosition =
    "INSERT INTO positions (id, tenant_id, name, roles, created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kUpdatePosition =
    "UPDATE positions SET name = $3, roles = $4 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDeletePosition = "DELETE FROM positions WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kPositionInUse = "SELECT 1 FROM users WHERE tenant_id = $1 AND position_id = $2 LIMIT 1";

// ---- Users ----

// Columns read by ReadUser, in order.
#define SAFELOOP_ORG_USER_COLUMNS                                                                          \
    "u.id, u.tenant_id, u.login, u.name, u.mobile, u.employee_no, u.site_id, u.department_id, u.team_id, " \
    "u.position_id, u.supervisor_id, u.roles, COALESCE(p.roles, ''), u.disabled, "                         \
    "CASE WHEN u.password_hash = '' THEN 0 ELSE 1 END, u.password_changed_at, u.created_at, u.updated_at "

// $1 tenant, $2 visibility kind, $3 its anchor (site, department or team id), $4 the caller, $5 their
// supervisor; filters $6 login, $7 LIKE pattern, $8 department, $9 team, $10 one id; $11 page after id;
// $12 limit. The caller always sees themselves and their direct supervisor.
constexpr std::string_view kListUsers =
    "WITH RECURSIVE scope_departments(id) AS ("
    "  SELECT id FROM departments WHERE tenant_id = $1 AND id = $3 AND CAST($2 AS TEXT) = 'department'"
    "  UNION SELECT d.id FROM departments d JOIN scope_departments s ON d.parent_id = s.id"
    "  WHERE d.tenant_id = $1) "
    "SELECT " SAFELOOP_ORG_USER_COLUMNS
    "FROM users u LEFT JOIN positions p ON p.id = u.position_id "
    "WHERE u.tenant_id = $1 "
    "AND (CAST($2 AS TEXT) = 'tenant' OR u.id = $4 OR u.id = $5 "
    "  OR (CAST($2 AS TEXT) = 'site' AND u.site_id = $3) "
    "  OR (CAST($2 AS TEXT) = 'department' AND u.department_id IN (SELECT id FROM scope_departments)) "
    "  OR (CAST($2 AS TEXT) = 'team' AND u.team_id = $3)) "
    "AND (CAST($6 AS TEXT) IS NULL OR u.login = $6) "
    "AND (CAST($7 AS TEXT) IS NULL OR u.name LIKE $7 ESCAPE '\\' OR u.login LIKE $7 ESCAPE '\\' "
    "  OR u.employee_no LIKE $7 ESCAPE '\\' OR u.mobile LIKE $7 ESCAPE '\\') "
    "AND (CAST($8 AS TEXT) IS NULL OR u.department_id = $8) "
    "AND (CAST($9 AS TEXT) IS NULL OR u.team_id = $9) "
    "AND (CAST($10 AS TEXT) IS NULL OR u.id = $10) "
    "AND (CAST($11 AS TEXT) IS NULL OR u.id < $11) "
    "ORDER BY u.id DESC LIMIT $12";
constexpr std::string_view kFindUser =
    "SELECT " SAFELOOP_ORG_USER_COLUMNS
    "FROM users u LEFT JOIN positions p ON p.id = u.position_id WHERE u.tenant_id = $1 AND u.id = $2";
constexpr std::string_view kAllUsers =
    "SELECT " SAFELOOP_ORG_USER_COLUMNS
    "FROM users u LEFT JOIN positions p ON p.id = u.position_id WHERE u.tenant_id = $1 ORDER BY u.id";
constexpr std::string_view kLoginHolder = "SELECT id FROM users WHERE login = $1";
constexpr std::string_view kEmployeeNoTaken =
    "SELECT 1 FROM users WHERE tenant_id = $1 AND employee_no = $2 AND id <> $3 LIMIT 1";
constexpr std::string_view kMobileTaken =
    "SELECT 1 FROM users WHERE tenant_id = $1 AND mobile = $2 AND id <> $3 LIMIT 1";
constexpr std::string_view kSupervisorLinks = "SELECT id, supervisor_id FROM users WHERE tenant_id = $1";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, tenant_id, login, name, mobile, employee_no, password_hash, site_id, department_id, "
    "team_id, position_id, supervisor_id, roles, disabled, password_changed_at, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET login = $3, name = $4, mobile = $5, employee_no = $6, site_id = $7, department_id = $8, "
    "team_id = $9, position_id = $10, supervisor_id = $11, roles = $12, updated_at = $13 "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSetUserDisabled =
    "UPDATE users SET disabled = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSetUserPassword =
    "UPDATE users SET password_hash = $3, password_changed_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2";

#undef SAFELOOP_ORG_USER_COLUMNS

std::vector<std::string> Roles(const std::string& text) { return auth::ParseRoles(text).roles; }

Tenant ReadTenant(const db::Row& r) { return Tenant{r.Text(0), r.Text(1), r.Text(2), r.OptText(3), r.Int(4)}; }

Site ReadSite(const db::Row& r) { return Site{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)}; }

Department ReadDepartment(const db::Row& r) {
    return Department{r.Text(0), r.Text(1), r.OptText(2), r.OptText(3), r.Text(4), r.OptText(5), r.Int(6), r.Int(7)};
}

Team ReadTeam(const db::Row& r) { return Team{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.OptText(4), r.Int(5)}; }

Position ReadPosition(const db::Row& r) {
    return Position{r.Text(0), r.Text(1), r.Text(2), Roles(r.Text(3)), r.Int(4)};
}

User ReadUser(const db::Row& r) {
    User u;
    u.id = r.Text(0);
    u.tenant_id = r.Text(1);
    u.login = r.Text(2);
    u.name = r.Text(3);
    u.mobile = r.Text(4);
    u.employee_no = r.OptText(5);
    u.site_id = r.OptText(6);
    u.department_id = r.OptText(7);
    u.team_id = r.OptText(8);
    u.position_id = r.OptText(9);
    u.supervisor_id = r.OptText(10);
    u.roles = Roles(r.Text(11));
    u.position_roles = Roles(r.Text(12));
    u.disabled = r.Bool(13);
    u.has_password = r.Bool(14);
    u.password_changed_at = r.Int(15);
    u.created_at = r.Int(16);
    u.updated_at = r.Int(17);
    return u;
}

template <typename T, typename Reader>
std::vector<T> ReadAll(const std::vector<db::Row>& rows, Reader read) {
    std::vector<T> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(read(r));
    return out;
}

template <typename T, typename Reader>
std::optional<T> ReadOne(const std::optional<db::Row>& row, Reader read) {
    if (!row) return std::nullopt;
    return read(*row);
}

// Runs a write; a unique violation becomes `conflict`, anything else propagates.
Status WriteUnique(db::Connection& conn, std::string_view sql, const db::Params& params, const AppError& conflict) {
    try {
        conn.Exec(sql, params);
    } catch (const db::DbError& e) {
        if (e.kind() == db::DbError::Kind::kUniqueViolation) return conflict;
        throw;
    }
    return Ok{};
}

// Runs a delete; a foreign-key violation (something else still refers to the row) becomes `in_use`.
Status DeleteReferenced(db::Connection& conn, std::string_view sql, const db::Params& params, const AppError& in_use) {
    try {
        conn.Exec(sql, params);
    } catch (const db::DbError& e) {
        if (e.kind() == db::DbError::Kind::kForeignKeyViolation) return in_use;
        throw;
    }
    return Ok{};
}

AppError AlreadyExists(const std::string& field, const std::string& zh, const std::string& en) {
    AppError e = AppError::Conflict("already_exists", zh + " / " + en);
    e.fields.emplace(field, zh + " / " + en);
    return e;
}

bool Exists(db::Connection& conn, std::string_view sql, const db::Params& params) {
    return conn.QueryOne(sql, params).has_value();
}

Links ReadLinks(const std::vector<db::Row>& rows) {
    Links links;
    for (const auto& r : rows) links.emplace(r.Text(0), r.OptText(1));
    return links;
}

}  // namespace

// ---- Tenant ----

std::optional<Tenant> OrgStore::FindTenant(db::Connection& conn, const std::string& id) {
    return ReadOne<Tenant>(conn.QueryOne(kFindTenant, {id}), ReadTenant);
}

std::optional<Tenant> OrgStore::FindTenantByCode(db::Connection& conn, const std::string& code) {
    return ReadOne<Tenant>(conn.QueryOne(kFindTenantByCode, {code}), ReadTenant);
}

Status OrgStore::InsertTenant(db::Connection& conn, const Tenant& t) {
    return WriteUnique(conn, kInsertTenant, {t.id, t.name, t.code, t.logo_file_id, t.created_at},
                       AlreadyExists("code", "企业代码已存在", "A tenant with this code exists"));
}

void OrgStore::UpdateTenant(db::Connection& conn, const Tenant& t) {
    conn.Exec(kUpdateTenant, {t.id, t.name, t.logo_file_id});
}

// ---- Sites ----

std::vector<Site> OrgStore::ListSites(db::Connection& conn, const std::string& tenant_id,
                                      const std::optional<std::string>& after_id, int limit) {
    return ReadAll<Site>(conn.Query(kListSites, {tenant_id, after_id, limit}), ReadSite);
}

std::optional<Site> OrgStore::FindSite(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return ReadOne<Site>(conn.QueryOne(kFindSite, {tenant_id, id}), ReadSite);
}

std::optional<Site> OrgStore::FirstSite(db::Connection& conn, const std::string& tenant_id) {
    return ReadOne<Site>(conn.QueryOne(kFirstSite, {tenant_id}), ReadSite);
}

Status OrgStore::InsertSite(db::Connection& conn, const Site& s) {
    return WriteUnique(conn, kInsertSite, {s.id, s.tenant_id, s.name, s.address, s.created_at},
                       AlreadyExists("name", "同名厂区已存在", "A site with this name exists"));
}

Status OrgStore::UpdateSite(db::Connection& conn, const Site& s) {
    return WriteUnique(conn, kUpdateSite, {s.tenant_id, s.id, s.name, s.address},
                       AlreadyExists("name", "同名厂区已存在", "A site with this name exists"));
}

Status OrgStore::DeleteSite(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return DeleteReferenced(conn, kDeleteSite, {tenant_id, id},
                            AppError::Conflict("site_not_empty", "厂区仍被引用，无法删除 / The site is still in use"));
}

bool OrgStore::SiteInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return Exists(conn, kSiteInUse, {tenant_id, id});
}

// ---- Departments ----

std::vector<Department> OrgStore::ListDepartments(db::Connection& conn, const std::string& tenant_id,
                                                  const std::optional<std::pair<int64_t, std::string>>& after,
                                                  int limit) {
    db::Params params{tenant_id, std::nullopt, std::nullopt, limit};
    if (after) {
        params[1] = after->first;
        params[2] = after->second;
    }
    return ReadAll<Department>(conn.Query(kListDepartments, params), ReadDepartment);
}

std::vector<Department> OrgStore::AllDepartments(db::Connection& conn, const std::string& tenant_id) {
    return ReadAll<Department>(conn.Query(kAllDepartments, {tenant_id}), ReadDepartment);
}

std::optional<Department> OrgStore::FindDepartment(db::Connection& conn, const std::string& tenant_id,
                                                   const std::string& id) {
    return ReadOne<Department>(conn.QueryOne(kFindDepartment, {tenant_id, id}), ReadDepartment);
}

bool OrgStore::DepartmentNameTaken(db::Connection& conn, const std::string& tenant_id,
                                   const std::optional<std::string>& parent_id, const std::string& name,
                                   const std::string& except_id) {
    return Exists(conn, kDepartmentNameTaken, {tenant_id, parent_id, name, except_id});
}

Status OrgStore::InsertDepartment(db::Connection& conn, const Department& d) {
    return WriteUnique(conn, kInsertDepartment,
                       {d.id, d.tenant_id, d.site_id, d.parent_id, d.name, d.head_user_id, d.sort_order, d.created_at},
                       AlreadyExists("id", "部门已存在", "The department exists"));
}

Status OrgStore::UpdateDepartment(db::Connection& conn, const Department& d) {
    conn.Exec(kUpdateDepartment, {d.tenant_id, d.id, d.site_id, d.parent_id, d.name, d.head_user_id, d.sort_order});
    return Ok{};
}

Status OrgStore::DeleteDepartment(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return DeleteReferenced(
        conn, kDeleteDepartment, {tenant_id, id},
        AppError::Conflict("department_not_empty", "部门仍被引用，无法删除 / The department is still in use"));
}

bool OrgStore::DepartmentInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return Exists(conn, kDepartmentInUse, {tenant_id, id});
}

void OrgStore::MoveSubtreeToSite(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                 const std::optional<std::string>& site_id, int64_t now) {
    conn.Exec(kMoveSubtreeDepartmentsToSite, {tenant_id, id, site_id});
    conn.Exec(kMoveSubtreeUsersToSite, {tenant_id, id, site_id, now});
}

// ---- Teams ----

std::vector<Team> OrgStore::ListTeams(db::Connection& conn, const std::string& tenant_id,
                                      const std::optional<std::string>& department_id,
                                      const std::optional<std::string>& after_id, int limit) {
    return ReadAll<Team>(conn.Query(kListTeams, {tenant_id, department_id, after_id, limit}), ReadTeam);
}

std::vector<Team> OrgStore::AllTeams(db::Connection& conn, const std::string& tenant_id) {
    return ReadAll<Team>(conn.Query(kAllTeams, {tenant_id}), ReadTeam);
}

std::optional<Team> OrgStore::FindTeam(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return ReadOne<Team>(conn.QueryOne(kFindTeam, {tenant_id, id}), ReadTeam);
}

Status OrgStore::InsertTeam(db::Connection& conn, const Team& t) {
    return WriteUnique(conn, kInsertTeam, {t.id, t.tenant_id, t.department_id, t.name, t.leader_user_id, t.created_at},
                       AlreadyExists("name", "该部门已有同名班组", "The department has a team with this name"));
}

Status OrgStore::UpdateTeam(db::Connection& conn, const Team& t) {
    return WriteUnique(conn, kUpdateTeam, {t.tenant_id, t.id, t.department_id, t.name, t.leader_user_id},
                       AlreadyExists("name", "该部门已有同名班组", "The department has a team with this name"));
}

Status OrgStore::DeleteTeam(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return DeleteReferenced(conn, kDeleteTeam, {tenant_id, id},
                            AppError::Conflict("team_not_empty", "班组仍被引用，无法删除 / The team is still in use"));
}

bool OrgStore::TeamInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return Exists(conn, kTeamInUse, {tenant_id, id});
}

void OrgStore::MoveTeamMembers(db::Connection& conn, const std::string& tenant_id, const std::string& team_id,
                               const std::string& department_id, const std::optional<std::string>& site_id,
                               int64_t now) {
    conn.Exec(kMoveTeamMembers, {tenant_id, team_id, department_id, site_id, now});
}

// ---- Positions ----

std::vector<Position> OrgStore::ListPositions(db::Connection& conn, const std::string& tenant_id,
                                              const std::optional<std::string>& after_id, int limit) {
    return ReadAll<Position>(conn.Query(kListPositions, {tenant_id, after_id, limit}), ReadPosition);
}

std::vector<Position> OrgStore::AllPositions(db::Connection& conn, const std::string& tenant_id) {
    return ReadAll<Position>(conn.Query(kAllPositions, {tenant_id}), ReadPosition);
}

std::optional<Position> OrgStore::FindPosition(db::Connection& conn, const std::string& tenant_id,
                                               const std::string& id) {
    return ReadOne<Position>(conn.QueryOne(kFindPosition, {tenant_id, id}), ReadPosition);
}

Status OrgStore::InsertPosition(db::Connection& conn, const Position& p) {
    return WriteUnique(conn, kInsertPosition, {p.id, p.tenant_id, p.name, auth::JoinRoles(p.roles), p.created_at},
                       AlreadyExists("name", "同名岗位已存在", "A position with this name exists"));
}

Status OrgStore::UpdatePosition(db::Connection& conn, const Position& p) {
    return WriteUnique(conn, kUpdatePosition, {p.tenant_id, p.id, p.name, auth::JoinRoles(p.roles)},
                       AlreadyExists("name", "同名岗位已存在", "A position with this name exists"));
}

Status OrgStore::DeletePosition(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return DeleteReferenced(
        conn, kDeletePosition, {tenant_id, id},
        AppError::Conflict("position_in_use", "岗位仍被引用，无法删除 / The position is still in use"));
}

bool OrgStore::PositionInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return Exists(conn, kPositionInUse, {tenant_id, id});
}

// ---- Users ----

std::vector<User> OrgStore::ListUsers(db::Connection& conn, const UserQuery& q) {
    std::optional<std::string> pattern;
    if (q.q) {
        std::string escaped;
        for (char c : *q.q) {
            if (c == '\\' || c == '%' || c == '_') escaped.push_back('\\');
            escaped.push_back(c);
        }
        pattern = "%" + escaped + "%";
    }
    const auto& v = q.visibility;
    db::Params params{q.tenant_id, v.kind,          v.anchor_id, v.self_id, v.supervisor_id, q.login,
                      pattern,     q.department_id, q.team_id,   q.id,      q.after_id,      q.limit};
    return ReadAll<User>(conn.Query(kListUsers, params), ReadUser);
}

std::optional<User> OrgStore::FindUser(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return ReadOne<User>(conn.QueryOne(kFindUser, {tenant_id, id}), ReadUser);
}

std::vector<User> OrgStore::AllUsers(db::Connection& conn, const std::string& tenant_id) {
    return ReadAll<User>(conn.Query(kAllUsers, {tenant_id}), ReadUser);
}

std::optional<std::string> OrgStore::LoginHolder(db::Connection& conn, const std::string& login) {
    auto row = conn.QueryOne(kLoginHolder, {login});
    if (!row) return std::nullopt;
    return row->Text(0);
}

bool OrgStore::EmployeeNoTaken(db::Connection& conn, const std::string& tenant_id, const std::string& employee_no,
                               const std::string& except_id) {
    return Exists(conn, kEmployeeNoTaken, {tenant_id, employee_no, except_id});
}

bool OrgStore::MobileTaken(db::Connection& conn, const std::string& tenant_id, const std::string& mobile,
                           const std::string& except_id) {
    return Exists(conn, kMobileTaken, {tenant_id, mobile, except_id});
}

Links OrgStore::SupervisorLinks(db::Connection& conn, const std::string& tenant_id) {
    return ReadLinks(conn.Query(kSupervisorLinks, {tenant_id}));
}

Links OrgStore::DepartmentLinks(db::Connection& conn, const std::string& tenant_id) {
    return ReadLinks(conn.Query(kDepartmentLinks, {tenant_id}));
}

Status OrgStore::InsertUser(db::Connection& conn, const User& u, const std::string& password_hash) {
    return WriteUnique(
        conn, kInsertUser,
        {u.id, u.tenant_id, u.login, u.name, u.mobile, u.employee_no, password_hash, u.site_id, u.department_id,
         u.team_id, u.position_id, u.supervisor_id, auth::JoinRoles(u.roles), u.disabled, u.password_changed_at,
         u.created_at, u.updated_at},
        AppError::Conflict("login_taken", "登录名或工号已被占用 / The login or employee number is taken"));
}

Status OrgStore::UpdateUser(db::Connection& conn, const User& u) {
    return WriteUnique(
        conn, kUpdateUser,
        {u.tenant_id, u.id, u.login, u.name, u.mobile, u.employee_no, u.site_id, u.department_id, u.team_id,
         u.position_id, u.supervisor_id, auth::JoinRoles(u.roles), u.updated_at},
        AppError::Conflict("login_taken", "登录名或工号已被占用 / The login or employee number is taken"));
}

void OrgStore::SetUserDisabled(db::Connection& conn, const std::string& tenant_id, const std::string& id, bool disabled,
                               int64_t now) {
    conn.Exec(kSetUserDisabled, {tenant_id, id, disabled, now});
}

void OrgStore::SetUserPassword(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                               const std::string& password_hash, int64_t now) {
    conn.Exec(kSetUserPassword, {tenant_id, id, password_hash, now});
}

}  // namespace safeloop::org
