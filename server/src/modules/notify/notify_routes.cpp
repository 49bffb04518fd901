#include "modules/notify/notify_routes.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "api/json_body.hpp"
#include "api/path.hpp"
#include "core/ids.hpp"
#include "modules/notify/notify_permissions.hpp"
#include "modules/org/org_permissions.hpp"

namespace safeloop::notify {

namespace {

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 1000;
constexpr size_t kMaxRefChars = 200;

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

Result<int64_t> ReadLimit(const http::Request& req) {
    auto limit = req.Query("limit");
    if (!limit || limit->empty()) return kDefaultLimit;
    auto n = ParsePositive(*limit);
    if (!n || *n > kMaxLimit) return InvalidQuery("limit", "应为 1 到 1000 的整数 / must be a whole number 1..1000");
    return *n;
}

http::Response NotFoundResponse() { return http::Response::Error(AppError{"not_found", "不存在 / Not found", {}, {}}); }

boost::json::value OptTime(const std::optional<int64_t>& ms) {
    if (!ms) return nullptr;
    return boost::json::value(FormatRfc3339(FromUnixMillis(*ms)));
}

// ---- settings ----

Result<SettingsInput> ReadSettings(const boost::json::object& body) {
    AppError error{"validation_failed", "请求内容有误，请检查标出的字段 / Some fields are not valid", {}, {}};
    auto channel = [&](std::string_view key) -> const boost::json::object* {
        auto* v = body.if_contains(key);
        if (v == nullptr || v->is_null()) return nullptr;
        if (!v->is_object()) {
            error.fields.emplace(std::string(key), "应为对象或 null / must be an object or null");
            return nullptr;
        }
        return &v->as_object();
    };
    auto url = [&](const boost::json::object& object, std::string_view channel_key,
                   std::string_view member) -> std::string {
        const std::string field = std::string(channel_key) + "." + std::string(member);
        auto* v = object.if_contains(member);
        if (v == nullptr || !v->is_string() || api::Trim(v->as_string()).empty()) {
            error.fields.emplace(field, "必填 / is required");
            return "";
        }
        std::string text = api::Trim(v->as_string());
        if (!IsHttpUrl(text)) {
            error.fields.emplace(field, "应为 http:// 或 https:// 开头的完整地址 / must be an http:// or https:// URL");
            return "";
        }
        return text;
    };

    SettingsInput in;
    if (auto* sms = channel("sms")) in.sms = SmsSettings{url(*sms, "sms", "url")};
    if (auto* wecom = channel("wecom")) in.wecom = WeComSettings{url(*wecom, "wecom", "webhook")};
    if (auto* ding = channel("dingtalk")) {
        DingTalkInput d{url(*ding, "dingtalk", "webhook"), std::nullopt};
        if (auto* secret = ding->if_contains("secret"); secret != nullptr && !secret->is_null()) {
            if (!secret->is_string()) {
                error.fields.emplace("dingtalk.secret", "应为字符串 / must be a string");
            } else {
                std::string text = api::Trim(secret->as_string());
                bool printable = std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c != 0x7F; });
                if (text.size() > kMaxSecretChars || !printable) {
                    error.fields.emplace(
                        "dingtalk.secret",
                        "应为不含空白的字符串（最多 200 字符） / must be printable, at most 200 chars");
                }
                d.secret = std::move(text);
            }
        }
        in.dingtalk = std::move(d);
    }
    if (!error.fields.empty()) return error;
    return in;
}

http::Response HandleGetSettings(NotifyService& service, api::RequestContext& ctx) {
    return http::Response::Json(200, service.GetSettings(ctx));
}

http::Response HandlePutSettings(NotifyService& service, api::RequestContext& ctx) {
    auto body = api::ParseJsonObject(ctx.req());
    if (!body.ok()) return http::Response::Error(body.error());
    auto input = ReadSettings(*body);
    if (!input.ok()) return http::Response::Error(input.error());
    auto saved = service.PutSettings(ctx, *input);
    if (!saved.ok()) return http::Response::Error(saved.error());
    return http::Response::Json(200, *saved);
}

