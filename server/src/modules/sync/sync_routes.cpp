#include "modules/sync/sync_routes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "modules/sync/sync_service.hpp"

namespace safeloop::sync {

void RegisterSyncRoutes(api::Router& router, SyncService& service) {
    router.Add("POST", "/api/v1/sync", api::kAuthenticated, [&service](api::RequestContext& ctx) {
        // The server reads this path with the upload body limit; a batch has its own, smaller one.
        if (ctx.req().body.size() > kMaxBatchBytes) {
            return http::Response::Error(AppError{
                "payload_too_large",
                fmt::format("同步批次过大（上限 {} MB），请分批发送 / The batch is too large (at most {} MB); send it "
                            "in smaller batches",
                            kMaxBatchBytes >> 20U, kMaxBatchBytes >> 20U),
                {},
                {{"max_bytes", kMaxBatchBytes}}});
        }
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return http::Response::Error(body.error());
        auto batch = ParseBatch(*body);
        if (!batch.ok()) return http::Response::Error(batch.error());
        return http::Response::Json(200, service.Apply(ctx, *batch));
    });

    router.Add("GET", "/api/v1/sync/changes", api::kAuthenticated, [&service](api::RequestContext& ctx) {
        const auto& req = ctx.req();
        auto limit = api::ParseLimit(req.Query("limit"));
        if (!limit) {
            return http::Response::Error(AppError{
                "invalid_query", "limit 应为 1–1000 的整数 / limit must be a whole number from 1 to 1000", {}, {}});
        }
        std::optional<ChangeCursor> cursor;
        if (auto text = req.Query("cursor"); text && !text->empty()) {
            cursor = DecodeChangeCursor(*text);
            if (!cursor) {
                return http::Response::Error(
                    AppError{"invalid_query", "同步游标无效 / The cursor is not valid", {}, {}});
            }
        }
        const int page = req.Query("limit") ? std::min(*limit, kMaxChangeLimit) : kDefaultChangeLimit;
        auto r = service.Changes(ctx, cursor, page);
        if (!r.ok()) return http::Response::Error(r.error());
        return http::Response::Json(200, *r);
    });
}

}  // namespace safeloop::sync
