#pragma once

#include <string>
#include <vector>

#include "db/db.hpp"

namespace safeloop::db {

struct Migration {
    int version;       // from the file name V007__name.sql
    std::string name;  // "name"
    // Portable SQL with {{BLOB}} / {{SERIAL_PK}} macros; a line beginning {{POSTGRES_ONLY}} or {{SQLITE_ONLY}}
    // applies to that database alone (the rest of the line is a comment for the other).
    std::string sql;
};

// The migrations compiled into the binary from server/migrations/*.sql, in version order.
const std::vector<Migration>& EmbeddedMigrations();

// Expands the portable macros for a dialect.
std::string RenderMigrationSql(std::string_view sql, Dialect dialect);

struct MigrateReport {
    std::vector<int> applied;  // versions applied by this call
    int current_version = 0;
};

// Applies, in order and each in its own transaction, every migration not yet recorded in
// schema_migrations. Safe to run twice and from several processes at once (PostgreSQL: advisory lock;
// SQLite: BEGIN IMMEDIATE). Refuses (throws) if an applied migration's checksum changed.
MigrateReport Migrate(Connection& conn, const std::vector<Migration>& migrations);

}  // namespace safeloop::db
