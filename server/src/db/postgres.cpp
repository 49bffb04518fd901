// db::Connection over libpq.
//
// Statements are prepared once per connection (named s1, s2, ...) and cached by SQL text plus the types of
// the parameters they were prepared with. Parameters travel in text format, except bytes (binary, so NUL
// bytes survive). Results come back as text and are converted by column type, except those of statements that
// read bytea: they come back in binary (a blob's bytes as they are, not hex-escaped at twice their size), which
// needs every column of the statement to be of a type read here in binary (integers, floats, bool, text, bytea).
//
// BEGIN costs no round trip of its own: Begin() only notes that a transaction is wanted, and the first statement
// after it goes out behind a BEGIN in one pipeline (libpq pipeline mode: both messages, one sync, one wait). A
// transaction that runs no statement sends nothing at all.

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "db/backend.hpp"

namespace safeloop::db::detail {

namespace {

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;
constexpr Oid kNameOid = 19;
constexpr Oid kTextOid = 25;
constexpr Oid kBpcharOid = 1042;
constexpr Oid kVarcharOid = 1043;
constexpr Oid kUnspecifiedOid = 0;  // let the server infer the type from the statement

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

struct ConnCloser {
    void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct ResultClearer {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

DbError::Kind KindOfSqlState(std::string_view state) {
    if (state == "23505") return DbError::Kind::kUniqueViolation;
    if (state == "23503") return DbError::Kind::kForeignKeyViolation;
    if (state == "23514" || state == "23502") return DbError::Kind::kCheckViolation;
    // serialization_failure, deadlock_detected, lock_not_available
    if (state == "40001" || state == "40P01" || state == "55P03") return DbError::Kind::kBusy;
    // connection_exception (08xxx; but a protocol_violation such as a wrong parameter count leaves the
    // connection usable); admin_shutdown, crash_shutdown, cannot_connect_now
    if ((state.starts_with("08") && state != "08P01") || state == "57P01" || state == "57P02" || state == "57P03") {
        return DbError::Kind::kConnection;
    }
    return DbError::Kind::kOther;
}

std::string FirstLine(const char* text) {
    std::string_view view = text != nullptr ? text : "";
    view = view.substr(0, view.find('\n'));
    return std::string(view);
}

// The primary message without bound values. Data exceptions (class 22) quote the offending input after
// a colon ("invalid input syntax for type bigint: \"...\""), so those are cut there. Details (DETAIL:
// "Key (login)=(...) already exists") are never used.
std::string SafeMessage(std::string_view state, const char* primary) {
    std::string_view message = primary != nullptr ? primary : "unknown error";
    if (state.starts_with("22")) message = message.substr(0, message.find(": "));
    return std::string(message);
}

std::string FormatDouble(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);  // shortest text that round-trips
    return std::string(buffer, end);
}

std::string FormatInt(int64_t v) {
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, end);
}

std::optional<int64_t> ParseInt(std::string_view text) {
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> ParseDouble(std::string_view text) {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

Row::Value Convert(Oid type, const char* text, size_t length, size_t column) {
    const std::string_view view(text, length);
    auto bad = [&]() -> DbError {
        return DbError(DbError::Kind::kOther,
                       fmt::format("column {}: cannot read a value of type oid {}", column, type));
    };
    switch (type) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid: {
            if (auto v = ParseInt(view)) return *v;
            throw bad();
        }
        case kFloat4Oid:
        case kFloat8Oid: {
            if (auto v = ParseDouble(view)) return *v;
            throw bad();
        }
        case kNumericOid: {
            // SUM(bigint) and friends are numeric in PostgreSQL but INTEGER in SQLite: a whole number that
            // fits reads as an integer on both; anything with a fraction or out of range is a double.
            if (auto v = ParseInt(view)) return *v;
            if (auto v = ParseDouble(view)) return *v;
            throw bad();
        }
        case kBoolOid: return static_cast<int64_t>(length > 0 && text[0] == 't' ? 1 : 0);
        case kByteaOid: {
            size_t size = 0;
            unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
            if (raw == nullptr) throw bad();
            Bytes bytes{std::string(reinterpret_cast<const char*>(raw), size)};
            PQfreemem(raw);
            return bytes;
        }
        default: return std::string(view);
    }
}

// Binary format: integers and floats in network byte order, bool as one byte, text and bytea as they are.
bool ReadableInBinary(Oid type) {
    switch (type) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kFloat4Oid:
        case kFloat8Oid:
        case kBoolOid:
        case kByteaOid:
        case kNameOid:
        case kTextOid:
        case kBpcharOid:
        case kVarcharOid: return true;
        default: return false;
    }
}

uint64_t BigEndian(const char* data, size_t length) {
    uint64_t value = 0;
    for (size_t i = 0; i < length; ++i) value = (value << 8U) | static_cast<unsigned char>(data[i]);
    return value;
}

Row::Value ConvertBinary(Oid type, const char* data, size_t length, size_t column) {
    auto expect = [&](size_t size) {
        if (length != size) {
            throw DbError(DbError::Kind::kOther,
                          fmt::format("column {}: {} bytes for a binary value of type oid {}", column, length, type));
        }
    };
    switch (type) {
        case kInt2Oid: expect(2); return static_cast<int64_t>(static_cast<int16_t>(BigEndian(data, 2)));
        case kInt4Oid: expect(4); return static_cast<int64_t>(static_cast<int32_t>(BigEndian(data, 4)));
        case kInt8Oid: expect(8); return static_cast<int64_t>(BigEndian(data, 8));
        case kFloat4Oid:
            expect(4);
            return static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(BigEndian(data, 4))));
        case kFloat8Oid: expect(8); return std::bit_cast<double>(BigEndian(data, 8));
        case kBoolOid: expect(1); return static_cast<int64_t>(data[0] != 0 ? 1 : 0);
        case kByteaOid: return Bytes{std::string(data, length)};
        default: return std::string(data, length);  // text types (ReadableInBinary)
    }
}

