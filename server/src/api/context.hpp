#pragma once

// What a handler gets: the request, the authenticated principal, a database connection borrowed
// for the request (lazily, on the worker thread that runs the handler) and the injected clock.

#include "core/clock.hpp"
#include "db/db.hpp"
#include "http/message.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::api {

// How far a user's data visibility reaches, from narrowest to widest.
enum class Scope { kSelf = 0, kTeam = 1, kDepartment = 2, kSite = 3, kTenant = 4 };
std::string_view ScopeName(Scope scope);

struct Principal {
    std::string user_id;
    std::string tenant_id;
    std::string login;
    std::string name;
    std::vector<std::string> roles;
    std::set<std::string, std::less<>> permissions;
    std::optional<std::string> site_id;
    std::optional<std::string> department_id;
    std::optional<std::string> team_id;
    std::optional<std::string> supervisor_id;
    Scope scope = Scope::kSelf;
    std::string token_hash;          // the session this request authenticated with
    TimePoint session_expires_at{};  // when that session ends

    bool Has(std::string_view permission) const { return permissions.contains(permission); }
    bool HasRole(std::string_view role) const;
};

class RequestContext {
public:
    RequestContext(http::Request& request, db::Pool& pool, const Clock& clock)
        : request_(request), pool_(pool), clock_(clock) {}

    http::Request& req() { return request_; }
    const http::Request& req() const { return request_; }
    const std::string& request_id() const { return request_.request_id; }
    const Clock& clock() const { return clock_; }
    TimePoint Now() const { return clock_.Now(); }

    bool authenticated() const { return principal_.has_value(); }
    const Principal& user() const;  // only on routes that require authentication
    void SetPrincipal(Principal principal) { principal_ = std::move(principal); }

    // The request's connection: acquired on first use and held until the request ends.
    db::Connection& Db();
    db::Pool& pool() { return pool_; }

    // Set by a module that wrote its own audit entry for this request, so the dispatcher does not add
    // a generic one.
    void MarkAudited() { audited_ = true; }
    bool audited() const { return audited_; }

private:
    bool audited_ = false;
    http::Request& request_;
    db::Pool& pool_;
    const Clock& clock_;
    std::optional<Principal> principal_;
    std::optional<db::Lease> lease_;
};

}  // namespace safeloop::api
