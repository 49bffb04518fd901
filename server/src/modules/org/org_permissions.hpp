#pragma once

// The organisation module's permissions, declared once here, and the built-in roles that hold them
// (auth/roles.cpp gathers every module's grants into the role catalog). The tenant's settings belong here
// too: the tenant is the organisation's record, and other modules' settings (notify) use the same two.

#include <string_view>
#include <vector>

#include "modules/auth/roles.hpp"

namespace safeloop::org {

namespace perm {
inline constexpr std::string_view kOrgRead = "org.read";    // sites, departments, teams, positions
inline constexpr std::string_view kOrgWrite = "org.write";  // change them
inline constexpr std::string_view kOrgImport = "org.import";
inline constexpr std::string_view kUsersRead = "users.read";  // people, within the data scope
inline constexpr std::string_view kUsersWrite = "users.write";
inline constexpr std::string_view kSettingsRead = "settings.read";  // the tenant's and the modules' settings
inline constexpr std::string_view kSettingsWrite = "settings.write";
}  // namespace perm

inline const std::vector<auth::Grant>& PermissionGrants() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<auth::Grant> kGrants = {
        {perm::kOrgRead, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader}},
        {perm::kOrgWrite, {kAdmin}},
        {perm::kOrgImport, {kAdmin}},
        {perm::kUsersRead, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader, kWorker}},
        {perm::kUsersWrite, {kAdmin}},
        {perm::kSettingsRead, {kAdmin, kSafetyOfficer, kVp}},
        {perm::kSettingsWrite, {kAdmin}},
    };
    return kGrants;
}

}  // namespace safeloop::org
