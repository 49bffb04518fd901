// The raw single-row insert rate that bench/hazards.sh sets hazard creation over HTTP against: rows of
// the hazards table's full width, each INSERT its own transaction (autocommit), prepared once, through
// the database's own client library (sqlite3 / libpq) with the server's SQLite settings (WAL,
// synchronous=NORMAL, foreign keys on). Rows it writes carry codes RAW-… and are deleted at the end.
//
//   hazards_raw <sqlite:/path.db | postgresql://…> <tenant_id> <user_id> <seconds> <threads>
// prints: rows_per_s <n>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr const char* kInsert =
    "INSERT INTO hazards (id, tenant_id, code, code_year, code_seq, title, description, category, grade, status, "
    "source, manage_type, site_id, department_id, team_id, location, lat, lng, accuracy_m, photos_json, "
    "reporter_id, reporter_team_id, reporter_department_id, assignee_id, assignment_no, reported_at, due_at, "
    "original_due_at, assigned_at, rework_rounds, extension_count, escalation_count, version, updated_at) VALUES "
    "($1, $2, $3, 2099, $4, '基准测试隐患', '原始插入速率', '电气', 'blue', 'assigned', 1, 1, NULL, NULL, NULL, "
    "'基准', 30.03, 120.58, 5, '[]', $5, NULL, NULL, $5, 1, $6, $7, $7, $6, 0, 0, 0, 1, $6)";

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string Id(int thread, int64_t n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8%03x-%012llx", thread, static_cast<unsigned long long>(n));
    return buf;
}

std::string SqliteSql() {
    std::string s = kInsert;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '$') s[i] = '?';
    }
    return s;
}

int64_t RunSqlite(const std::string& path, const std::string& tenant, const std::string& user, int thread,
                  std::chrono::steady_clock::time_point until) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "open %s failed\n", path.c_str());
        std::exit(1);
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", nullptr, nullptr,
                 nullptr);
    sqlite3_stmt* st = nullptr;
    const std::string sql = SqliteSql();
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
        std::exit(1);
    }
    int64_t n = 0;
    while (std::chrono::steady_clock::now() < until) {
        const std::string id = Id(thread, n);
        const std::string code = "RAW-" + std::to_string(thread) + "-" + std::to_string(n);
        const int64_t now = NowMs();
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, tenant.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, code.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, thread * 100000000LL + n);
        sqlite3_bind_text(st, 5, user.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, now);
        sqlite3_bind_int64(st, 7, now + 72LL * 3600 * 1000);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            ++n;
        else if (rc != SQLITE_BUSY) {
            std::fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
            std::exit(1);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

int64_t RunPostgres(const std::string& url, const std::string& tenant, const std::string& user, int thread,
                    std::chrono::steady_clock::time_point until) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        std::fprintf(stderr, "connect: %s\n", PQerrorMessage(conn));
        std::exit(1);
    }
    PGresult* prepared = PQprepare(conn, "ins", kInsert, 0, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
        std::fprintf(stderr, "prepare: %s\n", PQerrorMessage(conn));
        std::exit(1);
    }
    PQclear(prepared);
    int64_t n = 0;
    while (std::chrono::steady_clock::now() < until) {
        const std::string id = Id(thread, n);
        const std::string code = "RAW-" + std::to_string(thread) + "-" + std::to_string(n);
        const std::string seq = std::to_string(thread * 100000000LL + n);
        const int64_t now = NowMs();
        const std::string at = std::to_string(now);
        const std::string due = std::to_string(now + 72LL * 3600 * 1000);
        const char* values[] = {id.c_str(),   tenant.c_str(), code.c_str(), seq.c_str(),
                                user.c_str(), at.c_str(),     due.c_str()};
        PGresult* r = PQexecPrepared(conn, "ins", 7, values, nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            std::fprintf(stderr, "insert: %s\n", PQerrorMessage(conn));
            std::exit(1);
        }
        PQclear(r);
        ++n;
    }
    PQfinish(conn);
    return n;
}

void Cleanup(const std::string& url) {
    const char* sql = "DELETE FROM hazards WHERE code LIKE 'RAW-%'";
    if (url.rfind("sqlite:", 0) == 0) {
        sqlite3* db = nullptr;
        sqlite3_open(url.substr(7).c_str(), &db);
        sqlite3_busy_timeout(db, 5000);
        sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
        sqlite3_close(db);
    } else {
        PGconn* conn = PQconnectdb(url.c_str());
        PQclear(PQexec(conn, sql));
        PQfinish(conn);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s <db url> <tenant_id> <user_id> <seconds> <threads>\n", argv[0]);
        return 2;
    }
    const std::string url = argv[1];
    const std::string tenant = argv[2];
    const std::string user = argv[3];
    const int seconds = std::atoi(argv[4]);
    const int threads = std::atoi(argv[5]);
    const bool sqlite = url.rfind("sqlite:", 0) == 0;
    const auto start = std::chrono::steady_clock::now();
    const auto until = start + std::chrono::seconds(seconds);
    std::atomic<int64_t> total{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            total +=
                sqlite ? RunSqlite(url.substr(7), tenant, user, t, until) : RunPostgres(url, tenant, user, t, until);
        });
    }
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("rows_per_s %.0f\n", static_cast<double>(total.load()) / elapsed);
    Cleanup(url);
    return 0;
}
