#pragma once

// Every SQL statement of the auth module: credentials, sessions, failed-login records, and the
// principal a session resolves to.

#include "core/clock.hpp"
#include "db/db.hpp"

#include <optional>
#include <string>
#include <vector>

namespace safeloop::auth {

struct Credentials {
    std::string user_id;
    std::string tenant_id;
    std::string login;
    std::string password_hash;
    bool disabled = false;
};

struct SessionPrincipalRow {
    std::string user_id;
    std::string tenant_id;
    TimePoint expires_at;
    bool revoked = false;
    std::string login;
    std::string name;
    std::string roles;           // user's own, comma-separated
    std::string position_roles;  // from the position, comma-separated
    bool disabled = false;
    std::optional<std::string> site_id;
    std::optional<std::string> department_id;
    std::optional<std::string> team_id;
    std::optional<std::string> supervisor_id;
};

struct Profile {
    std::string id;
    std::string login;
    std::string name;
    std::string mobile;
    std::optional<std::string> employee_no;
    std::optional<std::string> supervisor_id;
    std::optional<std::string> position_id;
    std::string tenant_id;
    std::string tenant_name;
    std::optional<std::string> tenant_logo_file_id;
};

class AuthStore {
public:
    static std::optional<Credentials> FindCredentials(db::Connection& conn, const std::string& login);
    static std::vector<TimePoint> RecentFailures(db::Connection& conn, const std::string& login, TimePoint since);
    static void RecordFailure(db::Connection& conn, const std::string& login, TimePoint at, const std::string& remote);
    static void PruneFailures(db::Connection& conn, TimePoint before);
    static void InsertSession(db::Connection& conn, const std::string& token_hash, const Credentials& user,
                              TimePoint now, TimePoint expires_at, const std::string& user_agent);
    static std::optional<SessionPrincipalRow> FindSession(db::Connection& conn, const std::string& token_hash);
    static void RevokeSession(db::Connection& conn, const std::string& token_hash, TimePoint now);
    static void RevokeUserSessions(db::Connection& conn, const std::string& user_id, TimePoint now,
                                   const std::optional<std::string>& except_token_hash);
    static std::optional<Profile> LoadProfile(db::Connection& conn, const std::string& user_id);
    static void SetPassword(db::Connection& conn, const std::string& user_id, const std::string& hash, TimePoint now);

    // For the `safeloop user` command.
    static std::vector<std::pair<std::string, std::string>> Tenants(db::Connection& conn);  // id, code
    static void InsertUser(db::Connection& conn, const std::string& id, const std::string& tenant_id,
                           const std::string& login, const std::string& name, const std::string& mobile,
                           const std::string& roles, const std::string& password_hash, TimePoint now);
    static void SetDisabled(db::Connection& conn, const std::string& user_id, bool disabled, TimePoint now);
};

}  // namespace safeloop::auth
