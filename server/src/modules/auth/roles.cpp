#include "modules/auth/roles.hpp"

#include <algorithm>
#include <stdexcept>

namespace safeloop::auth {

namespace {

// Auth's own: the platform permissions no feature module owns.
const std::vector<Grant>& PlatformGrants() {
    static const std::vector<Grant> kGrants = {
        {perm::kTestClock, {role::kAdmin}},
    };
    return kGrants;
}

// Auth's own grants and every feature module's.
std::vector<const std::vector<Grant>*> AllGrants() {
    auto all = ModuleGrants();
    all.push_back(&PlatformGrants());
    return all;
}

// The built-in roles before their grants are gathered.
std::vector<RoleInfo> BaseRoles() {
    return {
        {role::kAdmin, "系统管理员", "Administrator", api::Scope::kTenant, {}},
        {role::kSafetyOfficer, "安全员", "Safety officer", api::Scope::kTenant, {}},
        {role::kVp, "分管副总", "Deputy GM (safety)", api::Scope::kTenant, {}},
        {role::kDeptHead, "部门负责人/车间主任", "Department head", api::Scope::kDepartment, {}},
        {role::kTeamLeader, "班组长", "Team leader", api::Scope::kTeam, {}},
        {role::kWorker, "员工", "Worker", api::Scope::kTeam, {}},
        {role::kAuditor, "第三方审核员", "Third-party auditor", api::Scope::kSelf, {}},
    };
}

std::vector<RoleInfo> GatherGrants() {
    std::vector<RoleInfo> roles = BaseRoles();
    for (const auto* module : AllGrants()) {
        for (const auto& grant : *module) {
            for (auto key : grant.roles) {
                auto it = std::find_if(roles.begin(), roles.end(), [&](const RoleInfo& r) { return r.key == key; });
                if (it == roles.end())
                    throw std::logic_error("permission " + std::string(grant.permission) +
                                           " granted to the unknown role " + std::string(key));
                it->permissions.push_back(grant.permission);
            }
        }
    }
    return roles;
}

}  // namespace

const std::vector<std::string_view>& AllPermissions() {
    static const std::vector<std::string_view> kAll = [] {
        std::vector<std::string_view> all;
        for (const auto* module : AllGrants()) {
            for (const auto& grant : *module) {
                if (std::find(all.begin(), all.end(), grant.permission) != all.end()) {
                    throw std::logic_error("permission " + std::string(grant.permission) + " declared twice");
                }
                all.push_back(grant.permission);
            }
        }
        return all;
    }();
    return kAll;
}

const std::vector<RoleInfo>& RoleCatalog() {
    static const std::vector<RoleInfo> kRoles = GatherGrants();
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
