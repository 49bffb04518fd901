#pragma once

// The organisation's records as plain values: tenant, site, department, team, position and user, and
// their JSON form for answers and audit entries. Times are UTC milliseconds since the epoch.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace safeloop::org {

struct Tenant {
    std::string id;
    std::string name;
    std::string code;
    std::optional<std::string> logo_file_id;
    int64_t created_at = 0;
};

struct Site {
    std::string id;
    std::string tenant_id;
    std::string name;
    std::string address;
    int64_t created_at = 0;
};

struct Department {
    std::string id;
    std::string tenant_id;
    std::optional<std::string> site_id;
    std::optional<std::string> parent_id;
    std::string name;
    std::optional<std::string> head_user_id;
    int64_t sort_order = 0;
    int64_t created_at = 0;
};

struct Team {
    std::string id;
    std::string tenant_id;
    std::string department_id;
    std::string name;
    std::optional<std::string> leader_user_id;
    int64_t created_at = 0;
};

struct Position {
    std::string id;
    std::string tenant_id;
    std::string name;
    std::vector<std::string> roles;  // role keys every holder of the position gets
    int64_t created_at = 0;
};

// A user without credentials. A user's effective roles are their own `roles` plus their position's.
struct User {
    std::string id;
    std::string tenant_id;
    std::string login;
    std::string name;
    std::string mobile;  // "" when unknown
    std::optional<std::string> employee_no;
    std::optional<std::string> site_id;
    std::optional<std::string> department_id;
    std::optional<std::string> team_id;
    std::optional<std::string> position_id;
    std::optional<std::string> supervisor_id;
    std::vector<std::string> roles;
    std::vector<std::string> position_roles;  // read-only, from the position (filled by queries)
    bool disabled = false;
    bool has_password = false;  // read-only (filled by queries)
    int64_t password_changed_at = 0;
    int64_t created_at = 0;
    int64_t updated_at = 0;
};

// A PATCH field: absent (leave as is), null (clear) or a new value.
template <typename T>
struct Change {
    bool present = false;
    std::optional<T> value;

    static Change Set(std::optional<T> v) { return Change{true, std::move(v)}; }
    // The value after applying this change to `current`.
    std::optional<T> Apply(const std::optional<T>& current) const { return present ? value : current; }
};

boost::json::object ToJson(const Tenant& tenant);
boost::json::object ToJson(const Site& site);
boost::json::object ToJson(const Department& department);
boost::json::object ToJson(const Team& team);
boost::json::object ToJson(const Position& position);
boost::json::object ToJson(const User& user);

// A user's own roles plus their position's, without repeats, own roles first.
std::vector<std::string> EffectiveRoles(const User& user);

}  // namespace safeloop::org
