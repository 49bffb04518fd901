#include "api/context.hpp"

#include <algorithm>
#include <stdexcept>

namespace safeloop::api {

std::string_view ScopeName(Scope scope) {
    switch (scope) {
        case Scope::kSelf: return "self";
        case Scope::kTeam: return "team";
        case Scope::kDepartment: return "department";
        case Scope::kSite: return "site";
        case Scope::kTenant: return "tenant";
    }
    return "self";
}

bool Principal::HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const Principal& RequestContext::user() const {
    if (!principal_) throw std::logic_error("RequestContext::user() on an unauthenticated route");
    return *principal_;
}

db::Connection& RequestContext::Db() {
    if (!lease_) lease_.emplace(pool_.Acquire());
    return **lease_;
}

}  // namespace safeloop::api