http::Response HandleSendTest(NotifyService& service, api::RequestContext& ctx) {
    auto body = api::ParseJsonObject(ctx.req());
    if (!body.ok()) return http::Response::Error(body.error());
    api::FieldReader f(*body);
    auto channel_name = f.OptionalEnum("channel", {"sms", "wecom", "dingtalk", "app"});
    if (!channel_name && f.ok())
        f.Fail("channel", "必填：sms、wecom、dingtalk 或 app / required: sms, wecom, dingtalk or app");
    auto to = f.OptionalString("to", 20);
    if (to && !IsPlausibleMobile(*to)) f.Fail("to", "应为手机号 / must be a mobile number");
    if (!f.ok()) return http::Response::Error(f.error());
    auto id = service.SendTest(ctx, *ParseChannel(*channel_name), to);
    if (!id.ok()) return http::Response::Error(id.error());
    boost::json::object out{{"id", *id}, {"channel", *channel_name}, {"status", "pending"}};
    return http::Response::Json(202, out);
}

// ---- delivery log ----

boost::json::object OutboxJson(const OutboxItem& item) {
    const store::OutboxRow& m = item.message;
    boost::json::object o;
    o["id"] = m.id;
    o["channel"] = m.channel;
    o["status"] = m.status;
    o["to_user_id"] = api::OptionalToJson(m.to_user_id);
    o["to_mobile"] = m.to_mobile;
    o["title"] = m.title;
    o["text"] = m.text;
    o["ref_type"] = m.ref_type;
    o["ref_id"] = m.ref_id;
    o["idempotency_key"] = m.idempotency_key;
    o["attempts"] = m.attempts;
    o["next_attempt_at"] = m.status == "pending" ? OptTime(m.next_attempt_at) : boost::json::value(nullptr);
    o["last_error"] = m.last_error;
    o["created_at"] = FormatRfc3339(FromUnixMillis(m.created_at));
    o["updated_at"] = FormatRfc3339(FromUnixMillis(m.updated_at));
    o["sent_at"] = OptTime(m.sent_at);
    boost::json::array log;
    for (const auto& a : item.attempts) {
        boost::json::object entry;
        entry["at"] = FormatRfc3339(FromUnixMillis(a.at));
        entry["http_status"] = api::OptionalToJson(a.http_status);
        entry["error"] = a.error;
        entry["response"] = a.response;
        entry["duration_ms"] = a.duration_ms;
        log.emplace_back(std::move(entry));
    }
    o["attempt_log"] = std::move(log);
    return o;
}

Result<store::OutboxFilter> ReadOutboxFilter(const http::Request& req) {
    store::OutboxFilter filter;
    if (auto status = req.Query("status"); status && !status->empty()) {
        if (*status != "pending" && *status != "sending" && *status != "sent" && *status != "dead") {
            return InvalidQuery("status",
                                "应为 pending、sending、sent 或 dead / must be pending, sending, sent or dead");
        }
        filter.status = std::string(*status);
    }
    if (auto channel = req.Query("channel"); channel && !channel->empty()) {
        if (!ParseChannel(*channel)) {
            return InvalidQuery("channel", "应为 sms、wecom、dingtalk 或 app / must be sms, wecom, dingtalk or app");
        }
        filter.channel = std::string(*channel);
    }
    if (auto ref = req.Query("ref_id"); ref && !ref->empty()) {
        if (api::Utf8Length(*ref) > kMaxRefChars) return InvalidQuery("ref_id", "太长 / too long");
        filter.ref_id = std::string(*ref);
    }
    auto limit = ReadLimit(req);
    if (!limit.ok()) return limit.error();
    filter.limit = *limit;
    if (auto cursor = req.Query("cursor"); cursor && !cursor->empty()) {
        filter.before_seq = ParsePositive(*cursor);
        if (!filter.before_seq) return InvalidQuery("cursor", "无效的游标 / not a cursor this list gave out");
    }
    return filter;
}

http::Response HandleListOutbox(NotifyService& service, api::RequestContext& ctx) {
    auto filter = ReadOutboxFilter(ctx.req());
    if (!filter.ok()) return http::Response::Error(filter.error());
    auto page = service.ListOutbox(ctx, *filter);
    boost::json::array items;
    for (const auto& item : page.items) items.emplace_back(OutboxJson(item));
    boost::json::object out;
    out["items"] = std::move(items);
    out["next_cursor"] = api::OptionalToJson(page.next_cursor);
    return http::Response::Json(200, out);
}

http::Response HandleGetOutbox(NotifyService& service, api::RequestContext& ctx) {
    auto id = api::PathId(ctx);
    if (!id) return NotFoundResponse();
    auto item = service.GetOutbox(ctx, *id);
    if (!item.ok()) return http::Response::Error(item.error());
    return http::Response::Json(200, OutboxJson(*item));
}

