#pragma once

// The files module's permissions, declared once here, and the built-in roles that hold them
// (auth/roles.cpp gathers every module's grants into the role catalog).

#include <string_view>
#include <vector>

#include "modules/auth/roles.hpp"

namespace safeloop::files {

namespace perm {
inline constexpr std::string_view kRead = "files.read";    // download files and thumbnails
inline constexpr std::string_view kWrite = "files.write";  // upload (whole or resumable)
}  // namespace perm

inline const std::vector<auth::Grant>& PermissionGrants() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<auth::Grant> kGrants = {
        {perm::kRead, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader, kWorker, kAuditor}},
        {perm::kWrite, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader, kWorker, kAuditor}},
    };
    return kGrants;
}

}  // namespace safeloop::files
