#pragma once

// Every SQL statement of the organisation module. Each query of a tenant-owned table filters by
// tenant_id. Unique-constraint violations come back as domain conflicts (409 already_exists /
// login_taken); foreign-key violations on delete as "in use" errors. Other modules (demo, hazards...)
// read and write the organisation only through this header and org_service.hpp.

#include <optional>
#include <string>
#include <vector>

#include "api/paging.hpp"
#include "core/error.hpp"
#include "db/db.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_types.hpp"

namespace safeloop::org {

struct UserQuery {
    std::string tenant_id;
    Visibility visibility;
    std::optional<std::string> id;             // one user
    std::optional<std::string> login;          // exact
    std::optional<std::string> q;              // substring of name, login, employee number or mobile
    std::optional<std::string> department_id;  // exact department
    std::optional<std::string> team_id;
    std::optional<std::string> after_id;  // paging: users with a smaller id (newest first)
    int limit = api::kDefaultListLimit;
};

class OrgStore {
public:
    // Tenant
    static std::optional<Tenant> FindTenant(db::Connection& conn, const std::string& id);
    static std::optional<Tenant> FindTenantByCode(db::Connection& conn, const std::string& code);
    static Status InsertTenant(db::Connection& conn, const Tenant& tenant);
    static void UpdateTenant(db::Connection& conn, const Tenant& tenant);

    // Sites, newest first
    static std::vector<Site> ListSites(db::Connection& conn, const std::string& tenant_id,
                                       const std::optional<std::string>& after_id, int limit);
    static std::optional<Site> FindSite(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    // The tenant's oldest site (where imported departments go).
    static std::optional<Site> FirstSite(db::Connection& conn, const std::string& tenant_id);
    static Status InsertSite(db::Connection& conn, const Site& site);
    static Status UpdateSite(db::Connection& conn, const Site& site);
    static Status DeleteSite(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static bool SiteInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id);

    // Departments, by sort order then id
    static std::vector<Department> ListDepartments(db::Connection& conn, const std::string& tenant_id,
                                                   const std::optional<std::pair<int64_t, std::string>>& after,
                                                   int limit);
    static std::vector<Department> AllDepartments(db::Connection& conn, const std::string& tenant_id);
    static std::optional<Department> FindDepartment(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& id);
    // True when a sibling (same parent, or top level) other than `except_id` has this name.
    static bool DepartmentNameTaken(db::Connection& conn, const std::string& tenant_id,
                                    const std::optional<std::string>& parent_id, const std::string& name,
                                    const std::string& except_id);
    static Status InsertDepartment(db::Connection& conn, const Department& department);
    static Status UpdateDepartment(db::Connection& conn, const Department& department);
    static Status DeleteDepartment(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    // Child departments, teams or users.
    static bool DepartmentInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    // Puts a department's whole subtree, and the users in it, at a site.
    static void MoveSubtreeToSite(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                  const std::optional<std::string>& site_id, int64_t now);

    // Teams, newest first
    static std::vector<Team> ListTeams(db::Connection& conn, const std::string& tenant_id,
                                       const std::optional<std::string>& department_id,
                                       const std::optional<std::string>& after_id, int limit);
    static std::vector<Team> AllTeams(db::Connection& conn, const std::string& tenant_id);
    static std::optional<Team> FindTeam(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static Status InsertTeam(db::Connection& conn, const Team& team);
    static Status UpdateTeam(db::Connection& conn, const Team& team);
    static Status DeleteTeam(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static bool TeamInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    // Members follow their team to another department (and its site).
    static void MoveTeamMembers(db::Connection& conn, const std::string& tenant_id, const std::string& team_id,
                                const std::string& department_id, const std::optional<std::string>& site_id,
                                int64_t now);

    // Positions, newest first
    static std::vector<Position> ListPositions(db::Connection& conn, const std::string& tenant_id,
                                               const std::optional<std::string>& after_id, int limit);
    static std::vector<Position> AllPositions(db::Connection& conn, const std::string& tenant_id);
    static std::optional<Position> FindPosition(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& id);
    static Status InsertPosition(db::Connection& conn, const Position& position);
    static Status UpdatePosition(db::Connection& conn, const Position& position);
    static Status DeletePosition(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static bool PositionInUse(db::Connection& conn, const std::string& tenant_id, const std::string& id);

    // Users, newest first, filtered by what the caller may see
    static std::vector<User> ListUsers(db::Connection& conn, const UserQuery& query);
    // Any user of the tenant, whoever asks.
    static std::optional<User> FindUser(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static std::vector<User> AllUsers(db::Connection& conn, const std::string& tenant_id);
    // Logins are unique across tenants: the id of whoever holds this one, anywhere.
    static std::optional<std::string> LoginHolder(db::Connection& conn, const std::string& login);
    static bool EmployeeNoTaken(db::Connection& conn, const std::string& tenant_id, const std::string& employee_no,
                                const std::string& except_id);
    static bool MobileTaken(db::Connection& conn, const std::string& tenant_id, const std::string& mobile,
                            const std::string& except_id);
    static Links SupervisorLinks(db::Connection& conn, const std::string& tenant_id);
    static Links DepartmentLinks(db::Connection& conn, const std::string& tenant_id);
    // password_hash "" means the user cannot sign in until a password is set.
    static Status InsertUser(db::Connection& conn, const User& user, const std::string& password_hash);
    // Profile and placement (not password, not disabled).
    static Status UpdateUser(db::Connection& conn, const User& user);
    static void SetUserDisabled(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                bool disabled, int64_t now);
    static void SetUserPassword(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                const std::string& password_hash, int64_t now);
};

}  // namespace safeloop::org
