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
//
// Group commit: when a writer commits while others queue on the gate, its work is folded into the open
// SQLite transaction (each writer after the first runs inside a SAVEPOINT, so its rollback undoes only its
// own statements) and the gate passes to the next writer; the last writer of the group COMMITs for all,
// and every member's Commit() returns only once that COMMIT has succeeded (or throws if it failed). Pages
// that every write touches (an index's last leaf, a counter row, the audit chain's head, page 1) are then
// written to the WAL once per group instead of once per writer. A group is bounded in size and age; a
// member that finds the group still open with nobody inside it commits it itself.

#include <fmt/format.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
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

// Group commit bounds: at most this many writers share one COMMIT, and a group older than this commits at
// its next member's end even if others still queue.
constexpr int kMaxGroupMembers = 16;
constexpr std::chrono::microseconds kMaxGroupAge{5000};
// How often a member whose group is still open checks whether it is left with nobody to commit it.
constexpr std::chrono::milliseconds kGroupPoll{2};

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
    std::atomic<int> queued{0};              // writers waiting for the gate

    // The open group (an SQLite transaction on `handle` holding the work of its members); gate holder only.
    bool group_open = false;
    uint64_t group = 0;  // the open group's number, or the last one's
    int group_members = 0;
    std::chrono::steady_clock::time_point group_started;

    // How groups ended, for the members waiting on them; under `settle_mutex`. Groups end in order.
    std::mutex settle_mutex;
    std::condition_variable settled_cv;
    uint64_t settled = 0;                                 // every group up to this one has ended
    std::deque<std::pair<uint64_t, std::string>> failed;  // recent groups whose COMMIT failed, with why
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
        // The writing handle outlives this connection: never leave it inside this connection's work.
        if (writer_turn_.owns_lock()) RollbackWrite();
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
            writer_->queued.fetch_add(1);
            const bool got = gate.try_lock_for(std::chrono::milliseconds(kBusyTimeoutMs));
            writer_->queued.fetch_sub(1);
            if (!got) ThrowError(DbError::Kind::kBusy, "SQLite: database is locked (another writer held it too long)");
            if (!writer_->handle) {
                writer_->handle = OpenHandle(path_);
                sqlite3_wal_autocheckpoint(writer_->handle->db.get(), 0);
                sqlite3_wal_hook(writer_->handle->db.get(), RecordWalFrames, writer_.get());
                // A group member's SAVEPOINT journals the pages it changes; kept in memory, not in a temp
                // file per member (only on this handle: reads elsewhere may sort more than memory should hold).
                sqlite3_exec(writer_->handle->db.get(), "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr);
            }
            active_ = writer_->handle.get();
            try {
                if (writer_->group_open) {
                    Run("SAVEPOINT safeloop_member", {}, [](sqlite3_stmt*) {});
                    in_savepoint_ = true;
                } else {
                    Run("BEGIN IMMEDIATE", {}, [](sqlite3_stmt*) {});
                    writer_->group_open = true;
                    ++writer_->group;
                    writer_->group_members = 0;
                    writer_->group_started = std::chrono::steady_clock::now();
                    in_savepoint_ = false;
                }
            } catch (...) {
                active_ = own_.get();
                throw;
            }
            ++writer_->group_members;
            writer_turn_ = std::move(gate);
            return;
        }
        Run("BEGIN", {}, [](sqlite3_stmt*) {});
    }

    void Commit() override {
        if (writer_turn_.owns_lock()) {
            CommitWrite();
            return;
        }
        if (!InTransaction()) {
            ThrowError(DbError::Kind::kOther, "Commit: no transaction is open (an error may have rolled it back)");
        }
        Run("COMMIT", {}, [](sqlite3_stmt*) {});
    }

    void Rollback() override {
        if (writer_turn_.owns_lock()) {
            RollbackWrite();
            return;
        }
        // SQLite rolls back by itself after some errors (SQLITE_FULL, IOERR, ...); nothing left to undo then.
        if (InTransaction()) Run("ROLLBACK", {}, [](sqlite3_stmt*) {});
    }

    bool InTransaction() const override {
        return writer_turn_.owns_lock() || sqlite3_get_autocommit(active_->db.get()) == 0;
    }

    bool Ping() override { return sqlite3_exec(own_->db.get(), "SELECT 1", nullptr, nullptr, nullptr) == SQLITE_OK; }

