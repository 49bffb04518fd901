#include "modules/auth/auth_store.hpp"

#include "modules/auth/sessions.hpp"

namespace safeloop::auth {

namespace {

constexpr std::string_view kFindCredentials =
    "SELECT id, tenant_id, login, password_hash, disabled FROM users WHERE login = $1";
constexpr std::string_view kRecentFailures = "SELECT at FROM login_failures WHERE login = $1 AND at > $2";
constexpr std::string_view kRecordFailure = "INSERT INTO login_failures (login, at, remote) VALUES ($1, $2, $3)";
constexpr std::string_view kPruneFailures = "DELETE FROM login_failures WHERE at < $1";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, tenant_id, created_at, expires_at, user_agent) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kFindSession =
    "SELECT s.user_id, s.tenant_id, s.expires_at, s.revoked_at, u.login, u.name, u.roles, "
    "COALESCE(p.roles, ''), u.disabled, u.site_id, u.department_id, u.team_id, u.supervisor_id "
    "FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN positions p ON p.id = u.position_id "
    "WHERE s.token_hash = $1";
constexpr std::string_view kRevokeSession =
    "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL";
constexpr std::string_view kRevokeUserSessions =
    "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $3";
constexpr std::string_view kLoadProfile =
    "SELECT u.id, u.login, u.name, u.mobile, u.employee_no, u.supervisor_id, u.position_id, t.id, t.name, "
    "t.logo_file_id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1";

constexpr std::string_view kTenants = "SELECT id, code FROM tenants ORDER BY created_at, id";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, tenant_id, login, name, mobile, roles, password_hash, password_changed_at, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)";
constexpr std::string_view kSetDisabled = "UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1";

}  // namespace

std::vector<std::pair<std::string, std::string>> AuthStore::Tenants(db::Connection& conn) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& row : conn.Query(kTenants)) out.emplace_back(row.Text(0), row.Text(1));
    return out;
}

void AuthStore::InsertUser(db::Connection& conn, const std::string& id, const std::string& tenant_id,
                           const std::string& login, const std::string& name, const std::string& mobile,
                           const std::string& roles, const std::string& password_hash, TimePoint now) {
    conn.Exec(kInsertUser, {id, tenant_id, login, name, mobile, roles, password_hash, ToUnixMillis(now)});
}

void AuthStore::SetDisabled(db::Connection& conn, const std::string& user_id, bool disabled, TimePoint now) {
    conn.Exec(kSetDisabled, {user_id, disabled, ToUnixMillis(now)});
}

std::optional<Credentials> AuthStore::FindCredentials(db::Connection& conn, const std::string& login) {
    auto row = conn.QueryOne(kFindCredentials, {login});
    if (!row) return std::nullopt;
    return Credentials{row->Text(0), row->Text(1), row->Text(2), row->Text(3), row->Bool(4)};
}

std::vector<TimePoint> AuthStore::RecentFailures(db::Connection& conn, const std::string& login, TimePoint since) {
    std::vector<TimePoint> out;
    for (const auto& row : conn.Query(kRecentFailures, {login, ToUnixMillis(since)})) {
        out.push_back(FromUnixMillis(row.Int(0)));
    }
    return out;
}

void AuthStore::RecordFailure(db::Connection& conn, const std::string& login, TimePoint at, const std::string& remote) {
    conn.Exec(kRecordFailure, {login, ToUnixMillis(at), remote});
}

void AuthStore::PruneFailures(db::Connection& conn, TimePoint before) {
    conn.Exec(kPruneFailures, {ToUnixMillis(before)});
}

void AuthStore::InsertSession(db::Connection& conn, const std::string& token_hash, const Credentials& user,
                              TimePoint now, TimePoint expires_at, const std::string& user_agent) {
    conn.Exec(kInsertSession, {token_hash, user.user_id, user.tenant_id, ToUnixMillis(now), ToUnixMillis(expires_at),
                               user_agent.substr(0, 200)});
}

std::optional<SessionPrincipalRow> AuthStore::FindSession(db::Connection& conn, const std::string& token_hash) {
    auto row = conn.QueryOne(kFindSession, {token_hash});
    if (!row) return std::nullopt;
    SessionPrincipalRow s;
    s.user_id = row->Text(0);
    s.tenant_id = row->Text(1);
    s.expires_at = FromUnixMillis(row->Int(2));
    s.revoked = !row->IsNull(3);
    s.login = row->Text(4);
    s.name = row->Text(5);
    s.roles = row->Text(6);
    s.position_roles = row->Text(7);
    s.disabled = row->Bool(8);
    s.site_id = row->OptText(9);
    s.department_id = row->OptText(10);
    s.team_id = row->OptText(11);
    s.supervisor_id = row->OptText(12);
    return s;
}

void AuthStore::RevokeSession(db::Connection& conn, const std::string& token_hash, TimePoint now) {
    conn.Exec(kRevokeSession, {token_hash, ToUnixMillis(now)});
}

void AuthStore::RevokeUserSessions(db::Connection& conn, const std::string& user_id, TimePoint now,
                                   const std::optional<std::string>& except_token_hash) {
    conn.Exec(kRevokeUserSessions, {user_id, ToUnixMillis(now), except_token_hash.value_or("")});
}

std::optional<Profile> AuthStore::LoadProfile(db::Connection& conn, const std::string& user_id) {
    auto row = conn.QueryOne(kLoadProfile, {user_id});
    if (!row) return std::nullopt;
    return Profile{row->Text(0),    row->Text(1),    row->Text(2), row->Text(3), row->OptText(4),
                   row->OptText(5), row->OptText(6), row->Text(7), row->Text(8), row->OptText(9)};
}

void AuthStore::SetPassword(db::Connection& conn, const std::string& user_id, const std::string& hash, TimePoint now) {
    conn.Exec(kSetPassword, {user_id, hash, ToUnixMillis(now)});
}

void RevokeUserSessions(db::Connection& conn, const std::string& user_id, TimePoint now) {
    AuthStore::RevokeUserSessions(conn, user_id, now, std::nullopt);
}

}  // namespace safeloop::auth