void LogNotice(void* /*arg*/, const char* message) { spdlog::debug("postgres: {}", FirstLine(message)); }

class PostgresConnection final : public BackendConnection {
public:
    explicit PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
        if (conn_ == nullptr) throw DbError(DbError::Kind::kConnection, "cannot connect to PostgreSQL: out of memory");
        if (PQstatus(conn_.get()) != CONNECTION_OK) {
            // libpq's text names host and port, never the password.
            throw DbError(DbError::Kind::kConnection,
                          fmt::format("cannot connect to PostgreSQL: {}", FirstLine(PQerrorMessage(conn_.get()))));
        }
        PQsetNoticeProcessor(conn_.get(), LogNotice, nullptr);
        ResultPtr result(PQexec(conn_.get(), "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'"));
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
            throw DbError(DbError::Kind::kConnection,
                          fmt::format("cannot set up PostgreSQL session: {}", FirstLine(PQerrorMessage(conn_.get()))));
        }
    }

    Dialect dialect() const override { return Dialect::kPostgres; }

    std::vector<Row> Query(std::string_view sql, const Params& params) override {
        ResultPtr result = Execute(sql, params);
        const int rows = PQntuples(result.get());
        const int columns = PQnfields(result.get());
        std::vector<Oid> types(static_cast<size_t>(columns));
        std::vector<bool> binary(static_cast<size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            types[static_cast<size_t>(c)] = PQftype(result.get(), c);
            binary[static_cast<size_t>(c)] = PQfformat(result.get(), c) == kBinaryFormat;
        }

        std::vector<Row> out;
        out.reserve(static_cast<size_t>(rows));
        for (int r = 0; r < rows; ++r) {
            std::vector<Row::Value> values;
            values.reserve(static_cast<size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (PQgetisnull(result.get(), r, c)) {
                    values.emplace_back(std::monostate{});
                    continue;
                }
                const auto column = static_cast<size_t>(c);
                const char* data = PQgetvalue(result.get(), r, c);
                const auto length = static_cast<size_t>(PQgetlength(result.get(), r, c));
                values.push_back(binary[column] ? ConvertBinary(types[column], data, length, column)
                                                : Convert(types[column], data, length, column));
            }
            out.emplace_back(std::move(values));
        }
        return out;
    }

    int64_t Exec(std::string_view sql, const Params& params) override {
        ResultPtr result = Execute(sql, params);
        // As on SQLite, a plain SELECT changes nothing (PQcmdTuples would give its row count).
        if (std::string_view(PQcmdStatus(result.get())).starts_with("SELECT")) return 0;
        return ParseInt(PQcmdTuples(result.get())).value_or(0);
    }

    void ExecScript(std::string_view sql) override {
        // PQexec runs several statements in one round trip (inside the open transaction, if any).
        std::string script = begin_pending_ ? "BEGIN; " : "";
        script += sql;
        begin_pending_ = false;
        ResultPtr result(PQexec(conn_.get(), script.c_str()));
        const ExecStatusType status = PQresultStatus(result.get());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
            Fail(result.get(), sql);
        }
    }

    void Begin(TxMode /*mode*/) override {
        // PostgreSQL takes row locks as it goes, so read and write transactions start the same way.
        if (InTransaction()) ThrowError(DbError::Kind::kOther, "Begin: a transaction is already open (no nesting)");
        begin_pending_ = true;  // sent with the first statement
    }

    void Commit() override {
        if (std::exchange(begin_pending_, false)) return;  // nothing ran: nothing to commit
        switch (PQtransactionStatus(conn_.get())) {
            case PQTRANS_INTRANS: break;
            case PQTRANS_INERROR:
                // COMMIT would silently roll back here; say so instead of pretending it committed.
                ResultPtr(PQexec(conn_.get(), "ROLLBACK"));
                ThrowError(DbError::Kind::kOther,
                           "Commit: the transaction was aborted by an earlier error and has been rolled back");
            case PQTRANS_UNKNOWN:
                ThrowError(DbError::Kind::kConnection, "Commit: the connection to PostgreSQL is broken");
            default: ThrowError(DbError::Kind::kOther, "Commit: no transaction is open");
        }
        ResultPtr result = Simple("COMMIT");
        if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
            ThrowError(DbError::Kind::kOther, "Commit: PostgreSQL rolled the transaction back");
        }
    }

    void Rollback() override {
        if (std::exchange(begin_pending_, false)) return;
        const PGTransactionStatusType status = PQtransactionStatus(conn_.get());
        if (status == PQTRANS_IDLE) return;
        if (status == PQTRANS_UNKNOWN) {
            ThrowError(DbError::Kind::kConnection, "Rollback: the connection to PostgreSQL is broken");
        }
        Simple("ROLLBACK");
    }

    bool InTransaction() const override {
        if (begin_pending_) return true;
        const PGTransactionStatusType status = PQtransactionStatus(conn_.get());
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
    }

    bool Ping() override {
        if (PQstatus(conn_.get()) != CONNECTION_OK) return false;
        // An empty query is a full round trip that works even inside an aborted transaction.
        ResultPtr result(PQexec(conn_.get(), ""));
        return result != nullptr && PQstatus(conn_.get()) == CONNECTION_OK;
    }

