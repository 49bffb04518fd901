#include "api/dispatch.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>

namespace safeloop::api {

namespace {

bool IsStateChanging(std::string_view method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::optional<std::string_view> BearerToken(const http::Request& request) {
    auto header = request.Header("authorization");
    if (!header) return std::nullopt;
    constexpr std::string_view kPrefix = "Bearer ";
    if (header->size() <= kPrefix.size()) return std::nullopt;
    auto prefix = header->substr(0, kPrefix.size());
    if (prefix != kPrefix && prefix != "bearer ") return std::nullopt;
    return header->substr(kPrefix.size());
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, db::Pool& pool, const Clock& clock, Authenticator& authenticator,
                       AuditSink& audit, Metrics& metrics, AssetHandler assets,
                       std::vector<std::string> keeps_principals)
    : router_(router),
      pool_(pool),
      clock_(clock),
      authenticator_(authenticator),
      audit_(audit),
      metrics_(metrics),
      assets_(std::move(assets)),
      keeps_principals_(std::move(keeps_principals)) {}

Result<Principal> Dispatcher::Authenticate(RequestContext& ctx, std::string_view token) {
    const auto steady_now = std::chrono::steady_clock::now();
    if (auto known = principals_.Find(token, ctx.Now(), steady_now)) return std::move(*known);
    const uint64_t epoch = principals_.epoch();  // before the read, so a change meanwhile voids what it gives
    auto principal = authenticator_.Authenticate(ctx, token);
    if (principal.ok()) principals_.Put(token, principal.value(), principal->session_expires_at, epoch, steady_now);
    return principal;
}

bool Dispatcher::KeepsPrincipals(std::string_view pattern) const {
    return std::ranges::any_of(keeps_principals_,
                               [pattern](const std::string& prefix) { return pattern.starts_with(prefix); });
}

http::Response Dispatcher::Handle(http::Request& request) {
    auto started = std::chrono::steady_clock::now();
    std::string route_label = "unmatched";
    std::string user_label = "-";
    http::Response response;
    try {
        response = Route(request, route_label, user_label);
    } catch (const AppErrorException& e) {
        response = http::Response::Error(e.error());
    } catch (const db::DbError& e) {
        // A database that is busy past its timeouts or unreachable is a passing condition: 503, try again.
        const bool passing = e.kind() == db::DbError::Kind::kBusy || e.kind() == db::DbError::Kind::kConnection;
        spdlog::error("[{}] {} {} failed: {}", request.request_id, request.method, route_label, e.what());
        response = http::Response::Error(
            passing
                ? AppError{"unavailable",
                           "数据库繁忙或暂时无法连接，请稍后重试 / The database is busy or unreachable; try "
                           "again shortly (request " +
                               request.request_id + ")",
                           {},
                           {}}
                : AppError{"internal_error",
                           "服务器内部错误，请稍后重试 / Internal server error (request " + request.request_id + ")",
                           {},
                           {}});
    } catch (const std::exception& e) {
        spdlog::error("[{}] {} {} failed: {}", request.request_id, request.method, route_label, e.what());
        response = http::Response::Error(
            AppError{"internal_error",
                     "服务器内部错误，请稍后重试 / Internal server error (request " + request.request_id + ")",
                     {},
                     {}});
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.Observe(request.method, route_label, response.status, seconds);
    spdlog::info("[{}] {} {} {} {:.1f}ms user={}", request.request_id, request.method, route_label, response.status,
                 seconds * 1000, user_label);
    return response;
}

http::Response Dispatcher::Route(http::Request& request, std::string& route_label, std::string& user_label) {
    if (!http::ParseTarget(request)) {
        return http::Response::Error(AppError{"bad_request", "无法解析的请求地址 / Malformed request target", {}, {}});
    }
    bool api_path = request.path.rfind("/api/", 0) == 0 || request.path == "/healthz" || request.path == "/metrics";
    if (!api_path && assets_ && (request.method == "GET" || request.method == "HEAD")) {
        if (auto asset = assets_(request)) {
            route_label = "web";
            return std::move(*asset);
        }
    }
    auto match = router_.Find(request.method, request.segments);
    if (!match.route) {
        if (!match.allowed_methods.empty()) {
            std::string allow;
            for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
            auto r = http::Response::Error(AppError{
                "method_not_allowed", "此地址不支持 " + request.method + " / Method not allowed here", {}, {}});
            r.headers.emplace_back("Allow", allow);
            return r;
        }
        return http::Response::Error(AppError{"not_found", "没有这个接口 / No such endpoint: " + request.path, {}, {}});
    }
    const api::Route& route = *match.route;
    route_label = route.pattern;
    request.path_params = std::move(match.params);

    RequestContext ctx(request, pool_, clock_);
    if (route.permission != kPublic) {
        auto token = BearerToken(request);
        if (!token) {
            return http::Response::Error(
                AppError{"unauthenticated", "请先登录 / Please sign in (missing bearer token)", {}, {}});
        }
        auto principal = Authenticate(ctx, *token);
        if (!principal.ok()) return http::Response::Error(principal.error());
        user_label = principal->login;
        if (route.permission != kAuthenticated && !principal->Has(route.permission)) {
            return http::Response::Error(AppError::Forbidden("您没有执行此操作的权限（需要 " + route.permission +
                                                             "）/ You lack the permission " + route.permission));
        }
        ctx.SetPrincipal(std::move(principal).value());
    }

    http::Response response = route.handler(ctx);
    // Committed by now, and not yet answered: the next request of anyone affected reads its principal afresh.
    if (IsStateChanging(request.method) && !KeepsPrincipals(route.pattern)) principals_.Forget();

    // Every successful state-changing request leaves an audit entry, even when its module wrote none.
    if (IsStateChanging(request.method) && ctx.authenticated() && !ctx.audited() && response.status < 400) {
        db::Transaction tx(ctx.Db(), db::TxMode::kWrite);
        boost::json::object after;
        after["status"] = response.status;
        after["path"] = request.path;
        audit_.Record(ctx, "http." + request.method + " " + route.pattern, "request", request.request_id, nullptr,
                      std::move(after));
        tx.Commit();
    }
    return response;
}

}  // namespace safeloop::api
