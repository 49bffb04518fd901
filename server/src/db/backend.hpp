#pragma once

// Private to server/src/db: what db.cpp, sqlite.cpp and postgres.cpp share. Nothing outside db/ (tests
// aside) includes this header.

#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "db/db.hpp"

namespace safeloop::db::detail {

// Prepared statements kept per connection. Bounded, so statements built at run time (IN lists of varying
// length) cannot grow a connection without limit.
inline constexpr size_t kStatementCacheCapacity = 256;

// Base of both backends. Records that a connection-level failure was raised, so the pool can check the
// connection (Ping) when it comes back and replace it if it is dead.
class BackendConnection : public Connection {
public:
    bool connection_error_seen() const { return connection_error_seen_; }
    void clear_connection_error() { connection_error_seen_ = false; }

protected:
    [[noreturn]] void ThrowError(DbError::Kind kind, const std::string& message) {
        if (kind == DbError::Kind::kConnection) connection_error_seen_ = true;
        throw DbError(kind, message);
    }

private:
    bool connection_error_seen_ = false;
};

std::unique_ptr<Connection> OpenSqlite(const std::string& path);
std::unique_ptr<Connection> OpenPostgres(const std::string& url);

// The start of a statement for error messages: whitespace collapsed, at most ~80 bytes, cut on a UTF-8
// boundary. SQL text is constant (values are always bound), so it never carries personal data.
std::string SqlSnippet(std::string_view sql);

// Rewrites PostgreSQL placeholders ($1, $12) to SQLite's numbered form (?1, ?12), leaving string
// literals, quoted identifiers and comments untouched.
std::string RewritePlaceholdersForSqlite(std::string_view sql);

// A small least-recently-used map from SQL text to a prepared statement handle.
template <typename Value>
class LruCache {
public:
    explicit LruCache(size_t capacity) : capacity_(capacity) {}

    // The cached value, marked as most recently used; nullptr when absent.
    Value* Find(std::string_view key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        entries_.splice(entries_.begin(), entries_, it->second);
        return &it->second->second;
    }

    // Inserts a new key; returns the value evicted to make room, if any.
    std::optional<Value> Insert(std::string key, Value value) {
        std::optional<Value> evicted;
        if (entries_.size() >= capacity_ && !entries_.empty()) {
            index_.erase(entries_.back().first);
            evicted.emplace(std::move(entries_.back().second));
            entries_.pop_back();
        }
        entries_.emplace_front(std::move(key), std::move(value));
        index_.emplace(entries_.front().first, entries_.begin());
        return evicted;
    }

    std::optional<Value> Erase(std::string_view key) {
        auto it = index_.find(key);
        if (it == index_.end()) return std::nullopt;
        auto entry = it->second;
        index_.erase(it);
        std::optional<Value> value(std::move(entry->second));
        entries_.erase(entry);
        return value;
    }

    void Clear() {
        index_.clear();
        entries_.clear();
    }

    size_t size() const { return entries_.size(); }

private:
    using Entry = std::pair<std::string, Value>;
    size_t capacity_;
    std::list<Entry> entries_;  // most recently used first; list nodes never move, so keys stay valid
    std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace safeloop::db::detail