private:
    bool GroupOpenOnHandle() const { return sqlite3_get_autocommit(writer_->handle->db.get()) == 0; }

    // This writer's work is done and kept: it joins the group, then either hands the gate to a queued writer
    // and waits for the group's COMMIT, or commits the group itself. Throws when the group's COMMIT failed
    // (nothing of this writer's work is then kept).
    void CommitWrite() {
        if (!GroupOpenOnHandle()) {
            // SQLite rolled the whole transaction back by itself after an error (SQLITE_FULL, IOERR, ...).
            EndGroup(false, "SQLite rolled the transaction back after an error");
            LeaveGate();
            ThrowError(DbError::Kind::kOther, "Commit: no transaction is open (an error rolled it back)");
        }
        if (in_savepoint_) {
            try {
                Run("RELEASE safeloop_member", {}, [](sqlite3_stmt*) {});
            } catch (...) {
                RollbackWrite();
                throw;
            }
        }
        const uint64_t group = writer_->group;
        const bool pass = writer_->queued.load() > 0 && writer_->group_members < kMaxGroupMembers &&
                          std::chrono::steady_clock::now() - writer_->group_started < kMaxGroupAge;
        if (pass) {
            LeaveGate();
            AwaitGroup(group);
            return;
        }
        const std::string failure = CommitGroup();
        LeaveGate();
        if (!failure.empty()) ThrowError(DbError::Kind::kOther, failure);
        CheckpointIfDue();
    }

    // Undoes this writer's work only; the group it joined goes on (and is committed now if nobody queues).
    // Like a commit, it returns once the group has ended. Never throws: called from destructors.
    void RollbackWrite() noexcept {
        if (!GroupOpenOnHandle()) {
            EndGroup(false, "SQLite rolled the transaction back after an error");
        } else if (!in_savepoint_) {
            // The group's first writer: the group holds nothing else yet.
            sqlite3_exec(active_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
            EndGroup(true, "");
        } else {
            const bool undone = sqlite3_exec(active_->db.get(), "ROLLBACK TO safeloop_member; RELEASE safeloop_member",
                                             nullptr, nullptr, nullptr) == SQLITE_OK;
            --writer_->group_members;
            if (!undone) {
                const std::string why = fmt::format(
                    "SQLite: a writer's rollback failed, so its whole group was "
                    "rolled back: {}",
                    sqlite3_errmsg(active_->db.get()));
                sqlite3_exec(active_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
                EndGroup(false, why);
            } else if (writer_->queued.load() == 0) {  // the group's first writer is still in it: members >= 1
                CommitGroup();                         // the members learn a failure themselves
            } else {
                // What this writer read may include the group's uncommitted work (a unique key taken by an
                // earlier member, say); the caller may look for it next on its own handle. So, as after a
                // commit, it returns once the group has ended.
                const uint64_t group = writer_->group;
                LeaveGate();
                try {
                    AwaitGroup(group);
                } catch (...) {  // the group failed: this writer's own work was undone anyway
                }
                return;
            }
        }
        LeaveGate();
    }

    // COMMITs the open group (gate held); returns why it failed, or "" when it committed.
    std::string CommitGroup() noexcept {
        std::string failure;
        if (sqlite3_exec(writer_->handle->db.get(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
            failure = fmt::format("SQLite: COMMIT failed: {}", sqlite3_errmsg(writer_->handle->db.get()));
            if (GroupOpenOnHandle()) sqlite3_exec(writer_->handle->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
        EndGroup(failure.empty(), failure);
        return failure;
    }

    // Marks the open group ended (gate held) and wakes its waiting members.
    void EndGroup(bool committed, const std::string& failure) noexcept {
        if (!writer_->group_open) return;
        writer_->group_open = false;
        writer_->group_members = 0;
        {
            std::lock_guard lock(writer_->settle_mutex);
            writer_->settled = writer_->group;
            if (!committed) {
                writer_->failed.emplace_back(writer_->group, failure);
                if (writer_->failed.size() > 64) writer_->failed.pop_front();
            }
        }
        writer_->settled_cv.notify_all();
    }

    void LeaveGate() noexcept {
        active_ = own_.get();
        in_savepoint_ = false;
        writer_turn_.unlock();
    }

    // Waits until the group this writer joined has ended; throws when it failed. A group whose last writer
    // handed the gate to one that gave up waiting, or that ended up rolling back, is left open with nobody
    // inside: a member that can take the gate while its group is still open commits it.
    void AwaitGroup(uint64_t group) {
        std::unique_lock lock(writer_->settle_mutex);
        while (!writer_->settled_cv.wait_for(lock, kGroupPoll, [&] { return writer_->settled >= group; })) {
            lock.unlock();
            {
                std::unique_lock gate(writer_->gate, std::try_to_lock);
                if (gate.owns_lock() && writer_->group_open && writer_->group == group) CommitGroup();
            }
            lock.lock();
        }
        for (const auto& [number, why] : writer_->failed) {
            if (number == group) ThrowError(DbError::Kind::kOther, why);
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
    std::unique_lock<std::timed_mutex> writer_turn_;  // held while this connection's write transaction runs
    bool in_savepoint_ = false;                       // it joined an open group (not the group's first)
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
