// db::Connection over the sqlite3 C API.
//
// Every statement is prepared once per connection (SQLITE_PREPARE_PERSISTENT) and cached by its SQL text.
// A cached statement is always reset and its bindings cleared when a call ends, however it ends: a
// statement left active keeps its read transaction open (stale snapshots, a WAL that cannot be
// checkpointed, SQLITE_BUSY for writers).
//
// Writers of one database file within this process queue on an in-process gate before BEGIN IMMEDIATE.
// SQLite's own busy handler polls with sleeps of 1 to 100 ms, so under concurrent writes most of the
// time went to sleeping while the lock was free; the gate hands the lock over at once. The busy timeout
// still covers other processes (the command line) and bounds the wait on the gate too.

#include <fmt/format.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <variant>

#include "db/backend.hpp"

namespace safeloop::db::detail {

namespace {

// How long a statement waits for another connection's write lock before failing with kBusy.
constexpr int kBusyTimeoutMs = 10'000;

// Every handle's settings. synchronous=NORMAL: a commit survives a crash of the process, not always a
// power cut. A 16 MB page cache keeps the writing handle's index pages. (mmap was measured slower for
// writes: every growth of the file remaps it in every handle.)
constexpr const char* kSetup =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;";

// The writing handle never checkpoints inside a commit (that would hold every other writer for the
// copy); after a commit that leaves at least this many frames in the WAL, the committing connection runs
// a passive checkpoint on its own handle, once the gate is free, while the next writers go on. A larger
// WAL between checkpoints also writes a hot page (an index's last leaf, a counter) back once, not often.
constexpr int kCheckpointFrames = 8000;

struct DatabaseCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DatabasePtr = std::unique_ptr<sqlite3, DatabaseCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// An open database handle and the statements prepared on it (finalised before the handle closes).
struct Handle {
    DatabasePtr db;
    LruCache<StatementPtr> statements{kStatementCacheCapacity};
    ~Handle() { statements.Clear(); }
};

// What the connections of this process to one database file share: the gate writers queue on, and the
// handle every write transaction runs on. One writing handle keeps its page cache across transactions
// (a handle that sees another handle's commit must drop its whole cache), so a write no longer re-reads
// the index pages it touches.
struct WriterShared {
    std::timed_mutex gate;
    std::unique_ptr<Handle> handle;          // opened by the first writer, used only by the gate's holder
    std::atomic<int> wal_frames{0};          // frames in the WAL after the last commit (sqlite3_wal_hook)
    std::atomic<bool> checkpointing{false};  // one checkpoint at a time
};

int RecordWalFrames(void* shared, sqlite3* /*db*/, const char* /*schema*/, int frames) {
    static_cast<WriterShared*>(shared)->wal_frames.store(frames, std::memory_order_relaxed);
    return SQLITE_OK;
}

// Null for an in-memory database, which every handle opens afresh (nothing to share).
std::shared_ptr<WriterShared> WriterSharedFor(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.starts_with("file:")) return nullptr;
    std::error_code error;
    auto canonical = std::filesystem::weakly_canonical(path, error);
    const std::string key = error ? path : canonical.string();
    static std::mutex registry_mutex;
    static std::map<std::string, std::weak_ptr<WriterShared>> registry;
    std::lock_guard lock(registry_mutex);
    auto& slot = registry[key];
    auto shared = slot.lock();
    if (!shared) {
        shared = std::make_shared<WriterShared>();
        slot = shared;
    }
    return shared;
}

DbError::Kind KindOf(int extended_code) {
    switch (extended_code) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_ROWID: return DbError::Kind::kUniqueViolation;
        case SQLITE_CONSTRAINT_FOREIGNKEY: return DbError::Kind::kForeignKeyViolation;
        case SQLITE_CONSTRAINT_CHECK:
        case SQLITE_CONSTRAINT_NOTNULL: return DbError::Kind::kCheckViolation;
        default: break;
    }
    switch (extended_code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return DbError::Kind::kBusy;
        default: return DbError::Kind::kOther;
    }
}

