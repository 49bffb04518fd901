#include "modules/audit/audit_routes.hpp"

#include "api/json_body.hpp"
#include "core/error.hpp"
#include "modules/audit/audit.hpp"
#include "modules/audit/audit_permissions.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <charconv>
#include <utility>

namespace safeloop::audit {

namespace {

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 1000;
constexpr size_t kMaxFilterChars = 200;

AppError InvalidQuery(const std::string& field, std::string message) {
    AppError e{"invalid_query", "查询参数有误 / A query parameter is not valid", {}, {}};
    e.fields.emplace(field, std::move(message));
    return e;
}

std::optional<int64_t> ParsePositive(std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
    return value;
}

Result<ListFilter> ParseFilter(const api::RequestContext& ctx) {
    const http::Request& req = ctx.req();
    ListFilter filter;
    filter.tenant_id = ctx.user().tenant_id;
    filter.limit = kDefaultLimit;
    for (auto [key, target] : {std::pair{"entity_type", &filter.entity_type}, std::pair{"entity_id", &filter.entity_id},
                               std::pair{"actor_id", &filter.actor_id}}) {
        auto value = req.Query(key);
        if (!value || value->empty()) continue;
        if (api::Utf8Length(*value) > kMaxFilterChars) return InvalidQuery(key, "太长 / too long");
        *target = std::string(*value);
    }
    if (auto limit = req.Query("limit"); limit && !limit->empty()) {
        auto n = ParsePositive(*limit);
        if (!n || *n > kMaxLimit)
            return InvalidQuery("limit", "应为 1 到 1000 的整数 / must be a whole number 1..1000");
        filter.limit = *n;
    }
    if (auto cursor = req.Query("cursor"); cursor && !cursor->empty()) {
        auto n = ParsePositive(*cursor);
        if (!n) return InvalidQuery("cursor", "无效的游标 / not a cursor this list gave out");
        filter.before_index = *n;
    }
    return filter;
}

// The stored JSON text back as JSON; text that no longer parses (hand-edited rows) is shown as is.
boost::json::value StoredJson(const std::string& text) {
    auto parsed = api::ParseJson(text);
    if (!parsed.ok()) return boost::json::value(text);
    return std::move(parsed).value();
}

boost::json::object EntryToJson(const StoredEntry& entry) {
    const ChainRecord& r = entry.record;
    boost::json::object o;
    o["chain_index"] = r.chain_index;
    o["at"] = FormatRfc3339(FromUnixMillis(r.at_ms));
    o["actor_id"] = api::OptionalToJson(r.actor_id);
    o["request_id"] = r.request_id;
    o["action"] = r.action;
    o["entity_type"] = r.entity_type;
    o["entity_id"] = r.entity_id;
    o["before"] = StoredJson(r.before_json);
    o["after"] = StoredJson(r.after_json);
    o["hash"] = entry.hash;
    return o;
}

http::Response HandleList(api::RequestContext& ctx) {
    auto filter = ParseFilter(ctx);
    if (!filter.ok()) return http::Response::Error(filter.error());
    ListPage page = List(ctx.Db(), filter.value());
    boost::json::array items;
    items.reserve(page.items.size());
    for (const auto& entry : page.items) items.emplace_back(EntryToJson(entry));
    boost::json::object body;
    body["items"] = std::move(items);
    body["next_cursor"] = page.next_cursor ? boost::json::value(std::to_string(*page.next_cursor)) : nullptr;
    return http::Response::Json(200, body);
}

}  // namespace

void RegisterAuditRoutes(api::Router& router) { router.Add("GET", "/api/v1/audit", perm::kRead, HandleList); }

}  // namespace safeloop::audit
