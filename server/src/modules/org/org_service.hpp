#pragma once

// The organisation's use cases. Each write runs in one write transaction on the request's connection
// and records an audit entry (before / after) in that same transaction. Inputs arrive validated for
// shape by org_routes; everything that needs the database (existence, uniqueness, cycles, scope) is
// checked here.

#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/paging.hpp"
#include "core/error.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_types.hpp"

namespace safeloop::org {

struct Paging {
    int limit = api::kDefaultListLimit;
    std::optional<std::vector<std::string>> after;  // decoded cursor
};

template <typename T>
struct Page {
    std::vector<T> items;
    std::optional<std::string> next_cursor;
};

// A create that may replay a client-chosen id: `created` is false when the id already existed.
template <typename T>
struct Saved {
    T value;
    bool created = true;
};

struct TenantInput {
    std::optional<std::string> name;
    Change<std::string> logo_file_id;
};

struct SiteInput {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> address;
};

struct DepartmentInput {
    std::optional<std::string> id;
    std::optional<std::string> name;
    Change<std::string> parent_id;
    Change<std::string> site_id;
    Change<std::string> head_user_id;
    std::optional<int64_t> sort_order;
};

struct TeamInput {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> department_id;
    Change<std::string> leader_user_id;
};

struct PositionInput {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> roles;  // known role keys (checked by the routes)
};

struct UserInput {
    std::optional<std::string> id;
    std::optional<std::string> login;
    std::optional<std::string> name;
    std::optional<std::string> mobile;  // "" clears
    Change<std::string> employee_no;
    Change<std::string> site_id;
    Change<std::string> department_id;
    Change<std::string> team_id;
    Change<std::string> position_id;
    Change<std::string> supervisor_id;
    std::optional<std::vector<std::string>> roles;
    std::optional<std::string> password;  // create only
};

struct UserFilter {
    std::optional<std::string> login;
    std::optional<std::string> q;
    std::optional<std::string> department_id;
    std::optional<std::string> team_id;
};

struct ImportOutcome {
    bool dry_run = false;
    size_t created_users = 0;
    size_t created_departments = 0;
    size_t created_teams = 0;
    size_t created_positions = 0;
    size_t updated_users = 0;
    std::vector<std::string> without_password;  // employee numbers of new users who cannot sign in yet
};

Result<Tenant> GetTenant(api::RequestContext& ctx);
Result<Tenant> UpdateTenant(api::RequestContext& ctx, const TenantInput& input);

Result<Page<Site>> ListSites(api::RequestContext& ctx, const Paging& paging);
Result<Saved<Site>> CreateSite(api::RequestContext& ctx, const SiteInput& input);
Result<Site> UpdateSite(api::RequestContext& ctx, const std::string& id, const SiteInput& input);
Status DeleteSite(api::RequestContext& ctx, const std::string& id);

Result<Page<Department>> ListDepartments(api::RequestContext& ctx, const Paging& paging);
Result<Saved<Department>> CreateDepartment(api::RequestContext& ctx, const DepartmentInput& input);
Result<Department> UpdateDepartment(api::RequestContext& ctx, const std::string& id, const DepartmentInput& input);
Status DeleteDepartment(api::RequestContext& ctx, const std::string& id);

Result<Page<Team>> ListTeams(api::RequestContext& ctx, const std::optional<std::string>& department_id,
                             const Paging& paging);
Result<Saved<Team>> CreateTeam(api::RequestContext& ctx, const TeamInput& input);
Result<Team> UpdateTeam(api::RequestContext& ctx, const std::string& id, const TeamInput& input);
Status DeleteTeam(api::RequestContext& ctx, const std::string& id);

Result<Page<Position>> ListPositions(api::RequestContext& ctx, const Paging& paging);
Result<Saved<Position>> CreatePosition(api::RequestContext& ctx, const PositionInput& input);
Result<Position> UpdatePosition(api::RequestContext& ctx, const std::string& id, const PositionInput& input);
Status DeletePosition(api::RequestContext& ctx, const std::string& id);

// Only users the caller may see (VisibilityFor); a user outside that answers 404.
Result<Page<User>> ListUsers(api::RequestContext& ctx, const UserFilter& filter, const Paging& paging);
Result<User> GetUser(api::RequestContext& ctx, const std::string& id);
Result<Saved<User>> CreateUser(api::RequestContext& ctx, const UserInput& input);
Result<User> UpdateUser(api::RequestContext& ctx, const std::string& id, const UserInput& input);
// Disabling also ends every session of the user.
Result<User> SetUserDisabled(api::RequestContext& ctx, const std::string& id, bool disabled);
// Sets password_changed_at and ends every session of the user.
Result<User> ResetPassword(api::RequestContext& ctx, const std::string& id, const std::string& password);

// The whole file in one transaction: any bad row (422 import_invalid with "rows") and nothing is
// written; a dry run validates and counts, then rolls back.
Result<ImportOutcome> ImportOrganisation(api::RequestContext& ctx, const boost::json::array& rows, bool dry_run);

// For other modules: may the principal see this user (the rule GET /users applies)?
bool UserVisibleTo(db::Connection& conn, const api::Principal& principal, const std::string& user_id);

}  // namespace safeloop::org
