#include "db/migrate.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>

#include "core/crypto.hpp"

namespace safeloop::db {

namespace {

// pg_advisory_lock key shared by every process that migrates this database ("safe loop" in hex-speak).
constexpr int64_t kMigrationLockKey = 0x5AFE100F;

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr std::string_view kSelectApplied = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
constexpr std::string_view kSelectChecksum = "SELECT checksum FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kSelectCurrent = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

std::string Label(const Migration& m) { return fmt::format("V{:03}__{}", m.version, m.name); }

void CheckUnchanged(const Migration& m, const std::string& recorded_checksum, const std::string& checksum) {
    if (recorded_checksum == checksum) return;
    throw std::runtime_error(fmt::format(
        "migration {} was changed after it was applied (recorded checksum {}, now {}); applied migrations must "
        "never be edited: restore the file and put the change in a new migration",
        Label(m), recorded_checksum.substr(0, 12), checksum.substr(0, 12)));
}

// Holds PostgreSQL's session-level advisory lock for the whole run, so concurrent migrators queue.
class AdvisoryLock {
public:
    explicit AdvisoryLock(Connection& conn) : conn_(conn) {
        conn_.Exec("SELECT pg_advisory_lock($1)", {kMigrationLockKey});
    }
    ~AdvisoryLock() {
        try {
            conn_.Exec("SELECT pg_advisory_unlock($1)", {kMigrationLockKey});
        } catch (const std::exception& e) {
            // The lock ends with the session anyway.
            spdlog::warn("db: releasing the migration lock failed: {}", e.what());
        }
    }
    AdvisoryLock(const AdvisoryLock&) = delete;
    AdvisoryLock& operator=(const AdvisoryLock&) = delete;

private:
    Connection& conn_;
};

int64_t NowUnixMillis() {
    // Wall time on purpose: applied_at is a record for operators, not domain time, and Migrate is called
    // from the CLI before any injected Clock exists.
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool IsMacroName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

std::string RenderMigrationSql(std::string_view sql, Dialect dialect) {
    const bool postgres = dialect == Dialect::kPostgres;
    std::string out;
    out.reserve(sql.size());
    size_t pos = 0;
    while (pos < sql.size()) {
        const size_t open = sql.find("{{", pos);
        const size_t close = open == std::string_view::npos ? open : sql.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        const std::string_view name = sql.substr(open + 2, close - open - 2);
        if (!IsMacroName(name)) {  // not a macro (e.g. '{{}}' inside a literal): copy as is
            out.append(sql.substr(pos, open + 2 - pos));
            pos = open + 2;
            continue;
        }
        out.append(sql.substr(pos, open - pos));
        if (name == "BLOB") {
            out.append(postgres ? "BYTEA" : "BLOB");
        } else if (name == "SERIAL_PK") {
            out.append(postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
        } else if (name == "POSTGRES_ONLY") {
            // The rest of the line applies to PostgreSQL only (a column's storage, say): a comment for SQLite.
            out.append(postgres ? "" : "--");
        } else if (name == "SQLITE_ONLY") {
            // The rest of the line applies to SQLite only (where the dialects differ, e.g. unpacking JSON): a
            // comment for PostgreSQL. Pair it with a {{POSTGRES_ONLY}} line that does the same there.
            out.append(postgres ? "--" : "");
        } else {
            throw std::invalid_argument(fmt::format("unknown migration macro {{{{{}}}}}", name));
        }
        pos = close + 2;
    }
    out.append(sql.substr(std::min(pos, sql.size())));
    return out;
}

MigrateReport Migrate(Connection& conn, const std::vector<Migration>& migrations) {
    if (conn.InTransaction()) throw std::logic_error("db::Migrate must run outside a transaction");

    std::vector<const Migration*> ordered;
    ordered.reserve(migrations.size());
    for (const Migration& m : migrations) ordered.push_back(&m);
    std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->version < b->version; });
    for (size_t i = 0; i < ordered.size(); ++i) {
        if (ordered[i]->version <= 0 || (i > 0 && ordered[i]->version == ordered[i - 1]->version)) {
            throw std::invalid_argument(
                fmt::format("migration versions must be positive and unique: {}", Label(*ordered[i])));
        }
    }

    std::optional<AdvisoryLock> lock;
    if (conn.dialect() == Dialect::kPostgres) lock.emplace(conn);

    conn.Exec(kCreateMigrationsTable);
    std::map<int64_t, std::string> recorded;  // version -> checksum
    for (const Row& row : conn.Query(kSelectApplied)) recorded.emplace(row.Int(0), row.Text(2));

    // Refuse before changing anything if an applied migration was edited.
    std::map<int64_t, std::string> checksums;
    for (const Migration* m : ordered) {
        checksums[m->version] = Sha256Hex(m->sql);
        if (auto it = recorded.find(m->version); it != recorded.end())
            CheckUnchanged(*m, it->second, checksums[m->version]);
    }
    for (const auto& [version, checksum] : recorded) {
        if (!checksums.contains(version)) {
            spdlog::warn(
                "db: the database has migration V{:03}, which this build does not know (it is older "
                "than the schema)",
                version);
        }
    }

    MigrateReport report;
    for (const Migration* m : ordered) {
        if (recorded.contains(m->version)) continue;
        const std::string& checksum = checksums[m->version];
        try {
            Transaction tx(conn, TxMode::kWrite);
            // Another process may have applied it since the read above; on SQLite, BEGIN IMMEDIATE makes this
            // check and the apply one atomic step.
            if (auto row = conn.QueryOne(kSelectChecksum, {m->version})) {
                CheckUnchanged(*m, row->Text(0), checksum);
                continue;
            }
            conn.ExecScript(RenderMigrationSql(m->sql, conn.dialect()));
            conn.Exec(kInsertApplied, {m->version, m->name, checksum, NowUnixMillis()});
            tx.Commit();
        } catch (const DbError& e) {
            throw DbError(e.kind(), fmt::format("migration {} failed: {}", Label(*m), e.what()));
        }
        spdlog::info("db: applied migration {}", Label(*m));
        report.applied.push_back(m->version);
    }

    report.current_version = static_cast<int>(conn.QueryOne(kSelectCurrent)->Int(0));
    return report;
}

}  // namespace safeloop::db
