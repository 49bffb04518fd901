#include "modules/sync/sync_registry.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <stdexcept>

#include "modules/audit/audit.hpp"

namespace safeloop::sync {

namespace {

// Audit entries looked at when asking whether an earlier attempt was applied: the entity's newest.
constexpr int64_t kAuditLookback = 200;

AppError ErrorOf(const http::Response& response) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(response.body, ec);
    const boost::json::object* error = nullptr;
    if (!ec && parsed.is_object()) {
        if (const auto* e = parsed.as_object().if_contains("error")) error = e->if_object();
    }
    if (error == nullptr) {
        return AppError{"internal_error", "服务器内部错误 / Internal server error", {}, {}};
    }
    AppError out;
    for (const auto& [key, value] : *error) {
        if (key == "code" && value.is_string()) {
            out.code = std::string(value.as_string());
        } else if (key == "message" && value.is_string()) {
            out.message = std::string(value.as_string());
        } else if (key == "fields" && value.is_object()) {
            for (const auto& [field, text] : value.as_object()) {
                if (text.is_string()) out.fields[std::string(field)] = std::string(text.as_string());
            }
        } else {
            out.extra[key] = value;
        }
    }
    return out;
}

}  // namespace

void Registry::Register(std::string type, MutationHandler handler) {
    if (handlers_.contains(type)) throw std::logic_error("sync: mutation type registered twice: " + type);
    handlers_.emplace(std::move(type), std::move(handler));
}

const MutationHandler* Registry::Find(std::string_view type) const {
    auto it = handlers_.find(type);
    return it == handlers_.end() ? nullptr : &it->second;
}

namespace {

AppError Forbidden(const std::string& permission) {
    return AppError::Forbidden("您没有执行此操作的权限（需要 " + permission + "）/ You lack the permission " +
                               permission);
}

bool Permitted(const api::RequestContext& ctx, const api::Route& route) {
    return route.permission == api::kPublic || route.permission == api::kAuthenticated ||
           ctx.user().Has(route.permission);
}

}  // namespace

std::optional<AppError> CheckPermission(const api::RequestContext& ctx, const api::Router& router,
                                        std::string_view method, std::string_view path) {
    auto match = router.Find(method, path);
    if (match.route == nullptr || Permitted(ctx, *match.route)) return std::nullopt;
    return Forbidden(match.route->permission);
}

http::Response CallRoute(api::RequestContext& ctx, const api::Router& router, std::string_view method,
                         const std::string& path, const boost::json::object& body) {
    http::Request& req = ctx.req();
    req.method = std::string(method);
    req.target = path;
    req.body = method == "GET" ? "" : boost::json::serialize(body);
    req.headers["content-type"] = "application/json";
    if (!http::ParseTarget(req)) {
        return http::Response::Error(AppError{"bad_request", "无法解析的地址 / Malformed path", {}, {}});
    }
    auto match = router.Find(req.method, req.segments);
    if (match.route == nullptr) return http::Response::Error(AppError::NotFound(path));
    const auto& route = *match.route;
    if (!Permitted(ctx, route)) return http::Response::Error(Forbidden(route.permission));
    req.path_params = std::move(match.params);
    return route.handler(ctx);
}

Outcome OutcomeOf(const http::Response& response, Outcome::Kind on_200) {
    if (response.status >= 200 && response.status < 300) {
        boost::system::error_code ec;
        auto parsed = boost::json::parse(response.body, ec);
        boost::json::value result = ec ? boost::json::value(nullptr) : std::move(parsed);
        if (response.status == 200) return Outcome{on_200, std::move(result), {}};
        return Outcome::Applied(std::move(result));
    }
    return Outcome::Rejected(ErrorOf(response));
}

bool AppliedEarlier(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id,
                    const std::string& mutation_id) {
    audit::ListFilter filter;
    filter.tenant_id = ctx.user().tenant_id;
    filter.entity_type = entity_type;
    filter.entity_id = entity_id;
    filter.limit = kAuditLookback;
    const std::string request_id = RequestIdFor(mutation_id);
    auto page = audit::List(ctx.Db(), filter);
    return std::ranges::any_of(page.items, [&](const auto& entry) { return entry.record.request_id == request_id; });
}

bool HasHistory(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id) {
    audit::ListFilter filter;
    filter.tenant_id = ctx.user().tenant_id;
    filter.entity_type = entity_type;
    filter.entity_id = entity_id;
    filter.limit = 1;
    return !audit::List(ctx.Db(), filter).items.empty();
}

std::string RequestIdFor(const std::string& mutation_id) { return "sync:" + mutation_id; }

}  // namespace safeloop::sync