// Resets the statement and clears its bindings at scope exit (see the file comment).
class StatementUse {
public:
    explicit StatementUse(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~StatementUse() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;

private:
    sqlite3_stmt* stmt_;
};

bool OnlySeparators(std::string_view text) { return text.find_first_not_of(" \t\r\n\f\v;") == std::string_view::npos; }

Row ReadRow(sqlite3_stmt* stmt) {
    const int columns = sqlite3_column_count(stmt);
    std::vector<Row::Value> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_INTEGER: values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c))); break;
            case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
            case SQLITE_TEXT: {
                // Pointer first, then length: the documented order.
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                const int length = sqlite3_column_bytes(stmt, c);
                values.emplace_back(text != nullptr ? std::string(text, static_cast<size_t>(length)) : std::string());
                break;
            }
            case SQLITE_BLOB: {
                const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, c));
                const int length = sqlite3_column_bytes(stmt, c);
                values.emplace_back(Bytes{data != nullptr ? std::string(data, static_cast<size_t>(length)) : ""});
                break;
            }
            default: values.emplace_back(std::monostate{}); break;
        }
    }
    return Row(std::move(values));
}

class SqliteConnection final : public BackendConnection {
public:
    explicit SqliteConnection(const std::string& path)
        : path_(path), writer_(WriterSharedFor(path)), own_(OpenHandle(path)), active_(own_.get()) {}

