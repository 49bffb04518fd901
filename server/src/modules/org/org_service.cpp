#include "modules/org/org_service.hpp"

#include <algorithm>
#include <charconv>

#include "core/ids.hpp"
#include "modules/audit/audit.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"
#include "modules/auth/sessions.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::org {

namespace {

AppError NotFound(const std::string& zh, const std::string& en) {
    return AppError{"not_found", zh + "不存在 / " + en + " not found", {}, {}};
}

// A referenced record that does not exist: a problem with one field of the request.
AppError Missing(const std::string& field, const std::string& zh, const std::string& en) {
    return AppError::Validation(field, zh + "不存在 / " + en + " not found");
}

AppError InvalidCursor() { return AppError{"invalid_query", "分页游标无效 / The cursor is not valid", {}, {}}; }

AppError Conflict(const std::string& code, const std::string& field, const std::string& message) {
    AppError e = AppError::Conflict(code, message);
    e.fields.emplace(field, message);
    return e;
}

const std::string& TenantOf(api::RequestContext& ctx) { return ctx.user().tenant_id; }
int64_t NowMs(api::RequestContext& ctx) { return ToUnixMillis(ctx.Now()); }

Result<std::optional<std::string>> AfterId(const Paging& paging) {
    if (!paging.after) return std::optional<std::string>();
    if (paging.after->size() != 1 || !IsUuid(paging.after->front())) return InvalidCursor();
    return std::optional<std::string>(paging.after->front());
}

template <typename T, typename KeyFn>
Page<T> MakePage(std::vector<T> rows, int limit, KeyFn key) {
    Page<T> page;
    if (rows.size() > static_cast<size_t>(limit)) {
        rows.resize(static_cast<size_t>(limit));
        page.next_cursor = api::EncodeCursor(key(rows.back()));
    }
    page.items = std::move(rows);
    return page;
}

std::vector<std::string> IdKey(const std::string& id) { return {id}; }

// Checks that each referenced id names a record of the tenant.
Status CheckUserRef(db::Connection& conn, const std::string& tenant_id, const std::optional<std::string>& id,
                    const std::string& field, const std::string& zh) {
    if (id && !OrgStore::FindUser(conn, tenant_id, *id)) return Missing(field, zh, "user");
    return Ok{};
}

// ---- tenant / sites ----

}  // namespace

Result<Tenant> GetTenant(api::RequestContext& ctx) {
    auto tenant = OrgStore::FindTenant(ctx.Db(), TenantOf(ctx));
    if (!tenant) return NotFound("企业", "Tenant");
    return *tenant;
}

