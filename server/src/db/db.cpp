#include "db/db.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "db/backend.hpp"

namespace safeloop::db {

namespace {

constexpr size_t kSnippetBytes = 80;

const char* TypeName(const Row::Value& value) {
    switch (value.index()) {
        case 0: return "NULL";
        case 1: return "an integer";
        case 2: return "a floating-point number";
        case 3: return "text";
        default: return "bytes";
    }
}

[[noreturn]] void ThrowWrongType(size_t i, const Row::Value& value, const char* wanted, const char* accessor) {
    if (std::holds_alternative<std::monostate>(value)) {
        throw DbError(DbError::Kind::kOther,
                      fmt::format("column {} is NULL; read it with Opt{} or IsNull", i, accessor));
    }
    throw DbError(DbError::Kind::kOther,
                  fmt::format("column {} holds {}, not {} (Row::{})", i, TypeName(value), wanted, accessor));
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Row

const Row::Value& Row::At(size_t i) const {
    if (i >= values_.size()) {
        throw DbError(DbError::Kind::kOther,
                      fmt::format("column {} does not exist (the row has {} columns)", i, values_.size()));
    }
    return values_[i];
}

bool Row::IsNull(size_t i) const { return std::holds_alternative<std::monostate>(At(i)); }

int64_t Row::Int(size_t i) const {
    const Value& value = At(i);
    if (const auto* v = std::get_if<int64_t>(&value)) return *v;
    // A double is never narrowed silently: the column's type is wrong for an integer read.
    ThrowWrongType(i, value, "an integer", "Int");
}

double Row::Double(size_t i) const {
    const Value& value = At(i);
    if (const auto* v = std::get_if<double>(&value)) return *v;
    // SQLite hands back whole numbers computed by expressions as INTEGER; widening is exact enough.
    if (const auto* v = std::get_if<int64_t>(&value)) return static_cast<double>(*v);
    ThrowWrongType(i, value, "a number", "Double");
}

std::string Row::Text(size_t i) const {
    const Value& value = At(i);
    if (const auto* v = std::get_if<std::string>(&value)) return *v;
    ThrowWrongType(i, value, "text", "Text");
}

std::string Row::Blob(size_t i) const {
    const Value& value = At(i);
    if (const auto* v = std::get_if<Bytes>(&value)) return v->data;
    // SQLite keeps whatever storage class was written; text written into a BLOB column is still its bytes.
    if (const auto* v = std::get_if<std::string>(&value)) return *v;
    ThrowWrongType(i, value, "bytes", "Blob");
}

std::optional<int64_t> Row::OptInt(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
}

std::optional<double> Row::OptDouble(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Double(i);
}

std::optional<std::string> Row::OptText(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Text(i);
}

// ---------------------------------------------------------------------------------------------------
// Connection, Transaction

std::optional<Row> Connection::QueryOne(std::string_view sql, const Params& params) {
    std::vector<Row> rows = Query(sql, params);
    if (rows.empty()) return std::nullopt;
    // More than one row means a missing key or tenant condition; failing loudly beats picking one.
    if (rows.size() > 1) {
        throw DbError(DbError::Kind::kOther,
                      fmt::format("QueryOne: statement returned {} rows, expected at most one: {}", rows.size(),
                                  detail::SqlSnippet(sql)));
    }
    return std::move(rows.front());
}

Transaction::Transaction(Connection& conn, TxMode mode) : conn_(conn) { conn_.Begin(mode); }

Transaction::~Transaction() {
    if (done_) return;
    try {
        conn_.Rollback();
    } catch (const std::exception& e) {
        // Nothing can be thrown from here; a pool will find the connection broken on return.
        spdlog::warn("db: rollback on transaction scope exit failed: {}", e.what());
    }
}

void Transaction::Commit() {
    conn_.Commit();
    done_ = true;
}

// ---------------------------------------------------------------------------------------------------
// Pool, Lease

struct Pool::State {
    std::function<std::unique_ptr<Connection>()> factory;
    mutable std::mutex mutex;
    std::condition_variable available;
    std::vector<std::unique_ptr<Connection>> idle;  // used as a stack: the warmest connection goes out first
    size_t open = 0;                                // idle + leased + being opened; never above size_
    size_t in_use = 0;
    uint64_t acquired_total = 0;
    uint64_t waited_total = 0;
    double wait_seconds_total = 0;
    std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout;
};

Lease::Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}

Lease::Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}

Lease::~Lease() {
    if (pool_ != nullptr && conn_ != nullptr) pool_->Release(std::move(conn_));
}

Pool::Pool(Dialect dialect, size_t size, std::function<std::unique_ptr<Connection>()> factory)
    : dialect_(dialect), size_(size), state_(std::make_unique<State>()) {
    state_->factory = std::move(factory);
}

Pool::~Pool() { assert(state_->in_use == 0 && "a db::Lease outlived its db::Pool"); }

std::unique_ptr<Pool> Pool::Open(const std::string& url, size_t size) {
    if (size == 0) throw std::invalid_argument("db::Pool::Open: size must be at least 1");
    Dialect dialect = IsPostgresUrl(url) ? Dialect::kPostgres : Dialect::kSqlite;
    std::unique_ptr<Pool> pool(new Pool(dialect, size, [url] { return Connect(url); }));
    // One connection up front: a wrong URL fails at start-up, and on SQLite the first connection switches
    // the file to WAL before any other connection uses it.
    pool->state_->idle.push_back(Connect(url));
    pool->state_->open = 1;
    return pool;
}

Lease Pool::Acquire() {
    State& s = *state_;
    std::unique_lock lock(s.mutex);
    if (s.idle.empty() && s.open >= size_) {
        // Wall time is irrelevant here; this only measures how long callers queue for a connection.
        const auto start = std::chrono::steady_clock::now();
        // Bounded: a request never hangs on a pool that stays exhausted (it answers 503 instead).
        if (!s.available.wait_for(lock, s.acquire_timeout, [&] { return !s.idle.empty() || s.open < size_; })) {
            throw DbError(DbError::Kind::kBusy,
                          fmt::format("no database connection became free within {} ms (pool of {})",
                                      s.acquire_timeout.count(), size_));
        }
        ++s.waited_total;
        s.wait_seconds_total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    if (!s.idle.empty()) {
        std::unique_ptr<Connection> conn = std::move(s.idle.back());
        s.idle.pop_back();
        ++s.in_use;
        ++s.acquired_total;
        return Lease(this, std::move(conn));
    }
    // Open a replacement (or a not-yet-opened connection) outside the lock: connecting can take a while.
    ++s.open;
    lock.unlock();
    std::unique_ptr<Connection> conn;
    try {
        conn = s.factory();
    } catch (...) {
        lock.lock();
        --s.open;
        s.available.notify_one();
        throw;
    }
    lock.lock();
    ++s.in_use;
    ++s.acquired_total;
    return Lease(this, std::move(conn));
}

void Pool::Release(std::unique_ptr<Connection> conn) {
    State& s = *state_;
    bool keep = true;
    try {
        if (conn->InTransaction()) {
            // Normally a Transaction object rolls back first; this catches a bare Begin() without an end.
            spdlog::warn("db: connection returned to the pool inside a transaction; rolling back");
            conn->Rollback();
        }
        auto* backend = dynamic_cast<detail::BackendConnection*>(conn.get());
        if (backend != nullptr && backend->connection_error_seen()) {
            if (conn->Ping()) {
                backend->clear_connection_error();
            } else {
                spdlog::warn("db: dropping a broken connection; a new one opens on demand");
                keep = false;
            }
        }
    } catch (const std::exception& e) {
        spdlog::warn("db: dropping a connection that could not be reset: {}", e.what());
        keep = false;
    }
    if (!keep) conn.reset();  // close outside the lock

    std::lock_guard lock(s.mutex);
    --s.in_use;
    if (keep) {
        s.idle.push_back(std::move(conn));
    } else {
        --s.open;
    }
    s.available.notify_one();
}

void Pool::SetAcquireTimeout(std::chrono::milliseconds timeout) {
    std::lock_guard lock(state_->mutex);
    state_->acquire_timeout = std::max(timeout, std::chrono::milliseconds(1));
}

PoolStats Pool::Stats() const {
    const State& s = *state_;
    std::lock_guard lock(s.mutex);
    PoolStats stats;
    stats.size = size_;
    stats.in_use = s.in_use;
    stats.acquired_total = s.acquired_total;
    stats.waited_total = s.waited_total;
    stats.wait_seconds_total = s.wait_seconds_total;
    return stats;
}

// ---------------------------------------------------------------------------------------------------
// Opening

std::string InList(const std::vector<std::string>& values, Params& params) {
    if (values.empty()) throw std::invalid_argument("InList: an IN list needs at least one value");
    size_t length = values.size();
    for (const size_t bucket : {size_t{8}, size_t{32}, size_t{128}, size_t{512}}) {
        if (values.size() <= bucket) {
            length = bucket;
            break;
        }
    }
    std::string text = "(";
    for (size_t i = 0; i < length; ++i) {
        params.emplace_back(values[std::min(i, values.size() - 1)]);
        if (i) text += ", ";
        text += '$';
        text += std::to_string(params.size());
    }
    text += ')';
    return text;
}

bool IsPostgresUrl(std::string_view url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

std::unique_ptr<Connection> Connect(const std::string& url) {
    if (IsPostgresUrl(url)) return detail::OpenPostgres(url);
    constexpr std::string_view kSqlitePrefix = "sqlite:";
    if (url.starts_with(kSqlitePrefix) && url.size() > kSqlitePrefix.size()) {
        return detail::OpenSqlite(url.substr(kSqlitePrefix.size()));
    }
    // Only the scheme is echoed: a URL can carry a password.
    std::string_view scheme = std::string_view(url).substr(0, url.find(':'));
    throw DbError(DbError::Kind::kConnection,
                  fmt::format("unsupported database URL (scheme '{}'); expected sqlite:PATH or postgresql://...",
                              scheme.substr(0, 20)));
}

namespace detail {

std::string SqlSnippet(std::string_view sql) {
    std::string out;
    bool truncated = false;
    for (char c : sql) {
        if (out.size() >= kSnippetBytes) {
            truncated = true;
            break;
        }
        if (IsSpace(c)) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    if (truncated) {
        // Do not end in the middle of a multi-byte UTF-8 character.
        size_t lead = out.size();
        while (lead > 0 && (static_cast<unsigned char>(out[lead - 1]) & 0xC0) == 0x80) --lead;
        if (lead > 0) {
            const auto c = static_cast<unsigned char>(out[lead - 1]);
            const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (out.size() - (lead - 1) < length) out.resize(lead - 1);
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (truncated) out += "...";
    return out;
}

}  // namespace detail

}  // namespace safeloop::db
