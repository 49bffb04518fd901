#pragma once

// SafeLoop's one small database interface. Two implementations live beside it (sqlite.cpp over the
// sqlite3 C API, postgres.cpp over libpq); no code outside db/ sees either library.
//
// SQL is written once, in PostgreSQL placeholder style ($1, $2, ...); the SQLite implementation
// rewrites the placeholders. Keep statements portable (ON CONFLICT, RETURNING and CTEs work on both);
// where a statement must differ, the store branches on Connection::dialect().
//
// Portable column types used by migrations: TEXT, BIGINT (all integers; times are UTC milliseconds
// since the epoch), DOUBLE PRECISION, and the macros {{BLOB}} (BLOB / BYTEA) and {{SERIAL_PK}}
// (INTEGER PRIMARY KEY AUTOINCREMENT / BIGSERIAL PRIMARY KEY). Booleans are BIGINT 0/1.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace safeloop::db {

enum class Dialect { kSqlite, kPostgres };

// A bytes parameter or column (BLOB / BYTEA), distinct from text.
struct Bytes {
    std::string data;
};

// One bound parameter. Converts implicitly from the usual C++ values; std::nullopt binds NULL.
class Param {
public:
    using Value = std::variant<std::monostate, int64_t, double, std::string, Bytes>;

    Param() = default;
    Param(std::nullptr_t) {}                                     // NOLINT(google-explicit-constructor)
    Param(std::nullopt_t) {}                                     // NOLINT(google-explicit-constructor)
    Param(int v) : value_(static_cast<int64_t>(v)) {}            // NOLINT(google-explicit-constructor)
    Param(long v) : value_(static_cast<int64_t>(v)) {}           // NOLINT(google-explicit-constructor)
    Param(long long v) : value_(static_cast<int64_t>(v)) {}      // NOLINT(google-explicit-constructor)
    Param(unsigned v) : value_(static_cast<int64_t>(v)) {}       // NOLINT(google-explicit-constructor)
    Param(unsigned long v) : value_(static_cast<int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
    Param(bool v) : value_(static_cast<int64_t>(v ? 1 : 0)) {}   // NOLINT(google-explicit-constructor)
    Param(double v) : value_(v) {}                               // NOLINT(google-explicit-constructor)
    Param(const char* v) : value_(std::string(v)) {}             // NOLINT(google-explicit-constructor)
    Param(std::string v) : value_(std::move(v)) {}               // NOLINT(google-explicit-constructor)
    Param(std::string_view v) : value_(std::string(v)) {}        // NOLINT(google-explicit-constructor)
    Param(Bytes v) : value_(std::move(v)) {}                     // NOLINT(google-explicit-constructor)
    template <typename T>
    Param(const std::optional<T>& v) {  // NOLINT(google-explicit-constructor)
        if (v) *this = Param(*v);
    }

    const Value& value() const { return value_; }
    bool is_null() const { return std::holds_alternative<std::monostate>(value_); }

private:
    Value value_;
};

using Params = std::vector<Param>;

// A materialised result row. Integer columns read as Int, text as Text, BLOB/BYTEA as Blob; reading a
// NULL with a non-Opt accessor throws DbError. Columns are addressed by 0-based index.
class Row {
public:
    using Value = std::variant<std::monostate, int64_t, double, std::string, Bytes>;

    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    size_t size() const { return values_.size(); }
    bool IsNull(size_t i) const;
    int64_t Int(size_t i) const;
    double Double(size_t i) const;
    bool Bool(size_t i) const { return Int(i) != 0; }
    std::string Text(size_t i) const;
    std::string Blob(size_t i) const;
    std::optional<int64_t> OptInt(size_t i) const;
    std::optional<double> OptDouble(size_t i) const;
    std::optional<std::string> OptText(size_t i) const;

private:
    const Value& At(size_t i) const;
    std::vector<Value> values_;
};

class DbError : public std::runtime_error {
public:
    enum class Kind { kUniqueViolation, kForeignKeyViolation, kCheckViolation, kBusy, kConnection, kOther };
    DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

enum class TxMode { kRead, kWrite };

class Connection {
public:
    virtual ~Connection() = default;
    virtual Dialect dialect() const = 0;
    // Runs one statement and returns every row it produced (SELECT, or anything with RETURNING).
    virtual std::vector<Row> Query(std::string_view sql, const Params& params = {}) = 0;
    // Runs one statement; returns the number of rows it changed.
    virtual int64_t Exec(std::string_view sql, const Params& params = {}) = 0;
    // Runs several ;-separated statements without parameters (migrations, DDL).
    virtual void ExecScript(std::string_view sql) = 0;
    // kWrite on SQLite is BEGIN IMMEDIATE, so two writers never deadlock on a lock upgrade.
    virtual void Begin(TxMode mode) = 0;
    virtual void Commit() = 0;
    virtual void Rollback() = 0;
    virtual bool InTransaction() const = 0;
    // True when the connection still works (a cheap round trip); used by /healthz and the pool.
    virtual bool Ping() = 0;

