#pragma once

// The notify module's permission, declared once here, and the built-in roles that hold it (auth/roles.cpp
// gathers every module's grants into the role catalog). Its settings use org's settings.read/settings.write.

#include <string_view>
#include <vector>

#include "modules/auth/roles.hpp"

namespace safeloop::notify {

namespace perm {
inline constexpr std::string_view kOutboxRead = "outbox.read";  // the outbound message delivery log
}  // namespace perm

inline const std::vector<auth::Grant>& PermissionGrants() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<auth::Grant> kGrants = {
        {perm::kOutboxRead, {kAdmin, kSafetyOfficer}},
    };
    return kGrants;
}

}  // namespace safeloop::notify
