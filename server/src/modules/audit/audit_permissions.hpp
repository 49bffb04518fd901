#pragma once

// The audit module's permission, declared once here, and the built-in roles that hold it (auth/roles.cpp
// gathers every module's grants into the role catalog).

#include <string_view>
#include <vector>

#include "modules/auth/roles.hpp"

namespace safeloop::audit {

namespace perm {
inline constexpr std::string_view kRead = "audit.read";  // the audit log
}  // namespace perm

inline const std::vector<auth::Grant>& PermissionGrants() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<auth::Grant> kGrants = {
        {perm::kRead, {kAdmin, kSafetyOfficer, kVp}},
    };
    return kGrants;
}

}  // namespace safeloop::audit
