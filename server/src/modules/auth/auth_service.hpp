#pragma once

#include "api/dispatch.hpp"
#include "modules/auth/auth_rules.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <string>

namespace safeloop::auth {

struct AuthOptions {
    std::chrono::hours token_ttl{24 * 30};  // phones work offline for a shift; tokens outlive it
    ThrottlePolicy throttle;
};

struct LoginResult {
    std::string token;
    TimePoint expires_at;
    boost::json::object user;
};

class AuthService final : public api::Authenticator {
public:
    explicit AuthService(AuthOptions options) : options_(options) {}

    Result<LoginResult> Login(api::RequestContext& ctx, const std::string& login, const std::string& password);
    void Logout(api::RequestContext& ctx);
    Status ChangeOwnPassword(api::RequestContext& ctx, const std::string& current, const std::string& next);
    Result<api::Principal> Authenticate(api::RequestContext& ctx, std::string_view token) override;
    Result<boost::json::object> Me(api::RequestContext& ctx);

private:
    AuthOptions options_;
};

}  // namespace safeloop::auth