    // The single row a statement produced, or nullopt. More than one row throws DbError (kOther): it
    // usually means a missing key or tenant condition; add LIMIT 1 where the first row is really wanted.
    std::optional<Row> QueryOne(std::string_view sql, const Params& params = {});
};

// RAII transaction: rolls back unless Commit() was called.
class Transaction {
public:
    Transaction(Connection& conn, TxMode mode);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void Commit();

private:
    Connection& conn_;
    bool done_ = false;
};

struct PoolStats {
    size_t size = 0;
    size_t in_use = 0;
    uint64_t acquired_total = 0;
    uint64_t waited_total = 0;  // acquisitions that had to wait for a free connection
    double wait_seconds_total = 0;
};

class Pool;

// A connection borrowed from the pool; returned when the lease ends. A connection left inside a
// transaction is rolled back on return.
class Lease {
public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn);
    Lease(Lease&&) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
};

// How long Acquire() waits for a free connection by default (`serve --db-wait-s`).
inline constexpr std::chrono::milliseconds kDefaultAcquireTimeout{5000};

class Pool {
public:
    // url: "sqlite:/abs/or/relative/path.db" or "postgresql://user@host:port/db?host=/sock/dir" (libpq URI).
    static std::unique_ptr<Pool> Open(const std::string& url, size_t size);
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // Borrows a connection, waiting at most the acquire timeout for one to come free; then throws DbError kBusy,
    // which the dispatcher answers 503 `unavailable` with Retry-After (a request never waits forever).
    Lease Acquire();
    void SetAcquireTimeout(std::chrono::milliseconds timeout);
    Dialect dialect() const { return dialect_; }
    size_t size() const { return size_; }
    PoolStats Stats() const;

private:
    friend class Lease;
    Pool(Dialect dialect, size_t size, std::function<std::unique_ptr<Connection>()> factory);
    void Release(std::unique_ptr<Connection> conn);

    struct State;
    Dialect dialect_;
    size_t size_;
    std::unique_ptr<State> state_;
};

// The placeholders of an IN list, "($k, $k+1, ...)", for `values` appended to `params` (k = params.size() + 1 before
// the call). The list is padded, by repeating its last value, to one of a few fixed lengths (8, 32, 128, 512; longer
// lists keep their length), so that lists of many lengths share a handful of prepared statements; duplicates do not
// change what IN matches. `values` must not be empty (`x IN ()` is not SQL): callers return early on none.
std::string InList(const std::vector<std::string>& values, Params& params);

// Opens a single connection (CLI commands, migrations).
std::unique_ptr<Connection> Connect(const std::string& url);

// True for "postgresql://" and "postgres://" URLs.
bool IsPostgresUrl(std::string_view url);

}  // namespace safeloop::db