http::Response HandleRetry(NotifyService& service, api::RequestContext& ctx) {
    auto id = api::PathId(ctx);
    if (!id) return NotFoundResponse();
    auto item = service.Retry(ctx, *id);
    if (!item.ok()) return http::Response::Error(item.error());
    return http::Response::Json(200, OutboxJson(*item));
}

// ---- in-app ----

http::Response HandleListNotifications(NotifyService& service, api::RequestContext& ctx) {
    const http::Request& req = ctx.req();
    store::NotificationFilter filter;
    if (auto unread = req.Query("unread"); unread && !unread->empty()) {
        if (*unread == "true" || *unread == "1") {
            filter.unread_only = true;
        } else if (*unread != "false" && *unread != "0") {
            return http::Response::Error(InvalidQuery("unread", "应为 true 或 false / must be true or false"));
        }
    }
    auto limit = ReadLimit(req);
    if (!limit.ok()) return http::Response::Error(limit.error());
    filter.limit = *limit;
    if (auto cursor = req.Query("cursor"); cursor && !cursor->empty()) {
        filter.before_seq = ParsePositive(*cursor);
        if (!filter.before_seq) {
            return http::Response::Error(InvalidQuery("cursor", "无效的游标 / not a cursor this list gave out"));
        }
    }
    auto page = service.ListNotifications(ctx, filter);
    boost::json::array items;
    for (const auto& n : page.items) items.emplace_back(NotificationJson(n));
    boost::json::object out;
    out["items"] = std::move(items);
    out["next_cursor"] = api::OptionalToJson(page.next_cursor);
    out["unread_count"] = page.unread_count;
    return http::Response::Json(200, out);
}

http::Response HandleMarkRead(NotifyService& service, api::RequestContext& ctx) {
    auto id = api::PathId(ctx);
    if (!id) return NotFoundResponse();
    auto row = service.MarkRead(ctx, *id);
    if (!row.ok()) return http::Response::Error(row.error());
    return http::Response::Json(200, NotificationJson(*row));
}

http::Response HandleMarkAllRead(NotifyService& service, api::RequestContext& ctx) {
    boost::json::object out{{"updated", service.MarkAllRead(ctx)}};
    return http::Response::Json(200, out);
}

// Server-Sent Events. Only for clients that ask for them (EventSource and fetch-based readers send
// Accept: text/event-stream), so a plain GET never hangs on an endless body.
http::Response HandleStream(NotifyService& service, api::RequestContext& ctx) {
    auto accept = ctx.req().Header("accept");
    if (!accept || accept->find("text/event-stream") == std::string_view::npos) {
        boost::json::object error{{"code", "not_acceptable"},
                                  {"message",
                                   "请以 Accept: text/event-stream 请求此事件流 / This is an event stream: "
                                   "send Accept: text/event-stream"}};
        return http::Response::Json(406, boost::json::object{{"error", std::move(error)}});
    }
    http::Response response;
    response.status = 200;
    response.content_type = "text/event-stream; charset=utf-8";
    response.stream = service.OpenStream(ctx);
    return response;
}

}  // namespace

void RegisterNotifyRoutes(api::Router& router, NotifyService& service) {
    auto bind = [&service](http::Response (*handler)(NotifyService&, api::RequestContext&)) {
        return [&service, handler](api::RequestContext& ctx) { return handler(service, ctx); };
    };
    router.Add("GET", "/api/v1/settings/notify", org::perm::kSettingsRead, bind(HandleGetSettings));
    router.Add("PUT", "/api/v1/settings/notify", org::perm::kSettingsWrite, bind(HandlePutSettings));
    router.Add("POST", "/api/v1/settings/notify/test", org::perm::kSettingsWrite, bind(HandleSendTest));
    router.Add("GET", "/api/v1/outbox", perm::kOutboxRead, bind(HandleListOutbox));
    router.Add("GET", "/api/v1/outbox/{id}", perm::kOutboxRead, bind(HandleGetOutbox));
    router.Add("POST", "/api/v1/outbox/{id}/retry", org::perm::kSettingsWrite, bind(HandleRetry));
    router.Add("GET", "/api/v1/notifications", api::kAuthenticated, bind(HandleListNotifications));
    router.Add("POST", "/api/v1/notifications/read-all", api::kAuthenticated, bind(HandleMarkAllRead));
    router.Add("POST", "/api/v1/notifications/{id}/read", api::kAuthenticated, bind(HandleMarkRead));
    router.Add("GET", "/api/v1/notifications/stream", api::kAuthenticated, bind(HandleStream));
}

}  // namespace safeloop::notify
