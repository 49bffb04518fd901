#include "modules/org/org_routes.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/path.hpp"
#include "core/ids.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"
#include "modules/org/org_permissions.hpp"
#include "modules/org/org_service.hpp"

namespace safeloop::org {

namespace {

constexpr size_t kMaxSiteNameChars = 100;
constexpr size_t kMaxAddressChars = 200;
constexpr size_t kMaxTenantNameChars = 100;
constexpr size_t kMaxRoles = 20;
constexpr size_t kFileIdChars = 64;  // SHA-256 hex
constexpr int64_t kMaxSortOrder = 1'000'000'000;

// ---- reading requests ----

AppError NotFoundFor(const char* zh, const char* en) {
    return AppError{"not_found", std::string(zh) + "不存在 / " + en + " not found", {}, {}};
}

Result<Paging> ReadPaging(const http::Request& req) {
    Paging paging;
    auto limit = api::ParseLimit(req.Query("limit"));
    if (!limit) {
        return AppError{
            "invalid_query", "limit 应为 1–1000 的整数 / limit must be a whole number from 1 to 1000", {}, {}};
    }
    paging.limit = *limit;
    if (auto cursor = req.Query("cursor"); cursor && !cursor->empty()) {
        paging.after = api::DecodeCursor(*cursor);
        if (!paging.after) return AppError{"invalid_query", "分页游标无效 / The cursor is not valid", {}, {}};
    }
    return paging;
}

// A query parameter that must be a UUID when given.
Result<std::optional<std::string>> QueryUuid(const http::Request& req, std::string_view name) {
    auto value = req.Query(name);
    if (!value || value->empty()) return std::optional<std::string>();
    if (!IsUuid(*value)) {
        return AppError{
            "invalid_query", std::string(name) + " 应为 UUID / " + std::string(name) + " must be a UUID", {}, {}};
    }
    return std::optional<std::string>(NormalizeUuid(*value));
}

bool IsNull(const boost::json::object& body, std::string_view key) {
    auto it = body.find(key);
    return it != body.end() && it->value().is_null();
}

// A nullable UUID field: absent, null (clear) or a UUID.
Change<std::string> ReadUuidChange(api::FieldReader& reader, const boost::json::object& body, std::string_view key) {
    if (IsNull(body, key)) return Change<std::string>::Set(std::nullopt);
    if (!reader.Present(key)) return {};
    auto value = reader.OptionalUuid(key);
    return value ? Change<std::string>::Set(value) : Change<std::string>{};
}

// A name: required on create; when given on update, not empty.
std::optional<std::string> ReadName(api::FieldReader& reader, std::string_view key, size_t max_chars, bool required) {
    if (required) {
        auto name = reader.RequiredString(key, max_chars);
        return name.empty() ? std::nullopt : std::optional<std::string>(name);
    }
    auto name = reader.OptionalString(key, max_chars);
    if (name && name->empty()) {
        reader.Fail(key, "不能为空 / must not be empty");
        return std::nullopt;
    }
    return name;
}

// Role keys, each known, without repeats.
std::optional<std::vector<std::string>> ReadRoles(api::FieldReader& reader) {
    auto roles = reader.OptionalStringArray("roles", kMaxRoles, 64);
    if (!roles) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& r : *roles) {
        if (!auth::IsKnownRole(r)) {
            reader.Fail("roles", std::string("未知角色：").append(r).append(" / unknown role: ").append(r));
            return std::nullopt;
        }
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
    return out;
}

// Passwords are taken exactly as typed (no trimming).
std::optional<std::string> ReadPassword(api::FieldReader& reader, const boost::json::object& body, bool required) {
    auto it = body.find("password");
    if (it == body.end() || it->value().is_null()) {
        if (required) reader.Fail("password", "必填 / is required");
        return std::nullopt;
    }
    if (!it->value().is_string()) {
        reader.Fail("password", "应为文本 / must be a string");
        return std::nullopt;
    }
    std::string password(it->value().as_string());
    std::string problem = auth::PasswordProblem(password);
    if (!problem.empty()) {
        reader.Fail("password", problem);
        return std::nullopt;
    }
    return password;
}

std::optional<std::string> ReadClientId(api::FieldReader& reader) { return reader.OptionalUuid("id"); }

// ---- answering ----

template <typename T>
boost::json::object PageJson(const Page<T>& page) {
    boost::json::array items;
    for (const auto& item : page.items) items.push_back(ToJson(item));
    boost::json::object o;
    o["items"] = std::move(items);
    o["next_cursor"] = api::OptionalToJson(page.next_cursor);
    return o;
}

template <typename T>
http::Response ListAnswer(const Result<Page<T>>& page) {
    if (!page.ok()) return http::Response::Error(page.error());
    return http::Response::Json(200, PageJson(page.value()));
}

template <typename T>
http::Response CreatedAnswer(const Result<Saved<T>>& saved) {
    if (!saved.ok()) return http::Response::Error(saved.error());
    return http::Response::Json(saved->created ? 201 : 200, ToJson(saved->value));
}

template <typename T>
http::Response Answer(const Result<T>& result) {
    if (!result.ok()) return http::Response::Error(result.error());
    return http::Response::Json(200, ToJson(result.value()));
}

http::Response DeletedAnswer(const Status& status) {
    if (!status.ok()) return http::Response::Error(status.error());
    return http::Response::NoContent();
}

// Runs `handle(body)` on the JSON body, or answers the body's problem.
template <typename Fn>
http::Response WithBody(api::RequestContext& ctx, Fn handle) {
    auto body = api::ParseJsonObject(ctx.req());
    if (!body.ok()) return http::Response::Error(body.error());
    return handle(*body);
}

// Runs `handle(id)` for a well-formed {id}, else answers 404.
template <typename Fn>
http::Response WithId(api::RequestContext& ctx, const char* zh, const char* en, Fn handle) {
    auto id = api::PathId(ctx);
    if (!id) return http::Response::Error(NotFoundFor(zh, en));
    return handle(*id);
}

// ---- tenant ----

http::Response PatchTenant(api::RequestContext& ctx) {
    return WithBody(ctx, [&](const boost::json::object& body) {
        api::FieldReader reader(body);
        TenantInput input;
        input.name = ReadName(reader, "name", kMaxTenantNameChars, false);
        if (IsNull(body, "logo_file_id")) {
            input.logo_file_id = Change<std::string>::Set(std::nullopt);
        } else if (auto logo = reader.OptionalString("logo_file_id", kFileIdChars)) {
            bool hex = logo->size() == kFileIdChars && std::all_of(logo->begin(), logo->end(), [](char c) {
                           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                       });
            if (hex) {
                input.logo_file_id = Change<std::string>::Set(*logo);
            } else {
                reader.Fail("logo_file_id", "应为文件 id（64 位十六进制） / must be a file id (64 hex digits)");
            }
        }
        if (!reader.ok()) return http::Response::Error(reader.error());
        return Answer(UpdateTenant(ctx, input));
    });
}

// ---- sites ----

SiteInput ReadSite(api::FieldReader& reader, bool create) {
    SiteInput input;
    if (create) input.id = ReadClientId(reader);
    input.name = ReadName(reader, "name", kMaxSiteNameChars, create);
    input.address = reader.OptionalString("address", kMaxAddressChars);
    return input;
}

// ---- departments ----

DepartmentInput ReadDepartment(api::FieldReader& reader, const boost::json::object& body, bool create) {
    DepartmentInput input;
    if (create) input.id = ReadClientId(reader);
    input.name = ReadName(reader, "name", kMaxNameChars, create);
    input.parent_id = ReadUuidChange(reader, body, "parent_id");
    input.site_id = ReadUuidChange(reader, body, "site_id");
    input.head_user_id = ReadUuidChange(reader, body, "head_user_id");
    input.sort_order = reader.OptionalInt("sort_order", -kMaxSortOrder, kMaxSortOrder);
    return input;
}

// ---- teams ----

TeamInput ReadTeam(api::FieldReader& reader, const boost::json::object& body, bool create) {
    TeamInput input;
    if (create) {
        input.id = ReadClientId(reader);
        if (!reader.Present("department_id")) reader.Fail("department_id", "必填 / is required");
    }
    input.name = ReadName(reader, "name", kMaxNameChars, create);
    input.department_id = reader.OptionalUuid("department_id");
    input.leader_user_id = ReadUuidChange(reader, body, "leader_user_id");
    return input;
}

// ---- positions ----

PositionInput ReadPosition(api::FieldReader& reader, bool create) {
    PositionInput input;
    if (create) input.id = ReadClientId(reader);
    input.name = ReadName(reader, "name", kMaxNameChars, create);
    input.roles = ReadRoles(reader);
    return input;
}

// ---- users ----

UserInput ReadUser(api::FieldReader& reader, const boost::json::object& body, bool create) {
    UserInput input;
    if (create) input.id = ReadClientId(reader);
    if (create && !reader.Present("login")) {
        reader.Fail("login", "必填 / is required");
    } else if (auto login = reader.OptionalString("login")) {
        if (IsValidLogin(*login)) {
            input.login = login;
        } else {
            reader.Fail("login", "登录名须为 2–32 位小写字母、数字或 . _ - / must be 2–32 of a-z, 0-9, '.', '_', '-'");
        }
    }
    input.name = ReadName(reader, "name", kMaxNameChars, create);
    if (IsNull(body, "mobile")) {
        input.mobile = "";
    } else if (auto mobile = reader.OptionalString("mobile")) {
        if (mobile->empty() || IsValidMobile(*mobile)) {
            input.mobile = mobile;
        } else {
            reader.Fail("mobile", "手机号须为 1 开头的 11 位数字 / must be 11 digits starting with 1");
        }
    }
    if (IsNull(body, "employee_no")) {
        input.employee_no = Change<std::string>::Set(std::nullopt);
    } else if (auto employee_no = reader.OptionalString("employee_no", kMaxEmployeeNoChars)) {
        input.employee_no =
            Change<std::string>::Set(employee_no->empty() ? std::nullopt : std::optional<std::string>(*employee_no));
    }
    input.site_id = ReadUuidChange(reader, body, "site_id");
    input.department_id = ReadUuidChange(reader, body, "department_id");
    input.team_id = ReadUuidChange(reader, body, "team_id");
    input.position_id = ReadUuidChange(reader, body, "position_id");
    input.supervisor_id = ReadUuidChange(reader, body, "supervisor_id");
    input.roles = ReadRoles(reader);
    if (create) {
        input.password = ReadPassword(reader, body, false);
    } else if (body.contains("password")) {
        reader.Fail("password", "请用重置密码接口 / use POST /users/{id}/reset-password");
    }
    return input;
}

http::Response GetUsers(api::RequestContext& ctx) {
    const auto& req = ctx.req();
    auto paging = ReadPaging(req);
    if (!paging.ok()) return http::Response::Error(paging.error());
    UserFilter filter;
    if (auto login = req.Query("login"); login && !login->empty()) filter.login = std::string(*login);
    if (auto q = req.Query("q"); q && !q->empty()) filter.q = api::Trim(*q);
    auto department = QueryUuid(req, "department_id");
    if (!department.ok()) return http::Response::Error(department.error());
    auto team = QueryUuid(req, "team_id");
    if (!team.ok()) return http::Response::Error(team.error());
    filter.department_id = *department;
    filter.team_id = *team;
    return ListAnswer(ListUsers(ctx, filter, *paging));
}

// ---- import ----

http::Response PostImport(api::RequestContext& ctx) {
    return WithBody(ctx, [&](const boost::json::object& body) {
        api::FieldReader reader(body);
        bool dry_run = reader.OptionalBool("dry_run").value_or(false);
        const boost::json::array* rows = nullptr;
        if (!reader.Present("rows")) {
            reader.Fail("rows", "必填 / is required");
        } else {
            rows = reader.OptionalArray("rows", kMaxImportRows);
            if (rows && rows->empty()) reader.Fail("rows", "至少一行 / at least one row");
        }
        if (!reader.ok()) return http::Response::Error(reader.error());

        auto outcome = ImportOrganisation(ctx, *rows, dry_run);
        if (!outcome.ok()) return http::Response::Error(outcome.error());
        boost::json::object created;
        created["users"] = outcome->created_users;
        created["departments"] = outcome->created_departments;
        created["teams"] = outcome->created_teams;
        created["positions"] = outcome->created_positions;
        boost::json::object updated;
        updated["users"] = outcome->updated_users;
        boost::json::array without_password;
        for (const auto& no : outcome->without_password) without_password.emplace_back(no);
        boost::json::object o;
        o["ok"] = true;
        o["dry_run"] = outcome->dry_run;
        o["created"] = std::move(created);
        o["updated"] = std::move(updated);
        o["users_without_password"] = std::move(without_password);
        std::string n = std::to_string(outcome->without_password.size());
        if (outcome->without_password.empty()) {
            o["message"] =
                dry_run ? "校验通过，未写入 / Valid; nothing written (dry run)" : "导入完成 / Import complete";
        } else {
            o["message"] = n + " 名新用户没有密码，管理员为其重置密码后才能登录 / " + n +
                           " new user(s) have no password and cannot sign in until an administrator resets it";
        }
        return http::Response::Json(200, o);
    });
}

}  // namespace

void RegisterOrgRoutes(api::Router& router) {
    // Tenant
    router.Add("GET", "/api/v1/tenant", api::kAuthenticated,
               [](api::RequestContext& ctx) { return Answer(GetTenant(ctx)); });
    router.Add("PATCH", "/api/v1/tenant", perm::kSettingsWrite, PatchTenant);

    // Sites
    router.Add("GET", "/api/v1/sites", perm::kOrgRead, [](api::RequestContext& ctx) {
        auto paging = ReadPaging(ctx.req());
        if (!paging.ok()) return http::Response::Error(paging.error());
        return ListAnswer(ListSites(ctx, *paging));
    });
    router.Add("POST", "/api/v1/sites", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithBody(ctx, [&](const boost::json::object& body) {
            api::FieldReader reader(body);
            auto input = ReadSite(reader, true);
            if (!reader.ok()) return http::Response::Error(reader.error());
            return CreatedAnswer(CreateSite(ctx, input));
        });
    });
    router.Add("PATCH", "/api/v1/sites/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "厂区", "Site", [&](const std::string& id) {
            return WithBody(ctx, [&](const boost::json::object& body) {
                api::FieldReader reader(body);
                auto input = ReadSite(reader, false);
                if (!reader.ok()) return http::Response::Error(reader.error());
                return Answer(UpdateSite(ctx, id, input));
            });
        });
    });
    router.Add("DELETE", "/api/v1/sites/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "厂区", "Site", [&](const std::string& id) { return DeletedAnswer(DeleteSite(ctx, id)); });
    });

    // Departments
    router.Add("GET", "/api/v1/departments", perm::kOrgRead, [](api::RequestContext& ctx) {
        auto paging = ReadPaging(ctx.req());
        if (!paging.ok()) return http::Response::Error(paging.error());
        return ListAnswer(ListDepartments(ctx, *paging));
    });
    router.Add("POST", "/api/v1/departments", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithBody(ctx, [&](const boost::json::object& body) {
            api::FieldReader reader(body);
            auto input = ReadDepartment(reader, body, true);
            if (!reader.ok()) return http::Response::Error(reader.error());
            return CreatedAnswer(CreateDepartment(ctx, input));
        });
    });
    router.Add("PATCH", "/api/v1/departments/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "部门", "Department", [&](const std::string& id) {
            return WithBody(ctx, [&](const boost::json::object& body) {
                api::FieldReader reader(body);
                auto input = ReadDepartment(reader, body, false);
                if (!reader.ok()) return http::Response::Error(reader.error());
                return Answer(UpdateDepartment(ctx, id, input));
            });
        });
    });
    router.Add("DELETE", "/api/v1/departments/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "部门", "Department",
                      [&](const std::string& id) { return DeletedAnswer(DeleteDepartment(ctx, id)); });
    });

    // Teams
    router.Add("GET", "/api/v1/teams", perm::kOrgRead, [](api::RequestContext& ctx) {
        auto paging = ReadPaging(ctx.req());
        if (!paging.ok()) return http::Response::Error(paging.error());
        auto department = QueryUuid(ctx.req(), "department_id");
        if (!department.ok()) return http::Response::Error(department.error());
        return ListAnswer(ListTeams(ctx, *department, *paging));
    });
    router.Add("POST", "/api/v1/teams", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithBody(ctx, [&](const boost::json::object& body) {
            api::FieldReader reader(body);
            auto input = ReadTeam(reader, body, true);
            if (!reader.ok()) return http::Response::Error(reader.error());
            return CreatedAnswer(CreateTeam(ctx, input));
        });
    });
    router.Add("PATCH", "/api/v1/teams/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "班组", "Team", [&](const std::string& id) {
            return WithBody(ctx, [&](const boost::json::object& body) {
                api::FieldReader reader(body);
                auto input = ReadTeam(reader, body, false);
                if (!reader.ok()) return http::Response::Error(reader.error());
                return Answer(UpdateTeam(ctx, id, input));
            });
        });
    });
    router.Add("DELETE", "/api/v1/teams/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "班组", "Team", [&](const std::string& id) { return DeletedAnswer(DeleteTeam(ctx, id)); });
    });

    // Positions
    router.Add("GET", "/api/v1/positions", perm::kOrgRead, [](api::RequestContext& ctx) {
        auto paging = ReadPaging(ctx.req());
        if (!paging.ok()) return http::Response::Error(paging.error());
        return ListAnswer(ListPositions(ctx, *paging));
    });
    router.Add("POST", "/api/v1/positions", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithBody(ctx, [&](const boost::json::object& body) {
            api::FieldReader reader(body);
            auto input = ReadPosition(reader, true);
            if (!reader.ok()) return http::Response::Error(reader.error());
            return CreatedAnswer(CreatePosition(ctx, input));
        });
    });
    router.Add("PATCH", "/api/v1/positions/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "岗位", "Position", [&](const std::string& id) {
            return WithBody(ctx, [&](const boost::json::object& body) {
                api::FieldReader reader(body);
                auto input = ReadPosition(reader, false);
                if (!reader.ok()) return http::Response::Error(reader.error());
                return Answer(UpdatePosition(ctx, id, input));
            });
        });
    });
    router.Add("DELETE", "/api/v1/positions/{id}", perm::kOrgWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "岗位", "Position",
                      [&](const std::string& id) { return DeletedAnswer(DeletePosition(ctx, id)); });
    });

    // Users
    router.Add("GET", "/api/v1/users", perm::kUsersRead, GetUsers);
    router.Add("GET", "/api/v1/users/{id}", perm::kUsersRead, [](api::RequestContext& ctx) {
        return WithId(ctx, "用户", "User", [&](const std::string& id) { return Answer(GetUser(ctx, id)); });
    });
    router.Add("POST", "/api/v1/users", perm::kUsersWrite, [](api::RequestContext& ctx) {
        return WithBody(ctx, [&](const boost::json::object& body) {
            api::FieldReader reader(body);
            auto input = ReadUser(reader, body, true);
            if (!reader.ok()) return http::Response::Error(reader.error());
            return CreatedAnswer(CreateUser(ctx, input));
        });
    });
    router.Add("PATCH", "/api/v1/users/{id}", perm::kUsersWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "用户", "User", [&](const std::string& id) {
            return WithBody(ctx, [&](const boost::json::object& body) {
                api::FieldReader reader(body);
                auto input = ReadUser(reader, body, false);
                if (!reader.ok()) return http::Response::Error(reader.error());
                return Answer(UpdateUser(ctx, id, input));
            });
        });
    });
    router.Add("POST", "/api/v1/users/{id}/disable", perm::kUsersWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "用户", "User",
                      [&](const std::string& id) { return Answer(SetUserDisabled(ctx, id, true)); });
    });
    router.Add("POST", "/api/v1/users/{id}/enable", perm::kUsersWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "用户", "User",
                      [&](const std::string& id) { return Answer(SetUserDisabled(ctx, id, false)); });
    });
    router.Add("POST", "/api/v1/users/{id}/reset-password", perm::kUsersWrite, [](api::RequestContext& ctx) {
        return WithId(ctx, "用户", "User", [&](const std::string& id) {
            return WithBody(ctx, [&](const boost::json::object& body) {
                api::FieldReader reader(body);
                auto password = ReadPassword(reader, body, true);
                if (!reader.ok()) return http::Response::Error(reader.error());
                return Answer(ResetPassword(ctx, id, *password));
            });
        });
    });

    // Import
    router.Add("POST", "/api/v1/org/import", perm::kOrgImport, PostImport);
}

}  // namespace safeloop::org