    ~SqliteConnection() override {
        // The writing handle outlives this connection: never leave it inside a transaction.
        if (writer_turn_.owns_lock()) {
            if (InTransaction()) sqlite3_exec(active_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
            active_ = own_.get();
            writer_turn_.unlock();
        }
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    std::vector<Row> Query(std::string_view sql, const Params& params) override {
        std::vector<Row> rows;
        Run(sql, params, [&rows](sqlite3_stmt* stmt) { rows.push_back(ReadRow(stmt)); });
        return rows;
    }

    int64_t Exec(std::string_view sql, const Params& params) override {
        // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, so DDL would report a stale
        // figure; the total moves only when this statement changed rows.
        const int64_t before = sqlite3_total_changes64(active_->db.get());
        Run(sql, params, [](sqlite3_stmt*) {});
        return sqlite3_total_changes64(active_->db.get()) == before ? 0 : sqlite3_changes64(active_->db.get());
    }

    void ExecScript(std::string_view sql) override {
        const std::string script(sql);
        char* error = nullptr;
        const int rc = sqlite3_exec(active_->db.get(), script.c_str(), nullptr, nullptr, &error);
        if (rc == SQLITE_OK) return;
        const std::string message = error != nullptr ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        ThrowError(KindOf(sqlite3_extended_errcode(active_->db.get())),
                   fmt::format("SQLite: {} (in script: {})", message, SqlSnippet(sql)));
    }

    void Begin(TxMode mode) override {
        if (InTransaction()) ThrowError(DbError::Kind::kOther, "Begin: a transaction is already open (no nesting)");
        // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so a writer never has to
        // upgrade a read lock later, which SQLite refuses at once with SQLITE_BUSY.
        if (mode == TxMode::kWrite && writer_) {
            std::unique_lock gate(writer_->gate, std::defer_lock);
            if (!gate.try_lock_for(std::chrono::milliseconds(kBusyTimeoutMs))) {
                ThrowError(DbError::Kind::kBusy, "SQLite: database is locked (another writer held it too long)");
            }
            if (!writer_->handle) {
                writer_->handle = OpenHandle(path_);
                sqlite3_wal_autocheckpoint(writer_->handle->db.get(), 0);
                sqlite3_wal_hook(writer_->handle->db.get(), RecordWalFrames, writer_.get());
            }
            active_ = writer_->handle.get();
            try {
                Run("BEGIN IMMEDIATE", {}, [](sqlite3_stmt*) {});
            } catch (...) {
                active_ = own_.get();
                throw;
            }
            writer_turn_ = std::move(gate);
            return;
        }
        Run("BEGIN", {}, [](sqlite3_stmt*) {});
    }

    void Commit() override {
        if (!InTransaction()) {
            ThrowError(DbError::Kind::kOther, "Commit: no transaction is open (an error may have rolled it back)");
        }
        Run("COMMIT", {}, [](sqlite3_stmt*) {});
        const bool wrote = writer_turn_.owns_lock();
        ReleaseWriterTurn();
        if (wrote) CheckpointIfDue();
    }

    void Rollback() override {
        // SQLite rolls back by itself after some errors (SQLITE_FULL, IOERR, ...); nothing left to undo then.
        if (InTransaction()) Run("ROLLBACK", {}, [](sqlite3_stmt*) {});
        ReleaseWriterTurn();
    }

    bool InTransaction() const override { return sqlite3_get_autocommit(active_->db.get()) == 0; }

    bool Ping() override { return sqlite3_exec(own_->db.get(), "SELECT 1", nullptr, nullptr, nullptr) == SQLITE_OK; }

private:
    // After COMMIT or ROLLBACK; a failed COMMIT keeps the turn until the rollback that follows it.
    void ReleaseWriterTurn() {
        if (writer_turn_.owns_lock() && !InTransaction()) {
            active_ = own_.get();
            writer_turn_.unlock();
        }
    }

    // The bulk of the copy runs while writers go on; the few frames they appended meanwhile are copied with
    // the gate held, so that the next write starts the WAL over from its beginning (a WAL whose end is
    // never caught up would grow without bound). Best effort: a checkpoint held back by a reader still
    // using old frames is retried after a later commit.
    void CheckpointIfDue() {
        if (writer_->wal_frames.load(std::memory_order_relaxed) < kCheckpointFrames) return;
        if (writer_->checkpointing.exchange(true)) return;
        sqlite3_wal_checkpoint_v2(own_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        std::unique_lock gate(writer_->gate, std::defer_lock);
        if (gate.try_lock_for(std::chrono::milliseconds(kBusyTimeoutMs))) {
            sqlite3_wal_checkpoint_v2(own_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        writer_->checkpointing.store(false);
    }

    static std::unique_ptr<Handle> OpenHandle(const std::string& path) {
        auto handle = std::make_unique<Handle>();
        sqlite3* raw = nullptr;
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
        handle->db.reset(raw);  // closes even when opening failed
        if (rc != SQLITE_OK) {
            const char* why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
            throw DbError(DbError::Kind::kConnection, fmt::format("cannot open SQLite database {}: {}", path, why));
        }
        sqlite3_extended_result_codes(raw, 1);
        sqlite3_busy_timeout(raw, kBusyTimeoutMs);
        char* error = nullptr;
        if (sqlite3_exec(raw, kSetup, nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string why = error != nullptr ? error : sqlite3_errmsg(raw);
            sqlite3_free(error);
            throw DbError(DbError::Kind::kConnection, fmt::format("cannot set up SQLite database {}: {}", path, why));
        }
        return handle;
    }

    template <typename OnRow>
    void Run(std::string_view sql, const Params& params, OnRow&& on_row) {
        sqlite3_stmt* stmt = Prepare(sql);
        StatementUse use(stmt);
        Bind(stmt, params, sql);
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_ROW) {
                on_row(stmt);
            } else if (rc == SQLITE_DONE) {
                return;
            } else {
                Fail(sql);
            }
        }
    }

    sqlite3_stmt* Prepare(std::string_view sql) {
        if (StatementPtr* cached = active_->statements.Find(sql)) return cached->get();

        const std::string rewritten = RewritePlaceholdersForSqlite(sql);
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v3(active_->db.get(), rewritten.data(), static_cast<int>(rewritten.size()),
                                          SQLITE_PREPARE_PERSISTENT, &raw, &tail);
        StatementPtr stmt(raw);
        if (rc != SQLITE_OK) Fail(sql);
        if (stmt == nullptr) ThrowError(DbError::Kind::kOther, "empty SQL statement");

        const std::string_view rest(tail, static_cast<size_t>(rewritten.data() + rewritten.size() - tail));
        if (!OnlySeparators(rest)) {
            // Anything but a comment after the first statement would be silently ignored by SQLite.
            sqlite3_stmt* next = nullptr;
            const int next_rc =
                sqlite3_prepare_v2(active_->db.get(), rest.data(), static_cast<int>(rest.size()), &next, nullptr);
            sqlite3_finalize(next);
            if (next_rc != SQLITE_OK || next != nullptr) {
                ThrowError(
                    DbError::Kind::kOther,
                    fmt::format("Query/Exec take one statement; use ExecScript for several: {}", SqlSnippet(sql)));
            }
        }
        sqlite3_stmt* result = stmt.get();
        active_->statements.Insert(std::string(sql), std::move(stmt));  // an evicted statement is finalised here
        return result;
    }

    void Bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
        const int expected = sqlite3_bind_parameter_count(stmt);
        if (static_cast<size_t>(expected) != params.size()) {
            ThrowError(DbError::Kind::kOther, fmt::format("statement takes {} parameters, {} given: {}", expected,
                                                          params.size(), SqlSnippet(sql)));
        }
        for (size_t i = 0; i < params.size(); ++i) {
            // $N became ?N, whose bind index is N.
            const int index = static_cast<int>(i) + 1;
            // SQLITE_STATIC is safe: the values outlive the call and the bindings are cleared at its end.
            const int rc = std::visit(
                [&](const auto& v) -> int {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        return sqlite3_bind_null(stmt, index);
                    } else if constexpr (std::is_same_v<T, int64_t>) {
                        return sqlite3_bind_int64(stmt, index, v);
                    } else if constexpr (std::is_same_v<T, double>) {
                        return sqlite3_bind_double(stmt, index, v);
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
                    } else {
                        return sqlite3_bind_blob64(stmt, index, v.data.data(), v.data.size(), SQLITE_STATIC);
                    }
                },
                params[i].value());
            if (rc != SQLITE_OK) Fail(sql);
        }
    }

    // The message carries SQLite's text and the start of the SQL, never a bound value.
    [[noreturn]] void Fail(std::string_view sql) {
        ThrowError(KindOf(sqlite3_extended_errcode(active_->db.get())),
                   fmt::format("SQLite: {} (in: {})", sqlite3_errmsg(active_->db.get()), SqlSnippet(sql)));
    }

    std::string path_;
    std::shared_ptr<WriterShared> writer_;            // outlives the turn below
    std::unique_lock<std::timed_mutex> writer_turn_;  // held from BEGIN IMMEDIATE to COMMIT/ROLLBACK
    std::unique_ptr<Handle> own_;                     // reads and writes outside a write transaction
    Handle* active_;                                  // own_, or the writing handle during a write transaction
};

bool IsIdentifierChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '$' ||
           u >= 0x80;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::unique_ptr<Connection> OpenSqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

std::string RewritePlaceholdersForSqlite(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    size_t i = 0;
    // Copies from i up to and including the first `close` (or to the end).
    auto copy_through = [&](std::string_view close) {
        const size_t end = sql.find(close, i);
        const size_t stop = end == std::string_view::npos ? sql.size() : end + close.size();
        out.append(sql.substr(i, stop - i));
        i = stop;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
        if (c == '\'' || c == '"' || c == '`') {
            // A doubled quote inside a literal closes and reopens it, which copies the same text.
            out.push_back(c);
            ++i;
            copy_through(std::string_view(&c, 1));
        } else if (c == '[') {
            copy_through("]");
        } else if (c == '-' && next == '-') {
            copy_through("\n");
        } else if (c == '/' && next == '*') {
            out.append("/*");
            i += 2;
            copy_through("*/");
        } else if (c == '$' && IsDigit(next) && (i == 0 || !IsIdentifierChar(sql[i - 1]))) {
            out.push_back('?');
            ++i;
            while (i < sql.size() && IsDigit(sql[i])) out.push_back(sql[i++]);
        } else {
            out.push_back(c);
            ++i;
        }
    }
    return out;
}

}  // namespace safeloop::db::detail
