#include "modules/auth/roles.hpp"

#include <algorithm>

namespace safeloop::auth {

namespace {

std::vector<std::string_view> Everything() {
    return {perm::kOrgRead,    perm::kOrgWrite,     perm::kOrgImport,     perm::kUsersRead,
            perm::kUsersWrite, perm::kSettingsRead, perm::kSettingsWrite, perm::kAuditRead,
            perm::kFilesRead,  perm::kFilesWrite,   perm::kTestClock,     perm::kOutboxRead};
}

// The hazard module's grants (issue 4), kept apart so each module's lines stay together.
std::vector<std::string_view> HazardGrants(std::string_view role_key) {
    using namespace perm;
    if (role_key == role::kAdmin) {
        return {kHazardsReport,    kHazardsRead,    kHazardsHandle,  kHazardsAssign,  kHazardsVerify,
                kHazardsConfigure, kHazardsMetrics, kWorkOrdersRead, kWorkOrdersClose};
    }
    if (role_key == role::kSafetyOfficer) {
        return {kHazardsReport, kHazardsRead,    kHazardsHandle,  kHazardsAssign,
                kHazardsVerify, kHazardsMetrics, kWorkOrdersRead, kWorkOrdersClose};
    }
    if (role_key == role::kVp || role_key == role::kDeptHead) {
        return {kHazardsReport,  kHazardsRead,    kHazardsHandle,  kHazardsAssign,
                kHazardsMetrics, kWorkOrdersRead, kWorkOrdersClose};
    }
    if (role_key == role::kTeamLeader) {
        return {kHazardsReport, kHazardsRead, kHazardsHandle, kHazardsAssign, kWorkOrdersRead};
    }
    if (role_key == role::kWorker) return {kHazardsReport, kHazardsRead, kHazardsHandle};
    if (role_key == role::kAuditor) return {kHazardsReport, kHazardsRead};
    return {};
}

std::vector<std::string_view> WithHazardGrants(std::vector<std::string_view> permissions, std::string_view role_key) {
    for (auto p : HazardGrants(role_key)) {
        if (std::find(permissions.begin(), permissions.end(), p) == permissions.end()) permissions.push_back(p);
    }
    return permissions;
}

std::vector<RoleInfo> WithHazardGrants(std::vector<RoleInfo> roles) {
    for (auto& r : roles) r.permissions = WithHazardGrants(std::move(r.permissions), r.key);
    return roles;
}

}  // namespace

const std::vector<std::string_view>& AllPermissions() {
    static const std::vector<std::string_view> kAll = WithHazardGrants(Everything(), role::kAdmin);
    return kAll;
}

const std::vector<RoleInfo>& RoleCatalog() {
    static const std::vector<RoleInfo> kRoles = WithHazardGrants({
        {role::kAdmin, "系统管理员", "Administrator", api::Scope::kTenant, Everything()},
        {role::kSafetyOfficer,
         "安全员",
         "Safety officer",
         api::Scope::kTenant,
         {perm::kOrgRead, perm::kUsersRead, perm::kAuditRead, perm::kSettingsRead, perm::kFilesRead, perm::kFilesWrite,
          perm::kOutboxRead}},
        {role::kVp,
         "分管副总",
         "Deputy GM (safety)",
         api::Scope::kTenant,
         {perm::kOrgRead, perm::kUsersRead, perm::kAuditRead, perm::kSettingsRead, perm::kFilesRead,
          perm::kFilesWrite}},
        {role::kDeptHead,
         "部门负责人/车间主任",
         "Department head",
         api::Scope::kDepartment,
         {perm::kOrgRead, perm::kUsersRead, perm::kFilesRead, perm::kFilesWrite}},
        {role::kTeamLeader,
         "班组长",
         "Team leader",
         api::Scope::kTeam,
         {perm::kOrgRead, perm::kUsersRead, perm::kFilesRead, perm::kFilesWrite}},
        {role::kWorker, "员工", "Worker", api::Scope::kTeam, {perm::kUsersRead, perm::kFilesRead, perm::kFilesWrite}},
        {role::kAuditor,
         "第三方审核员",
         "Third-party auditor",
         api::Scope::kSelf,
         {perm::kFilesRead, perm::kFilesWrite}},
    });
    return kRoles;
}

bool IsKnownRole(std::string_view key) {
    const auto& roles = RoleCatalog();
    return std::any_of(roles.begin(), roles.end(), [&](const RoleInfo& r) { return r.key == key; });
}

std::set<std::string, std::less<>> PermissionsFor(const std::vector<std::string>& roles) {
    std::set<std::string, std::less<>> out;
    for (const auto& info : RoleCatalog()) {
        if (std::find(roles.begin(), roles.end(), info.key) == roles.end()) continue;
        for (auto p : info.permissions) out.emplace(p);
    }
    return out;
}

api::Scope ScopeFor(const std::vector<std::string>& roles) {
    auto scope = api::Scope::kSelf;
    for (const auto& info : RoleCatalog()) {
        if (std::find(roles.begin(), roles.end(), info.key) == roles.end()) continue;
        scope = std::max(scope, info.scope);
    }
    return scope;
}

ParsedRoles ParseRoles(std::string_view text) {
    ParsedRoles out;
    std::string current;
    auto flush = [&] {
        if (current.empty()) return;
        std::string found;
        for (const auto& info : RoleCatalog()) {
            if (current == info.key || current == info.name_zh || current == info.name_en) found = info.key;
        }
        auto& target = found.empty() ? out.unknown : out.roles;
        std::string value = found.empty() ? current : found;
        if (std::find(target.begin(), target.end(), value) == target.end()) target.push_back(value);
        current.clear();
    };
    size_t i = 0;
    while (i < text.size()) {
        // Separators: ASCII comma, space, semicolon, and the full-width "，" and "、" (3 bytes each in UTF-8).
        if (text[i] == ',' || text[i] == ' ' || text[i] == ';') {
            flush();
            ++i;
        } else if (text.substr(i, 3) == "，" || text.substr(i, 3) == "、" || text.substr(i, 3) == "；") {
            flush();
            i += 3;
        } else {
            current.push_back(text[i]);
            ++i;
        }
    }
    flush();
    return out;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
    std::string out;
    for (const auto& r : roles) {
        if (!out.empty()) out += ",";
        out += r;
    }
    return out;
}

}  // namespace safeloop::auth
