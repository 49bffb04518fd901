#pragma once

// Reading a route's path parameters. Every record is named by a UUID: a parameter that is not one names
// nothing, and the route answers 404 not_found (not 400), as for an id that is not there.
//
//     auto id = api::PathId(ctx);            // "/api/v1/users/{id}"
//     if (!id) return http::Response::Error(AppError::NotFound("用户", "User"));
//     auto xid = api::PathId(ctx, "extension_id");

#include <optional>
#include <string>

#include "api/context.hpp"
#include "core/ids.hpp"

namespace safeloop::api {

// The path parameter `name` as a normalised (lower-case) UUID; nullopt when it is not a UUID.
inline std::optional<std::string> PathId(const RequestContext& ctx, const std::string& name = "id") {
    const std::string& raw = ctx.req().Param(name);
    if (!IsUuid(raw)) return std::nullopt;
    return NormalizeUuid(raw);
}

}  // namespace safeloop::api
