#pragma once

// Turns a parsed request into a response: web assets, then routes; authentication, permission check,
// the handler, a generic audit entry for state changes nobody audited, metrics and one log line.
// Every failure becomes a JSON error; nothing escapes as an exception.

#include "api/audit_sink.hpp"
#include "api/context.hpp"
#include "api/metrics.hpp"
#include "api/principal_cache.hpp"
#include "api/router.hpp"
#include "core/error.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::api {

// Resolves a bearer token to a principal (modules/auth implements it).
class Authenticator {
public:
    virtual ~Authenticator() = default;
    virtual Result<Principal> Authenticate(RequestContext& ctx, std::string_view token) = 0;
};

// How long a session's principal is used without reading it again (see api/principal_cache.hpp), and how many are
// kept at most.
inline constexpr std::chrono::milliseconds kPrincipalTtl{5000};
inline constexpr size_t kMaxCachedPrincipals = 10000;

// Serves non-API paths (the built web app); nullopt means "not mine".
using AssetHandler = std::function<std::optional<http::Response>(const http::Request&)>;

class Dispatcher {
public:
    // `keeps_principals`: path prefixes of routes whose writes never change who a user is (their roles, placement,
    // whether they may sign in); every other state-changing request empties the principal cache.
    // `audit`: where the generic entry of an unaudited state change goes (modules/audit implements it).
    Dispatcher(const Router& router, db::Pool& pool, const Clock& clock, Authenticator& authenticator, AuditSink& audit,
               Metrics& metrics, AssetHandler assets, std::vector<std::string> keeps_principals = {});

    http::Response Handle(http::Request& request);

private:
    http::Response Route(http::Request& request, std::string& route_label, std::string& user_label);
    Result<Principal> Authenticate(RequestContext& ctx, std::string_view token);
    bool KeepsPrincipals(std::string_view pattern) const;

    const Router& router_;
    db::Pool& pool_;
    const Clock& clock_;
    Authenticator& authenticator_;
    AuditSink& audit_;
    Metrics& metrics_;
    AssetHandler assets_;
    std::vector<std::string> keeps_principals_;
    PrincipalCache principals_{kPrincipalTtl, kMaxCachedPrincipals};
};

}  // namespace safeloop::api
