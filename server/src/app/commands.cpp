#include "app/commands.hpp"

#include "app/app.hpp"
#include "app/modules.hpp"
#include "core/ids.hpp"
#include "db/migrate.hpp"
#include "modules/audit/audit.hpp"
#include "modules/auth/auth_store.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"
#include "modules/auth/sessions.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json/object.hpp>

#include <cstdio>
#include <filesystem>

namespace safeloop::app {

namespace {

int Fail(const std::string& message) {
    std::fprintf(stderr, "safeloop: %s\n", message.c_str());
    return 2;
}

std::string Option(const Config& c, const std::string& name) {
    auto it = c.options.find(name);
    return it == c.options.end() ? std::string() : it->second;
}

std::unique_ptr<db::Connection> OpenAndMigrate(const Config& config) {
    if (!config.UsesPostgres()) std::filesystem::create_directories(config.data_dir);
    auto conn = db::Connect(config.DatabaseUrl());
    db::Migrate(*conn, db::EmbeddedMigrations());
    return conn;
}

}  // namespace

int RunServe(const Config& config) {
    App app(config);
    uint16_t port = app.Start();
    spdlog::info("safeloop serving {}://{}:{} ({}{})", config.Tls() ? "https" : "http", config.address, port,
                 config.UsesPostgres() ? "PostgreSQL" : "SQLite in " + config.data_dir.string(),
                 config.manual_clock ? ", manual clock" : "");
    app.RunUntilSignalled();
    spdlog::info("safeloop stopped");
    return 0;
}

int RunMigrate(const Config& config) {
    if (!config.UsesPostgres()) std::filesystem::create_directories(config.data_dir);
    auto conn = db::Connect(config.DatabaseUrl());
    auto report = db::Migrate(*conn, db::EmbeddedMigrations());
    std::printf("schema at version %d (%zu migration(s) applied now)\n", report.current_version, report.applied.size());
    return 0;
}

int RunDemo(const Config& config) {
    if (!config.UsesPostgres()) {
        std::error_code ec;
        if (std::filesystem::exists(config.data_dir, ec) && !std::filesystem::is_empty(config.data_dir, ec)) {
            return Fail("refusing to create the demo in the non-empty folder " + config.data_dir.string());
        }
    }
    auto conn = OpenAndMigrate(config);
    if (!auth::AuthStore::Tenants(*conn).empty()) return Fail("the database already holds a tenant; demo refused");
    SystemClock clock;
    app::SeedDemo(*conn, clock);
    std::printf("demo tenant created in %s; every demo login's password is demo-2026\n",
                config.UsesPostgres() ? "PostgreSQL" : config.data_dir.string().c_str());
    return 0;
}

int RunUser(const Config& config) {
    if (config.positional.empty()) return Fail("user needs a sub-command: add, reset-password, disable, enable");
    const std::string& sub = config.positional[0];
    std::string login = Option(config, "login");
    if (login.empty()) return Fail("--login is required");
    auto conn = OpenAndMigrate(config);
    SystemClock clock;
    TimePoint now = clock.Now();
    auto audit_entry = [&](const std::string& tenant, const std::string& user_id, const std::string& action) {
        audit::Append(*conn, audit::Entry{tenant, std::nullopt, "cli", action, "user", user_id, nullptr, nullptr, now});
    };
    if (sub == "add") {
        std::string name = Option(config, "name");
        std::string password = Option(config, "password");
        if (name.empty()) return Fail("--name is required");
        if (auto problem = auth::PasswordProblem(password); !problem.empty()) return Fail("--password: " + problem);
        auto parsed = auth::ParseRoles(Option(config, "roles").empty() ? "worker" : Option(config, "roles"));
        if (!parsed.unknown.empty()) return Fail("unknown role: " + parsed.unknown.front());
        auto tenants = auth::AuthStore::Tenants(*conn);
        std::string tenant_code = Option(config, "tenant");
        std::string tenant_id;
        for (const auto& [id, code] : tenants) {
            if (tenant_code.empty() || code == tenant_code) tenant_id = id;
            if (tenant_code.empty()) break;
        }
        if (tenant_id.empty()) return Fail("no such tenant (create the demo or pass --tenant CODE)");
        if (auth::AuthStore::FindCredentials(*conn, login)) return Fail("login already exists: " + login);
        std::string id = NewUuidV7(clock);
        db::Transaction tx(*conn, db::TxMode::kWrite);
        auth::AuthStore::InsertUser(*conn, id, tenant_id, login, name, Option(config, "mobile"),
                                    auth::JoinRoles(parsed.roles), auth::HashPassword(password), now);
        audit_entry(tenant_id, id, "user.create");
        tx.Commit();
        std::printf("user %s created (%s)\n", login.c_str(), id.c_str());
        return 0;
    }
    auto credentials = auth::AuthStore::FindCredentials(*conn, login);
    if (!credentials) return Fail("no such login: " + login);
    db::Transaction tx(*conn, db::TxMode::kWrite);
    if (sub == "reset-password") {
        std::string password = Option(config, "password");
        if (auto problem = auth::PasswordProblem(password); !problem.empty()) return Fail("--password: " + problem);
        auth::AuthStore::SetPassword(*conn, credentials->user_id, auth::HashPassword(password), now);
        auth::RevokeUserSessions(*conn, credentials->user_id, now);
        audit_entry(credentials->tenant_id, credentials->user_id, "user.password_reset");
    } else if (sub == "disable" || sub == "enable") {
        auth::AuthStore::SetDisabled(*conn, credentials->user_id, sub == "disable", now);
        if (sub == "disable") auth::RevokeUserSessions(*conn, credentials->user_id, now);
        audit_entry(credentials->tenant_id, credentials->user_id, "user." + sub);
    } else {
        return Fail("unknown user sub-command: " + sub);
    }
    tx.Commit();
    std::printf("user %s: %s done\n", login.c_str(), sub.c_str());
    return 0;
}

int RunAudit(const Config& config) {
    if (config.positional.empty() || config.positional[0] != "verify") return Fail("usage: safeloop audit verify");
    auto conn = db::Connect(config.DatabaseUrl());
    auto report = audit::Verify(*conn);
    if (report.ok) {
        std::printf("audit log intact: %lld entries verified\n", static_cast<long long>(report.entries));
        return 0;
    }
    std::printf("audit log BROKEN: tenant %s, entry %lld: %s\n", report.tenant_id.c_str(),
                static_cast<long long>(report.first_bad_index.value_or(-1)), report.message.c_str());
    return 1;
}

}  // namespace safeloop::app