Result<Tenant> UpdateTenant(api::RequestContext& ctx, const TenantInput& input) {
    auto& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindTenant(conn, TenantOf(ctx));
    if (!before) return NotFound("企业", "Tenant");
    Tenant after = *before;
    if (input.name) after.name = *input.name;
    after.logo_file_id = input.logo_file_id.Apply(before->logo_file_id);
    OrgStore::UpdateTenant(conn, after);
    audit::Record(ctx, "tenant.update", "tenant", after.id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Result<Page<Site>> ListSites(api::RequestContext& ctx, const Paging& paging) {
    auto after = AfterId(paging);
    if (!after.ok()) return std::move(after).error();
    auto rows = OrgStore::ListSites(ctx.Db(), TenantOf(ctx), *after, paging.limit + 1);
    return MakePage(std::move(rows), paging.limit, [](const Site& s) { return IdKey(s.id); });
}

Result<Saved<Site>> CreateSite(api::RequestContext& ctx, const SiteInput& input) {
    auto& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (input.id) {
        if (auto existing = OrgStore::FindSite(conn, TenantOf(ctx), *input.id)) return Saved<Site>{*existing, false};
    }
    Site site{input.id.value_or(NewUuidV7(ctx.clock())), TenantOf(ctx), input.name.value_or(""),
              input.address.value_or(""), NowMs(ctx)};
    if (auto st = OrgStore::InsertSite(conn, site); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "site.create", "site", site.id, nullptr, ToJson(site));
    tx.Commit();
    return Saved<Site>{site, true};
}

Result<Site> UpdateSite(api::RequestContext& ctx, const std::string& id, const SiteInput& input) {
    auto& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindSite(conn, TenantOf(ctx), id);
    if (!before) return NotFound("厂区", "Site");
    Site after = *before;
    if (input.name) after.name = *input.name;
    if (input.address) after.address = *input.address;
    if (auto st = OrgStore::UpdateSite(conn, after); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "site.update", "site", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Status DeleteSite(api::RequestContext& ctx, const std::string& id) {
    auto& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindSite(conn, TenantOf(ctx), id);
    if (!before) return NotFound("厂区", "Site");
    if (OrgStore::SiteInUse(conn, TenantOf(ctx), id)) {
        return AppError::Conflict("site_not_empty",
                                  "厂区下仍有部门或人员，无法删除 / The site still has departments or people");
    }
    if (auto st = OrgStore::DeleteSite(conn, TenantOf(ctx), id); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "site.delete", "site", id, ToJson(*before), nullptr);
    tx.Commit();
    return Ok{};
}

// ---- departments ----

Result<Page<Department>> ListDepartments(api::RequestContext& ctx, const Paging& paging) {
    std::optional<std::pair<int64_t, std::string>> after;
    if (paging.after) {
        if (paging.after->size() != 2 || !IsUuid((*paging.after)[1])) return InvalidCursor();
        const std::string& order = (*paging.after)[0];
        int64_t value = 0;
        auto [end, ec] = std::from_chars(order.data(), order.data() + order.size(), value);
        if (ec != std::errc() || end != order.data() + order.size()) return InvalidCursor();
        after.emplace(value, (*paging.after)[1]);
    }
    auto rows = OrgStore::ListDepartments(ctx.Db(), TenantOf(ctx), after, paging.limit + 1);
    return MakePage(std::move(rows), paging.limit, [](const Department& d) {
        return std::vector<std::string>{std::to_string(d.sort_order), d.id};
    });
}

namespace {

// Existence of the department's references, sibling-name uniqueness and (on move) cycles.
Status CheckDepartment(db::Connection& conn, const Department& d, bool moved) {
    if (d.parent_id && !OrgStore::FindDepartment(conn, d.tenant_id, *d.parent_id)) {
        return Missing("parent_id", "上级部门", "Parent department");
    }
    if (d.site_id && !OrgStore::FindSite(conn, d.tenant_id, *d.site_id)) return Missing("site_id", "厂区", "Site");
    if (auto st = CheckUserRef(conn, d.tenant_id, d.head_user_id, "head_user_id", "负责人"); !st.ok()) return st;
    if (moved && CreatesCycle(OrgStore::DepartmentLinks(conn, d.tenant_id), d.id, d.parent_id)) {
        AppError e = AppError::Invalid("department_cycle",
                                       "不能把部门移到它自己或它的下级部门之下 / A department cannot move under itself "
                                       "or one of its sub-departments");
        e.fields.emplace("parent_id", "会形成循环 / would form a cycle");
        return e;
    }
    if (OrgStore::DepartmentNameTaken(conn, d.tenant_id, d.parent_id, d.name, d.id)) {
        return Conflict("already_exists", "name", "同级已有同名部门 / A sibling department has this name");
    }
    return Ok{};
}

}  // namespace

Result<Saved<Department>> CreateDepartment(api::RequestContext& ctx, const DepartmentInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (input.id) {
        if (auto existing = OrgStore::FindDepartment(conn, tenant_id, *input.id)) {
            return Saved<Department>{*existing, false};
        }
    }
    Department d;
    d.id = input.id.value_or(NewUuidV7(ctx.clock()));
    d.tenant_id = tenant_id;
    d.name = input.name.value_or("");
    d.parent_id = input.parent_id.value;
    d.head_user_id = input.head_user_id.value;
    d.sort_order = input.sort_order.value_or(0);
    d.created_at = NowMs(ctx);
    if (input.site_id.present) {
        d.site_id = input.site_id.value;
    } else if (d.parent_id) {
        if (auto parent = OrgStore::FindDepartment(conn, tenant_id, *d.parent_id)) d.site_id = parent->site_id;
    } else if (auto first = OrgStore::FirstSite(conn, tenant_id)) {
        d.site_id = first->id;
    }
    if (auto st = CheckDepartment(conn, d, false); !st.ok()) return std::move(st).error();
    if (auto st = OrgStore::InsertDepartment(conn, d); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "department.create", "department", d.id, nullptr, ToJson(d));
    tx.Commit();
    return Saved<Department>{d, true};
}

Result<Department> UpdateDepartment(api::RequestContext& ctx, const std::string& id, const DepartmentInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindDepartment(conn, tenant_id, id);
    if (!before) return NotFound("部门", "Department");
    Department after = *before;
    if (input.name) after.name = *input.name;
    after.parent_id = input.parent_id.Apply(before->parent_id);
    after.site_id = input.site_id.Apply(before->site_id);
    after.head_user_id = input.head_user_id.Apply(before->head_user_id);
    if (input.sort_order) after.sort_order = *input.sort_order;
    if (auto st = CheckDepartment(conn, after, after.parent_id != before->parent_id); !st.ok()) {
        return std::move(st).error();
    }
    if (auto st = OrgStore::UpdateDepartment(conn, after); !st.ok()) return std::move(st).error();
    if (after.site_id != before->site_id) OrgStore::MoveSubtreeToSite(conn, tenant_id, id, after.site_id, NowMs(ctx));
    audit::Record(ctx, "department.update", "department", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Status DeleteDepartment(api::RequestContext& ctx, const std::string& id) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindDepartment(conn, tenant_id, id);
    if (!before) return NotFound("部门", "Department");
    if (OrgStore::DepartmentInUse(conn, tenant_id, id)) {
        return AppError::Conflict("department_not_empty",
                                  "部门下仍有下级部门、班组或人员，无法删除 / The department still has "
                                  "sub-departments, teams or people");
    }
    if (auto st = OrgStore::DeleteDepartment(conn, tenant_id, id); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "department.delete", "department", id, ToJson(*before), nullptr);
    tx.Commit();
    return Ok{};
}

// ---- teams ----

Result<Page<Team>> ListTeams(api::RequestContext& ctx, const std::optional<std::string>& department_id,
                             const Paging& paging) {
    auto after = AfterId(paging);
    if (!after.ok()) return std::move(after).error();
    auto rows = OrgStore::ListTeams(ctx.Db(), TenantOf(ctx), department_id, *after, paging.limit + 1);
    return MakePage(std::move(rows), paging.limit, [](const Team& t) { return IdKey(t.id); });
}

Result<Saved<Team>> CreateTeam(api::RequestContext& ctx, const TeamInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (input.id) {
        if (auto existing = OrgStore::FindTeam(conn, tenant_id, *input.id)) return Saved<Team>{*existing, false};
    }
    Team t{input.id.value_or(NewUuidV7(ctx.clock())),
           tenant_id,
           input.department_id.value_or(""),
           input.name.value_or(""),
           input.leader_user_id.value,
           NowMs(ctx)};
    if (!OrgStore::FindDepartment(conn, tenant_id, t.department_id)) {
        return Missing("department_id", "部门", "Department");
    }
    if (auto st = CheckUserRef(conn, tenant_id, t.leader_user_id, "leader_user_id", "班组长"); !st.ok()) {
        return std::move(st).error();
    }
    if (auto st = OrgStore::InsertTeam(conn, t); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "team.create", "team", t.id, nullptr, ToJson(t));
    tx.Commit();
    return Saved<Team>{t, true};
}

Result<Team> UpdateTeam(api::RequestContext& ctx, const std::string& id, const TeamInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindTeam(conn, tenant_id, id);
    if (!before) return NotFound("班组", "Team");
    Team after = *before;
    if (input.name) after.name = *input.name;
    if (input.department_id) after.department_id = *input.department_id;
    after.leader_user_id = input.leader_user_id.Apply(before->leader_user_id);
    auto department = OrgStore::FindDepartment(conn, tenant_id, after.department_id);
    if (!department) return Missing("department_id", "部门", "Department");
    if (auto st = CheckUserRef(conn, tenant_id, after.leader_user_id, "leader_user_id", "班组长"); !st.ok()) {
        return std::move(st).error();
    }
    if (auto st = OrgStore::UpdateTeam(conn, after); !st.ok()) return std::move(st).error();
    if (after.department_id != before->department_id) {
        // The members move with their team, so that no one sits in a team outside their department.
        OrgStore::MoveTeamMembers(conn, tenant_id, id, after.department_id, department->site_id, NowMs(ctx));
    }
    audit::Record(ctx, "team.update", "team", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Status DeleteTeam(api::RequestContext& ctx, const std::string& id) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindTeam(conn, tenant_id, id);
    if (!before) return NotFound("班组", "Team");
    if (OrgStore::TeamInUse(conn, tenant_id, id)) {
        return AppError::Conflict("team_not_empty", "班组仍有成员，无法删除 / The team still has members");
    }
    if (auto st = OrgStore::DeleteTeam(conn, tenant_id, id); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "team.delete", "team", id, ToJson(*before), nullptr);
    tx.Commit();
    return Ok{};
}

// ---- positions ----

Result<Page<Position>> ListPositions(api::RequestContext& ctx, const Paging& paging) {
    auto after = AfterId(paging);
    if (!after.ok()) return std::move(after).error();
    auto rows = OrgStore::ListPositions(ctx.Db(), TenantOf(ctx), *after, paging.limit + 1);
    return MakePage(std::move(rows), paging.limit, [](const Position& p) { return IdKey(p.id); });
}

Result<Saved<Position>> CreatePosition(api::RequestContext& ctx, const PositionInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (input.id) {
        if (auto existing = OrgStore::FindPosition(conn, tenant_id, *input.id)) {
            return Saved<Position>{*existing, false};
        }
    }
    Position p{input.id.value_or(NewUuidV7(ctx.clock())), tenant_id, input.name.value_or(""),
               input.roles.value_or(std::vector<std::string>{}), NowMs(ctx)};
    if (auto st = OrgStore::InsertPosition(conn, p); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "position.create", "position", p.id, nullptr, ToJson(p));
    tx.Commit();
    return Saved<Position>{p, true};
}

Result<Position> UpdatePosition(api::RequestContext& ctx, const std::string& id, const PositionInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindPosition(conn, tenant_id, id);
    if (!before) return NotFound("岗位", "Position");
    Position after = *before;
    if (input.name) after.name = *input.name;
    if (input.roles) after.roles = *input.roles;
    if (auto st = OrgStore::UpdatePosition(conn, after); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "position.update", "position", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Status DeletePosition(api::RequestContext& ctx, const std::string& id) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindPosition(conn, tenant_id, id);
    if (!before) return NotFound("岗位", "Position");
    if (OrgStore::PositionInUse(conn, tenant_id, id)) {
        return AppError::Conflict("position_in_use", "仍有人员担任该岗位，无法删除 / People still hold this position");
    }
    if (auto st = OrgStore::DeletePosition(conn, tenant_id, id); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "position.delete", "position", id, ToJson(*before), nullptr);
    tx.Commit();
    return Ok{};
}

// ---- users ----

namespace {

UserQuery QueryFor(const api::Principal& principal) {
    UserQuery q;
    q.tenant_id = principal.tenant_id;
    q.visibility = VisibilityFor(principal);
    return q;
}

// Everything about a user's record that needs the database: references, uniqueness, placement, cycles.
Status CheckUser(api::RequestContext& ctx, const User& before, User& after, const UserInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = after.tenant_id;
    const bool is_new = before.id.empty();

    if (is_new || after.login != before.login) {
        if (auto holder = OrgStore::LoginHolder(conn, after.login); holder && *holder != after.id) {
            return Conflict("login_taken", "login", "登录名已被使用 / The login is taken");
        }
    }
    if (after.employee_no && (is_new || after.employee_no != before.employee_no) &&
        OrgStore::EmployeeNoTaken(conn, tenant_id, *after.employee_no, after.id)) {
        return Conflict("already_exists", "employee_no", "工号已被使用 / The employee number is taken");
    }
    if (!after.mobile.empty() && (is_new || after.mobile != before.mobile) &&
        OrgStore::MobileTaken(conn, tenant_id, after.mobile, after.id)) {
        return Conflict("already_exists", "mobile", "手机号已被其他人使用 / The mobile is used by someone else");
    }

    // References must exist in the tenant before placement rules can look at them.
    std::optional<Team> team;
    if (input.team_id.present && input.team_id.value) {
        team = OrgStore::FindTeam(conn, tenant_id, *input.team_id.value);
        if (!team) return Missing("team_id", "班组", "Team");
    }
    if (input.department_id.present && input.department_id.value &&
        !OrgStore::FindDepartment(conn, tenant_id, *input.department_id.value)) {
        return Missing("department_id", "部门", "Department");
    }
    if (input.site_id.present && input.site_id.value && !OrgStore::FindSite(conn, tenant_id, *input.site_id.value)) {
        return Missing("site_id", "厂区", "Site");
    }
    if (input.position_id.present && input.position_id.value) {
        auto position = OrgStore::FindPosition(conn, tenant_id, *input.position_id.value);
        if (!position) return Missing("position_id", "岗位", "Position");
        after.position_id = position->id;
        after.position_roles = position->roles;
    } else if (input.position_id.present) {
        after.position_id.reset();
        after.position_roles.clear();
    }

    PlacementFacts facts;
    facts.team_department = [&](const std::string& team_id) -> std::optional<std::string> {
        if (team && team->id == team_id) return team->department_id;
        auto found = OrgStore::FindTeam(conn, tenant_id, team_id);
        return found ? std::optional<std::string>(found->department_id) : std::nullopt;
    };
    facts.department_site = [&](const std::string& department_id) -> std::optional<std::string> {
        auto found = OrgStore::FindDepartment(conn, tenant_id, department_id);
        return found ? found->site_id : std::nullopt;
    };
    auto placed = ResolvePlacement(Placement{before.site_id, before.department_id, before.team_id},
                                   PlacementChange{input.site_id, input.department_id, input.team_id}, facts);
    if (!placed.ok()) return std::move(placed).error();
    after.site_id = placed->site_id;
    after.department_id = placed->department_id;
    after.team_id = placed->team_id;

    after.supervisor_id = input.supervisor_id.Apply(before.supervisor_id);
    if (input.supervisor_id.present && after.supervisor_id) {
        if (*after.supervisor_id == after.id ||
            (!is_new && CreatesCycle(OrgStore::SupervisorLinks(conn, tenant_id), after.id, after.supervisor_id))) {
            AppError e = AppError::Invalid("supervisor_cycle",
                                           "直属上级关系不能形成循环 / The supervisor chain would loop back to this "
                                           "person");
            e.fields.emplace("supervisor_id", "会形成循环 / would form a cycle");
            return e;
        }
        if (!OrgStore::FindUser(conn, tenant_id, *after.supervisor_id)) {
            return Missing("supervisor_id", "直属上级", "Supervisor");
        }
    }
    return Ok{};
}

}  // namespace

Result<Page<User>> ListUsers(api::RequestContext& ctx, const UserFilter& filter, const Paging& paging) {
    auto after = AfterId(paging);
    if (!after.ok()) return std::move(after).error();
    UserQuery q = QueryFor(ctx.user());
    q.login = filter.login;
    q.q = filter.q;
    q.department_id = filter.department_id;
    q.team_id = filter.team_id;
    q.after_id = *after;
    q.limit = paging.limit + 1;
    auto rows = OrgStore::ListUsers(ctx.Db(), q);
    return MakePage(std::move(rows), paging.limit, [](const User& u) { return IdKey(u.id); });
}

Result<User> GetUser(api::RequestContext& ctx, const std::string& id) {
    UserQuery q = QueryFor(ctx.user());
    q.id = id;
    q.limit = 1;
    auto rows = OrgStore::ListUsers(ctx.Db(), q);
    if (rows.empty()) return NotFound("用户", "User");
    return rows.front();
}

bool UserVisibleTo(db::Connection& conn, const api::Principal& principal, const std::string& user_id) {
    UserQuery q = QueryFor(principal);
    q.id = user_id;
    q.limit = 1;
    return !OrgStore::ListUsers(conn, q).empty();
}

Result<Saved<User>> CreateUser(api::RequestContext& ctx, const UserInput& input) {
    // Hash first: argon2id takes ~100 ms, which should not be spent holding the write lock.
    std::string password_hash;
    if (input.password) password_hash = auth::HashPassword(*input.password);

    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (input.id) {
        if (auto existing = OrgStore::FindUser(conn, tenant_id, *input.id)) return Saved<User>{*existing, false};
    }
    const User before;  // nobody yet
    User user;
    user.id = input.id.value_or(NewUuidV7(ctx.clock()));
    user.tenant_id = tenant_id;
    user.login = input.login.value_or("");
    user.name = input.name.value_or("");
    user.mobile = input.mobile.value_or("");
    user.employee_no = input.employee_no.value;
    user.created_at = user.updated_at = NowMs(ctx);
    if (input.password) user.password_changed_at = user.created_at;
    user.has_password = input.password.has_value();
    if (auto st = CheckUser(ctx, before, user, input); !st.ok()) return std::move(st).error();
    if (input.roles) {
        user.roles = *input.roles;
    } else if (user.position_roles.empty()) {
        user.roles = {std::string(auth::role::kWorker)};  // with no role at all one could not see one's own team
    }
    if (auto st = OrgStore::InsertUser(conn, user, password_hash); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "user.create", "user", user.id, nullptr, ToJson(user));
    tx.Commit();
    return Saved<User>{user, true};
}

Result<User> UpdateUser(api::RequestContext& ctx, const std::string& id, const UserInput& input) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindUser(conn, tenant_id, id);
    if (!before) return NotFound("用户", "User");
    User after = *before;
    if (input.login) after.login = *input.login;
    if (input.name) after.name = *input.name;
    if (input.mobile) after.mobile = *input.mobile;
    after.employee_no = input.employee_no.Apply(before->employee_no);
    if (input.roles) after.roles = *input.roles;
    after.updated_at = NowMs(ctx);
    if (id == ctx.user().user_id && before->roles != after.roles &&
        std::find(before->roles.begin(), before->roles.end(), auth::role::kAdmin) != before->roles.end() &&
        std::find(after.roles.begin(), after.roles.end(), auth::role::kAdmin) == after.roles.end()) {
        return AppError::Invalid("cannot_demote_self",
                                 "不能取消自己的管理员角色 / You cannot remove your own administrator role");
    }
    if (auto st = CheckUser(ctx, *before, after, input); !st.ok()) return std::move(st).error();
    if (auto st = OrgStore::UpdateUser(conn, after); !st.ok()) return std::move(st).error();
    audit::Record(ctx, "user.update", "user", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Result<User> SetUserDisabled(api::RequestContext& ctx, const std::string& id, bool disabled) {
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindUser(conn, tenant_id, id);
    if (!before) return NotFound("用户", "User");
    if (disabled && id == ctx.user().user_id) {
        return AppError::Invalid("cannot_disable_self", "不能停用自己的账号 / You cannot disable your own account");
    }
    User after = *before;
    after.disabled = disabled;
    after.updated_at = NowMs(ctx);
    OrgStore::SetUserDisabled(conn, tenant_id, id, disabled, after.updated_at);
    if (disabled) auth::RevokeUserSessions(conn, id, ctx.Now());
    audit::Record(ctx, disabled ? "user.disable" : "user.enable", "user", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

Result<User> ResetPassword(api::RequestContext& ctx, const std::string& id, const std::string& password) {
    std::string hash = auth::HashPassword(password);  // before the write lock, see CreateUser
    auto& conn = ctx.Db();
    const auto& tenant_id = TenantOf(ctx);
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = OrgStore::FindUser(conn, tenant_id, id);
    if (!before) return NotFound("用户", "User");
    User after = *before;
    after.password_changed_at = after.updated_at = NowMs(ctx);
    after.has_password = true;
    OrgStore::SetUserPassword(conn, tenant_id, id, hash, after.password_changed_at);
    auth::RevokeUserSessions(conn, id, ctx.Now());
    audit::Record(ctx, "user.reset_password", "user", id, ToJson(*before), ToJson(after));
    tx.Commit();
    return after;
}

// ---- import ----

namespace {

ImportSnapshot TakeSnapshot(db::Connection& conn, const std::string& tenant_id, int64_t now,
                            const std::vector<ImportRow>& rows) {
    ImportSnapshot s;
    s.tenant_id = tenant_id;
    s.now = now;
    if (auto site = OrgStore::FirstSite(conn, tenant_id)) s.default_site_id = site->id;
    s.users = OrgStore::AllUsers(conn, tenant_id);
    s.departments = OrgStore::AllDepartments(conn, tenant_id);
    s.teams = OrgStore::AllTeams(conn, tenant_id);
    s.positions = OrgStore::AllPositions(conn, tenant_id);
    std::set<std::string, std::less<>> own_logins;
    for (const auto& u : s.users) own_logins.insert(u.login);
    for (const auto& row : rows) {
        if (row.login.empty() || own_logins.contains(row.login) || s.logins_elsewhere.contains(row.login)) continue;
        if (OrgStore::LoginHolder(conn, row.login)) s.logins_elsewhere.insert(row.login);
    }
    return s;
}

AppError ImportInvalid(const std::vector<RowError>& errors) {
    AppError e{"import_invalid",
               "导入文件有 " + std::to_string(errors.size()) + " 处错误，未写入任何数据 / The file has " +
                   std::to_string(errors.size()) + " problem(s); nothing was imported",
               {},
               {}};
    boost::json::array rows;
    for (const auto& err : errors) {
        boost::json::object o;
        o["row"] = err.row;
        o["field"] = err.field;
        o["code"] = err.code;
        o["message"] = err.message;
        rows.push_back(std::move(o));
    }
    e.extra["rows"] = std::move(rows);
    return e;
}

// Parses, snapshots and plans; errors from parsing and planning together, by row.
ImportPlan Plan(api::RequestContext& ctx, const std::vector<ImportRow>& rows, std::vector<RowError> parse_errors) {
    auto& conn = ctx.Db();
    auto snapshot = TakeSnapshot(conn, TenantOf(ctx), NowMs(ctx), rows);
    const Clock& clock = ctx.clock();
    std::function<std::string()> new_id = [&clock] { return NewUuidV7(clock); };
    auto plan = PlanImport(rows, snapshot, new_id);
    if (!parse_errors.empty()) {
        parse_errors.insert(parse_errors.end(), plan.errors.begin(), plan.errors.end());
        std::stable_sort(parse_errors.begin(), parse_errors.end(),
                         [](const RowError& a, const RowError& b) { return a.row < b.row; });
        plan.errors = std::move(parse_errors);
    }
    return plan;
}

}  // namespace

Result<ImportOutcome> ImportOrganisation(api::RequestContext& ctx, const boost::json::array& json_rows, bool dry_run) {
    std::vector<RowError> parse_errors;
    auto rows = ParseImportRows(json_rows, parse_errors);

    // A real import hashes each distinct new password once (~100 ms each) before taking the write lock;
    // a first read-only pass makes sure a bad file costs no hashing at all.
    std::map<std::string, std::string, std::less<>> hashes;
    if (!dry_run) {
        auto first = Plan(ctx, rows, parse_errors);
        if (!first.errors.empty()) return ImportInvalid(first.errors);
        for (const auto& write : first.users) {
            if (write.password && !hashes.contains(*write.password)) {
                hashes.emplace(*write.password, auth::HashPassword(*write.password));
            }
        }
    }

    auto& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    // Planned again under the write lock: the authoritative check against what the database holds now.
    auto plan = Plan(ctx, rows, parse_errors);
    if (!plan.errors.empty()) return ImportInvalid(plan.errors);

    ImportOutcome outcome;
    outcome.dry_run = dry_run;
    for (const auto& p : plan.new_positions) {
        if (auto st = OrgStore::InsertPosition(conn, p); !st.ok()) return std::move(st).error();
        audit::Record(ctx, "position.create", "position", p.id, nullptr, ToJson(p));
    }
    for (const auto& d : plan.new_departments) {
        if (auto st = OrgStore::InsertDepartment(conn, d); !st.ok()) return std::move(st).error();
        audit::Record(ctx, "department.create", "department", d.id, nullptr, ToJson(d));
    }
    for (const auto& t : plan.new_teams) {
        if (auto st = OrgStore::InsertTeam(conn, t); !st.ok()) return std::move(st).error();
        audit::Record(ctx, "team.create", "team", t.id, nullptr, ToJson(t));
    }
    for (const auto& write : plan.users) {
        Status st = Ok{};
        if (write.before) {
            st = OrgStore::UpdateUser(conn, write.after);
        } else {
            std::string hash;
            if (write.password) {
                auto it = hashes.find(*write.password);
                if (it != hashes.end()) hash = it->second;
            }
            st = OrgStore::InsertUser(conn, write.after, hash);
            if (!write.password) outcome.without_password.push_back(write.after.employee_no.value_or(""));
        }
        if (!st.ok()) {
            const auto& e = st.error();
            return ImportInvalid({RowError{write.row, "login", e.code, e.message}});
        }
        if (write.before) {
            audit::Record(ctx, "user.update", "user", write.after.id, ToJson(*write.before), ToJson(write.after));
        } else {
            audit::Record(ctx, "user.create", "user", write.after.id, nullptr, ToJson(write.after));
        }
    }
    outcome.created_users = plan.CreatedUsers();
    outcome.updated_users = plan.UpdatedUsers();
    outcome.created_departments = plan.new_departments.size();
    outcome.created_teams = plan.new_teams.size();
    outcome.created_positions = plan.new_positions.size();

    boost::json::object summary;
    summary["created_users"] = outcome.created_users;
    summary["updated_users"] = outcome.updated_users;
    summary["created_departments"] = outcome.created_departments;
    summary["created_teams"] = outcome.created_teams;
    summary["created_positions"] = outcome.created_positions;
    audit::Record(ctx, "org.import", "tenant", TenantOf(ctx), nullptr, std::move(summary));
    if (!dry_run) tx.Commit();  // a dry run rolls everything back as the transaction ends
    return outcome;
}

}  // namespace safeloop::org
