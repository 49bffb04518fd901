#include "modules/auth/auth_service.hpp"

#include "api/json_body.hpp"
#include "core/crypto.hpp"
#include "modules/audit/audit.hpp"
#include "modules/auth/auth_store.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"

#include <algorithm>

#include <boost/json/array.hpp>

namespace safeloop::auth {

namespace {

constexpr size_t kTokenBytes = 32;

std::string TokenHash(std::string_view token) { return Sha256Hex(token); }

std::vector<std::string> SplitRoles(const std::string& a, const std::string& b) {
    std::vector<std::string> out;
    for (const auto* list : {&a, &b}) {
        for (auto& r : ParseRoles(*list).roles) {
            if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
        }
    }
    return out;
}

const std::string& DummyHash() {
    // Verifying against this when a login does not exist keeps the answer time the same, so response
    // timing does not tell which logins exist.
    static const std::string kHash = HashPassword("safeloop-dummy-password");
    return kHash;
}

boost::json::array ToJsonArray(const std::vector<std::string>& values) {
    boost::json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}

AppError InvalidCredentials() {
    return AppError{"invalid_credentials", "用户名或密码错误 / Wrong login or password", {}, {}};
}

}  // namespace

Result<LoginResult> AuthService::Login(api::RequestContext& ctx, const std::string& login,
                                       const std::string& password) {
    auto& conn = ctx.Db();
    TimePoint now = ctx.Now();
    auto failures = AuthStore::RecentFailures(conn, login, now - options_.throttle.window);
    auto decision = DecideLogin(failures, now, options_.throttle);
    if (!decision.allowed) {
        AppError e{"too_many_attempts",
                   "登录失败次数过多，请 " + std::to_string(decision.retry_after.count()) +
                       " 秒后再试 / Too many failed attempts; try again in " +
                       std::to_string(decision.retry_after.count()) + " s",
                   {},
                   {}};
        e.extra["retry_after_s"] = decision.retry_after.count();
        return e;
    }

    auto credentials = AuthStore::FindCredentials(conn, login);
    bool ok = VerifyPassword(password, credentials ? credentials->password_hash : DummyHash()) && credentials;
    if (!ok) {
        db::Transaction tx(conn, db::TxMode::kWrite);
        AuthStore::RecordFailure(conn, login, now, ctx.req().remote_addr);
        if (credentials) {
            audit::Append(conn, audit::Entry{credentials->tenant_id, credentials->user_id, ctx.request_id(),
                                             "auth.login_failed", "user", credentials->user_id, nullptr, nullptr, now});
        }
        tx.Commit();
        ctx.MarkAudited();
        return InvalidCredentials();
    }
    if (credentials->disabled) {
        return AppError{"account_disabled", "该账号已停用，请联系管理员 / This account is disabled", {}, {}};
    }

    std::string token = Base64UrlEncode(RandomBytes(kTokenBytes));
    TimePoint expires = now + std::chrono::duration_cast<Millis>(options_.token_ttl);
    {
        db::Transaction tx(conn, db::TxMode::kWrite);
        AuthStore::InsertSession(conn, TokenHash(token), *credentials, now, expires,
                                 std::string(ctx.req().Header("user-agent").value_or("")));
        audit::Append(conn, audit::Entry{credentials->tenant_id, credentials->user_id, ctx.request_id(), "auth.login",
                                         "user", credentials->user_id, nullptr, nullptr, now});
        // Old failure records are only needed for the window.
        AuthStore::PruneFailures(conn, now - options_.throttle.window - std::chrono::hours(24));
        tx.Commit();
    }
    ctx.MarkAudited();

    auto session = AuthStore::FindSession(conn, TokenHash(token));
    LoginResult result;
    result.token = token;
    result.expires_at = expires;
    result.user["id"] = credentials->user_id;
    result.user["login"] = credentials->login;
    result.user["name"] = session ? session->name : credentials->login;
    result.user["roles"] =
        ToJsonArray(session ? SplitRoles(session->roles, session->position_roles) : std::vector<std::string>{});
    return result;
}

Result<api::Principal> AuthService::Authenticate(api::RequestContext& ctx, std::string_view token) {
    auto expired = [] {
        return AppError{
            "unauthenticated", "登录已失效，请重新登录 / Your session has ended; please sign in again", {}, {}};
    };
    if (token.empty() || token.size() > 128) return expired();
    std::string hash = TokenHash(token);
    auto row = AuthStore::FindSession(ctx.Db(), hash);
    if (!row || row->revoked || row->disabled || row->expires_at <= ctx.Now()) return expired();
    api::Principal p;
    p.user_id = row->user_id;
    p.tenant_id = row->tenant_id;
    p.login = row->login;
    p.name = row->name;
    p.roles = SplitRoles(row->roles, row->position_roles);
    p.permissions = PermissionsFor(p.roles);
    p.scope = ScopeFor(p.roles);
    p.site_id = row->site_id;
    p.department_id = row->department_id;
    p.team_id = row->team_id;
    p.supervisor_id = row->supervisor_id;
    p.token_hash = hash;
    p.session_expires_at = row->expires_at;
    return p;
}

void AuthService::Logout(api::RequestContext& ctx) {
    db::Transaction tx(ctx.Db(), db::TxMode::kWrite);
    AuthStore::RevokeSession(ctx.Db(), ctx.user().token_hash, ctx.Now());
    audit::Record(ctx, "auth.logout", "user", ctx.user().user_id, nullptr, nullptr);
    tx.Commit();
}

Status AuthService::ChangeOwnPassword(api::RequestContext& ctx, const std::string& current, const std::string& next) {
    auto& conn = ctx.Db();
    auto credentials = AuthStore::FindCredentials(conn, ctx.user().login);
    if (!credentials || !VerifyPassword(current, credentials->password_hash)) {
        return AppError{"invalid_credentials", "当前密码不正确 / The current password is wrong", {}, {}};
    }
    if (auto problem = PasswordProblem(next); !problem.empty()) return AppError::Validation("new_password", problem);
    std::string hash = HashPassword(next);
    db::Transaction tx(conn, db::TxMode::kWrite);
    AuthStore::SetPassword(conn, ctx.user().user_id, hash, ctx.Now());
    // Other devices must sign in again; this one keeps its session.
    AuthStore::RevokeUserSessions(conn, ctx.user().user_id, ctx.Now(), ctx.user().token_hash);
    audit::Record(ctx, "user.password_changed", "user", ctx.user().user_id, nullptr, nullptr);
    tx.Commit();
    return Ok{};
}

Result<boost::json::object> AuthService::Me(api::RequestContext& ctx) {
    const auto& p = ctx.user();
    auto profile = AuthStore::LoadProfile(ctx.Db(), p.user_id);
    if (!profile) return AppError::NotFound("用户 / User");
    boost::json::object me;
    me["id"] = profile->id;
    me["login"] = profile->login;
    me["name"] = profile->name;
    me["mobile"] = profile->mobile;
    me["employee_no"] = api::OptionalToJson(profile->employee_no);
    me["supervisor_id"] = api::OptionalToJson(profile->supervisor_id);
    me["position_id"] = api::OptionalToJson(profile->position_id);
    me["site_id"] = api::OptionalToJson(p.site_id);
    me["department_id"] = api::OptionalToJson(p.department_id);
    me["team_id"] = api::OptionalToJson(p.team_id);
    me["roles"] = ToJsonArray(p.roles);
    boost::json::array permissions;
    for (const auto& perm : p.permissions) permissions.emplace_back(perm);
    me["permissions"] = std::move(permissions);
    me["scope"] = api::ScopeName(p.scope);
    boost::json::object tenant;
    tenant["id"] = profile->tenant_id;
    tenant["name"] = profile->tenant_name;
    tenant["logo_file_id"] = api::OptionalToJson(profile->tenant_logo_file_id);
    me["tenant"] = std::move(tenant);
    return me;
}

}  // namespace safeloop::auth