private:
    // Runs a prepared statement (preparing and caching it first if needed); throws on failure.
    ResultPtr Execute(std::string_view sql, const Params& params) {
        const size_t n = params.size();
        std::vector<std::string> numbers(n);  // text of numeric parameters; sized once so c_str() stays valid
        std::vector<const char*> values(n, nullptr);
        std::vector<int> lengths(n, 0);
        std::vector<int> formats(n, kTextFormat);
        std::vector<Oid> types(n, kUnspecifiedOid);
        // The cache key carries the parameter types: one SQL text may be prepared with several signatures.
        std::string key(sql);
        key.push_back('\0');
        for (size_t i = 0; i < n; ++i) {
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        key.push_back('u');
                    } else if constexpr (std::is_same_v<T, int64_t>) {
                        numbers[i] = FormatInt(v);
                        values[i] = numbers[i].c_str();
                        types[i] = kInt8Oid;
                        key.push_back('i');
                    } else if constexpr (std::is_same_v<T, double>) {
                        numbers[i] = FormatDouble(v);
                        values[i] = numbers[i].c_str();
                        types[i] = kFloat8Oid;
                        key.push_back('d');
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        values[i] = v.c_str();
                        key.push_back('u');
                    } else {
                        values[i] = v.data.data();
                        lengths[i] = static_cast<int>(v.data.size());
                        formats[i] = kBinaryFormat;
                        types[i] = kByteaOid;
                        key.push_back('b');
                    }
                },
                params[i].value());
        }

        FlushPendingDeallocations();
        for (int attempt = 0;; ++attempt) {
            const Statement& statement = Prepared(key, sql, types);
            ResultPtr result =
                std::exchange(begin_pending_, false)
                    ? BeginAndExecute(statement, values, lengths, formats)
                    : ResultPtr(PQexecPrepared(conn_.get(), statement.name.c_str(), static_cast<int>(n), values.data(),
                                               lengths.data(), formats.data(), statement.result_format));
            const ExecStatusType status = PQresultStatus(result.get());
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;

            // A cached plan can go stale (a migration changed a table's columns) or vanish (DISCARD ALL).
            // Forget it; outside a transaction nothing was executed, so one retry is safe.
            const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
            const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
            const std::string_view sqlstate = state != nullptr ? state : "";
            const bool stale_plan =
                sqlstate == "0A000" && std::string_view(primary != nullptr ? primary : "").starts_with("cached plan");
            if (stale_plan || sqlstate == "26000") {
                if (auto stale = statements_.Erase(key); stale && stale_plan) Deallocate(std::move(stale->name));
                if (attempt == 0 && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) continue;
            }
            Fail(result.get(), sql);
        }
    }

    // A prepared statement and the format its results are asked for in.
    struct Statement {
        std::string name;
        int result_format = kTextFormat;
    };

    const Statement& Prepared(const std::string& key, std::string_view sql, const std::vector<Oid>& types) {
        if (const Statement* statement = statements_.Find(key)) return *statement;
        Statement statement{fmt::format("s{}", ++statement_counter_), kTextFormat};
        ResultPtr result(PQprepare(conn_.get(), statement.name.c_str(), std::string(sql).c_str(),
                                   static_cast<int>(types.size()), types.empty() ? nullptr : types.data()));
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) Fail(result.get(), sql);
        statement.result_format = ResultFormat(statement.name, sql);
        if (auto evicted = statements_.Insert(key, std::move(statement))) Deallocate(std::move(evicted->name));
        return *statements_.Find(key);
    }

    // BEGIN and the statement in one pipeline: one round trip. Returns the statement's result (or BEGIN's, should
    // BEGIN itself fail); the connection is out of pipeline mode again either way.
    ResultPtr BeginAndExecute(const Statement& statement, const std::vector<const char*>& values,
                              const std::vector<int>& lengths, const std::vector<int>& formats) {
        PGconn* c = conn_.get();
        if (PQenterPipelineMode(c) != 1) ThrowError(DbError::Kind::kConnection, "cannot enter pipeline mode");
        const bool sent = PQsendQueryParams(c, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, kTextFormat) == 1 &&
                          PQsendQueryPrepared(c, statement.name.c_str(), static_cast<int>(values.size()), values.data(),
                                              lengths.data(), formats.data(), statement.result_format) == 1 &&
                          PQpipelineSync(c) == 1;
        // Every result up to the sync is read, whatever happened, so the connection can leave pipeline mode.
        ResultPtr begin;
        ResultPtr result;
        for (int query = 0; sent && query < 2; ++query) {
            ResultPtr first(PQgetResult(c));
            if (first == nullptr) break;
            // Up to the NULL that ends this query's results.
            for (PGresult* more = PQgetResult(c); more != nullptr; more = PQgetResult(c)) PQclear(more);
            (query == 0 ? begin : result) = std::move(first);
        }
        if (sent) {
            ResultPtr sync(PQgetResult(c));
            if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
                ThrowError(DbError::Kind::kConnection, "PostgreSQL: a pipelined BEGIN lost its sync");
            }
        }
        if (PQexitPipelineMode(c) != 1 || !sent) {
            ThrowError(DbError::Kind::kConnection,
                       fmt::format("PostgreSQL: {}", FirstLine(PQerrorMessage(conn_.get()))));
        }
        if (PQresultStatus(begin.get()) != PGRES_COMMAND_OK) return begin;
        return result;
    }

    // Binary when the statement returns bytea and every column it returns is readable in binary; text otherwise.
    // (One more round trip, once per statement and connection.)
    int ResultFormat(const std::string& name, std::string_view sql) {
        ResultPtr described(PQdescribePrepared(conn_.get(), name.c_str()));
        if (PQresultStatus(described.get()) != PGRES_COMMAND_OK) Fail(described.get(), sql);
        bool bytea = false;
        for (int c = 0; c < PQnfields(described.get()); ++c) {
            const Oid type = PQftype(described.get(), c);
            if (!ReadableInBinary(type)) return kTextFormat;
            bytea = bytea || type == kByteaOid;
        }
        return bytea ? kBinaryFormat : kTextFormat;
    }

    void Deallocate(std::string name) {
        pending_deallocations_.push_back(std::move(name));
        FlushPendingDeallocations();
    }

    // Only outside a transaction: a failing DEALLOCATE inside one would abort the caller's transaction.
    // Until then the statement merely occupies server memory.
    void FlushPendingDeallocations() {
        if (pending_deallocations_.empty() || PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) return;
        std::vector<std::string> names = std::move(pending_deallocations_);
        pending_deallocations_.clear();
        for (const std::string& name : names) {
            ResultPtr(PQexec(conn_.get(), fmt::format("DEALLOCATE {}", name).c_str()));
        }
    }

    ResultPtr Simple(const char* sql) {
        ResultPtr result(PQexec(conn_.get(), sql));
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) Fail(result.get(), sql);
        return result;
    }

    // The message carries the SQLSTATE, the server's primary message (no DETAIL: it quotes row values) and
    // the start of the SQL.
    [[noreturn]] void Fail(const PGresult* result, std::string_view sql) {
        const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
        const bool broken = PQstatus(conn_.get()) != CONNECTION_OK;
        if (state == nullptr) {
            // A client-side failure: lost connection, out of memory, an empty statement.
            if (!broken && PQresultStatus(result) == PGRES_EMPTY_QUERY) {
                ThrowError(DbError::Kind::kOther, "empty SQL statement");
            }
            ThrowError(broken ? DbError::Kind::kConnection : DbError::Kind::kOther,
                       fmt::format("PostgreSQL: {} (in: {})", FirstLine(PQerrorMessage(conn_.get())), SqlSnippet(sql)));
        }
        const DbError::Kind kind = broken ? DbError::Kind::kConnection : KindOfSqlState(state);
        ThrowError(kind, fmt::format("PostgreSQL {}: {} (in: {})", state,
                                     SafeMessage(state, PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)),
                                     SqlSnippet(sql)));
    }

    ConnPtr conn_;
    bool begin_pending_ = false;  // Begin() was called and no statement has run since
    LruCache<Statement> statements_{kStatementCacheCapacity};
    std::vector<std::string> pending_deallocations_;
    uint64_t statement_counter_ = 0;
};

}  // namespace

std::unique_ptr<Connection> OpenPostgres(const std::string& url) { return std::make_unique<PostgresConnection>(url); }

}  // namespace safeloop::db::detail
