#pragma once

// The hazard module's permissions, declared once here, and the built-in roles that hold them
// (auth/roles.cpp gathers every module's grants into the role catalog). Who may take which action on a
// hazard beyond these is hazard_rules' Transition.

#include <string_view>
#include <vector>

#include "modules/auth/roles.hpp"

namespace safeloop::hazards {

namespace perm {
inline constexpr std::string_view kReport = "hazards.report";            // report a hazard (everyone)
inline constexpr std::string_view kRead = "hazards.read";                // see hazards within the data scope
inline constexpr std::string_view kHandle = "hazards.handle";            // accept, rectify, ask for more time
inline constexpr std::string_view kAssign = "hazards.assign";            // assign, reassign, decide extensions
inline constexpr std::string_view kVerify = "hazards.verify";            // verify rectifications
inline constexpr std::string_view kConfigure = "hazards.configure";      // deadlines, escalation, evidence
inline constexpr std::string_view kMetrics = "hazards.metrics";          // closure and penetration metrics
inline constexpr std::string_view kWorkOrdersRead = "work_orders.read";  // cross-department work orders
inline constexpr std::string_view kWorkOrdersClose = "work_orders.close";
}  // namespace perm

inline const std::vector<auth::Grant>& PermissionGrants() {
    using namespace auth::role;  // NOLINT(google-build-using-namespace): a table of role keys
    static const std::vector<auth::Grant> kGrants = {
        {perm::kReport, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader, kWorker, kAuditor}},
        {perm::kRead, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader, kWorker, kAuditor}},
        {perm::kHandle, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader, kWorker}},
        {perm::kAssign, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader}},
        {perm::kVerify, {kAdmin, kSafetyOfficer}},
        {perm::kConfigure, {kAdmin}},
        {perm::kMetrics, {kAdmin, kSafetyOfficer, kVp, kDeptHead}},
        {perm::kWorkOrdersRead, {kAdmin, kSafetyOfficer, kVp, kDeptHead, kTeamLeader}},
        {perm::kWorkOrdersClose, {kAdmin, kSafetyOfficer, kVp, kDeptHead}},
    };
    return kGrants;
}

}  // namespace safeloop::hazards
