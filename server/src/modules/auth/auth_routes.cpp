#include "modules/auth/auth_routes.hpp"

#include "api/json_body.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"

#include <boost/json/array.hpp>

namespace safeloop::auth {

namespace {

http::Response Login(api::RequestContext& ctx, AuthService& service) {
    auto body = api::ParseJsonObject(ctx.req());
    if (!body.ok()) return http::Response::Error(body.error());
    api::FieldReader f(*body);
    std::string login = f.RequiredString("login", 64);
    std::string password;
    // Passwords are taken as sent (no trimming): spaces may be part of them.
    if (auto it = body->find("password"); it == body->end() || !it->value().is_string()) {
        f.Fail("password", "必填 / is required");
    } else {
        password = std::string(it->value().as_string());
        if (password.size() > kMaxPasswordLength) f.Fail("password", "过长 / is too long");
    }
    if (!f.ok()) return http::Response::Error(f.error());
    auto result = service.Login(ctx, login, password);
    if (!result.ok()) {
        auto r = http::Response::Error(result.error());
        if (auto it = result.error().extra.find("retry_after_s"); it != result.error().extra.end()) {
            r.headers.emplace_back("Retry-After", std::to_string(it->value().as_int64()));
        }
        return r;
    }
    boost::json::object out;
    out["token"] = result->token;
    out["expires_at"] = FormatRfc3339(result->expires_at);
    out["user"] = std::move(result->user);
    return http::Response::Json(200, out);
}

http::Response ChangePassword(api::RequestContext& ctx, AuthService& service) {
    auto body = api::ParseJsonObject(ctx.req());
    if (!body.ok()) return http::Response::Error(body.error());
    api::FieldReader f(*body);
    auto current = f.RequiredString("current_password", kMaxPasswordLength);
    auto next = f.RequiredString("new_password", kMaxPasswordLength);
    if (!f.ok()) return http::Response::Error(f.error());
    auto status = service.ChangeOwnPassword(ctx, current, next);
    if (!status.ok()) return http::Response::Error(status.error());
    return http::Response::NoContent();
}

http::Response Roles() {
    boost::json::array out;
    for (const auto& role : RoleCatalog()) {
        boost::json::object r;
        r["key"] = role.key;
        r["name_zh"] = role.name_zh;
        r["name_en"] = role.name_en;
        r["scope"] = api::ScopeName(role.scope);
        boost::json::array perms;
        for (auto p : role.permissions) perms.emplace_back(p);
        r["permissions"] = std::move(perms);
        out.push_back(std::move(r));
    }
    return http::Response::Json(200, out);
}

}  // namespace

void RegisterAuthRoutes(api::Router& router, AuthService& service) {
    router.Add("POST", "/api/v1/auth/login", api::kPublic, [&service](auto& ctx) { return Login(ctx, service); });
    router.Add("POST", "/api/v1/auth/logout", api::kAuthenticated, [&service](auto& ctx) {
        service.Logout(ctx);
        return http::Response::NoContent();
    });
    router.Add("GET", "/api/v1/me", api::kAuthenticated, [&service](auto& ctx) {
        auto me = service.Me(ctx);
        return me.ok() ? http::Response::Json(200, *me) : http::Response::Error(me.error());
    });
    router.Add("POST", "/api/v1/me/password", api::kAuthenticated,
               [&service](auto& ctx) { return ChangePassword(ctx, service); });
    router.Add("GET", "/api/v1/roles", api::kAuthenticated, [](auto&) { return Roles(); });
}

}  // namespace safeloop::auth
