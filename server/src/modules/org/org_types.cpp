#include "modules/org/org_types.hpp"

#include <algorithm>
#include <boost/json/array.hpp>

#include "api/json_body.hpp"
#include "core/clock.hpp"

namespace safeloop::org {

namespace {

boost::json::array StringArray(const std::vector<std::string>& values) {
    boost::json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}

std::string Time(int64_t ms) { return FormatRfc3339(FromUnixMillis(ms)); }

}  // namespace

boost::json::object ToJson(const Tenant& tenant) {
    boost::json::object o;
    o["id"] = tenant.id;
    o["name"] = tenant.name;
    o["code"] = tenant.code;
    o["logo_file_id"] = api::OptionalToJson(tenant.logo_file_id);
    o["created_at"] = Time(tenant.created_at);
    return o;
}

boost::json::object ToJson(const Site& site) {
    boost::json::object o;
    o["id"] = site.id;
    o["name"] = site.name;
    o["address"] = site.address;
    o["created_at"] = Time(site.created_at);
    return o;
}

boost::json::object ToJson(const Department& department) {
    boost::json::object o;
    o["id"] = department.id;
    o["name"] = department.name;
    o["parent_id"] = api::OptionalToJson(department.parent_id);
    o["site_id"] = api::OptionalToJson(department.site_id);
    o["head_user_id"] = api::OptionalToJson(department.head_user_id);
    o["sort_order"] = department.sort_order;
    o["created_at"] = Time(department.created_at);
    return o;
}

boost::json::object ToJson(const Team& team) {
    boost::json::object o;
    o["id"] = team.id;
    o["name"] = team.name;
    o["department_id"] = team.department_id;
    o["leader_user_id"] = api::OptionalToJson(team.leader_user_id);
    o["created_at"] = Time(team.created_at);
    return o;
}

boost::json::object ToJson(const Position& position) {
    boost::json::object o;
    o["id"] = position.id;
    o["name"] = position.name;
    o["roles"] = StringArray(position.roles);
    o["created_at"] = Time(position.created_at);
    return o;
}

boost::json::object ToJson(const User& user) {
    boost::json::object o;
    o["id"] = user.id;
    o["login"] = user.login;
    o["name"] = user.name;
    o["mobile"] = user.mobile;
    o["employee_no"] = api::OptionalToJson(user.employee_no);
    o["department_id"] = api::OptionalToJson(user.department_id);
    o["team_id"] = api::OptionalToJson(user.team_id);
    o["position_id"] = api::OptionalToJson(user.position_id);
    o["site_id"] = api::OptionalToJson(user.site_id);
    o["supervisor_id"] = api::OptionalToJson(user.supervisor_id);
    o["roles"] = StringArray(user.roles);
    o["effective_roles"] = StringArray(EffectiveRoles(user));
    o["disabled"] = user.disabled;
    o["has_password"] = user.has_password;
    o["created_at"] = Time(user.created_at);
    o["updated_at"] = Time(user.updated_at);
    return o;
}

std::vector<std::string> EffectiveRoles(const User& user) {
    std::vector<std::string> out;
    for (const auto* list : {&user.roles, &user.position_roles}) {
        for (const auto& r : *list) {
            if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
        }
    }
    return out;
}

}  // namespace safeloop::org
