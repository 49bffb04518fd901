#pragma once

// Turns a parsed request into a response: web assets, then routes; authentication, permission check,
// the handler, a generic audit entry for state changes nobody audited, metrics and one log line.
// Every failure becomes a JSON error; nothing escapes as an exception.

#include "api/context.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "core/error.hpp"

#include <functional>
#include <optional>
#include <string_view>

namespace safeloop::api {

// Resolves a bearer token to a principal (modules/auth implements it).
class Authenticator {
public:
    virtual ~Authenticator() = default;
    virtual Result<Principal> Authenticate(RequestContext& ctx, std::string_view token) = 0;
};

// Serves non-API paths (the built web app); nullopt means "not mine".
using AssetHandler = std::function<std::optional<http::Response>(const http::Request&)>;

class Dispatcher {
public:
    Dispatcher(const Router& router, db::Pool& pool, const Clock& clock, Authenticator& authenticator, Metrics& metrics,
               AssetHandler assets);

    http::Response Handle(http::Request& request);

private:
    http::Response Route(http::Request& request, std::string& route_label, std::string& user_label);

    const Router& router_;
    db::Pool& pool_;
    const Clock& clock_;
    Authenticator& authenticator_;
    Metrics& metrics_;
    AssetHandler assets_;
};

}  // namespace safeloop::api
