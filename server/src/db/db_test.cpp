// Tests of the database layer, run against both backends: SQLite on a temporary file and PostgreSQL on
// the database named by SAFELOOP_TEST_PG_URL (scripts/pg-test.sh start). Each PostgreSQL test works in a
// schema of its own, dropped afterwards.

#include "db/db.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "db/backend.hpp"
#include "db/migrate.hpp"

namespace safeloop::db {
namespace {

constexpr const char* kPgUrlVariable = "SAFELOOP_TEST_PG_URL";

// Runs f and returns the DbError it threw; records a failure if it threw none.
template <typename F>
DbError CatchDbError(F&& f) {
    try {
        f();
    } catch (const DbError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a DbError";
    return DbError(DbError::Kind::kOther, "<no error thrown>");
}

int64_t Count(Connection& conn, const std::string& table) {
    return conn.QueryOne("SELECT COUNT(*) FROM " + table)->Int(0);
}

// Runs `body(thread)` on `threads` threads at once and waits for them; an exception in one is a test failure.
void RunWriters(int threads, const std::function<void(int)>& body) {
    std::vector<std::thread> running;
    running.reserve(static_cast<size_t>(threads));
    for (int t = 0; t < threads; ++t) {
        running.emplace_back([&body, t] {
            try {
                body(t);
            } catch (const std::exception& e) {
                ADD_FAILURE() << "writer " << t << ": " << e.what();
            }
        });
    }
    for (auto& thread : running) thread.join();
}

class DbTest : public ::testing::TestWithParam<Dialect> {
protected:
    static void SetUpTestSuite() { InitCrypto(); }

    void SetUp() override {
        const std::string suffix = HexEncode(RandomBytes(6));
        if (GetParam() == Dialect::kSqlite) {
            dir_ = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + suffix);
            std::filesystem::create_directories(dir_);
            url_ = "sqlite:" + (dir_ / "test.db").string();
        } else {
            const char* base = std::getenv(kPgUrlVariable);
            if (base == nullptr || *base == '\0') {
                FAIL() << kPgUrlVariable << " is not set, so the PostgreSQL tests cannot run. Start the test "
                       << "server and export its URL:\n    export " << kPgUrlVariable << "=$(scripts/pg-test.sh start)";
            }
            base_url_ = base;
            schema_ = "t_" + suffix;
            Connect(base_url_)->ExecScript("CREATE SCHEMA " + schema_);
            // Every connection of the test (pools included) lands in the schema through the URL.
            url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
                   schema_;
        }
        conn_ = Connect(url_);
    }

    void TearDown() override {
        conn_.reset();
        if (!schema_.empty()) Connect(base_url_)->ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    Dialect dialect() const { return GetParam(); }
    std::string Render(std::string_view sql) const { return RenderMigrationSql(sql, GetParam()); }

    std::string url_;
    std::unique_ptr<Connection> conn_;

private:
    std::filesystem::path dir_;
    std::string base_url_;
    std::string schema_;
};

INSTANTIATE_TEST_SUITE_P(Backends, DbTest, ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const ::testing::TestParamInfo<Dialect>& info) {
                             return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres";
                         });

// ---------------------------------------------------------------------------------------------------
// Values

TEST_P(DbTest, TypesRoundTrip) {
    conn_->ExecScript(Render(
        "CREATE TABLE t (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT, b {{BLOB}}, flag BIGINT)"));
    const std::string bytes("\0\x01\xff\0end\0", 7);
    const std::string chinese = "安全闭环：隐患整改 ✓ 😀";
    const int64_t max = std::numeric_limits<int64_t>::max();
    const int64_t min = std::numeric_limits<int64_t>::min();
    constexpr std::string_view kInsert = "INSERT INTO t (id, i, d, s, b, flag) VALUES ($1, $2, $3, $4, $5, $6)";
    EXPECT_EQ(conn_->Exec(kInsert, {1, max, 0.1, chinese, Bytes{bytes}, true}), 1);
    EXPECT_EQ(conn_->Exec(kInsert, {2, min, -1.5e300, "", Bytes{""}, false}), 1);
    EXPECT_EQ(conn_->Exec(kInsert, {3, nullptr, std::nullopt, std::optional<std::string>(), Param(), 0}), 1);

    const std::vector<Row> rows = conn_->Query("SELECT i, d, s, b, flag FROM t ORDER BY id");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].Int(0), max);
    EXPECT_EQ(rows[0].Double(1), 0.1);
    EXPECT_EQ(rows[0].Text(2), chinese);
    EXPECT_EQ(rows[0].Blob(3), bytes);
    EXPECT_TRUE(rows[0].Bool(4));
    EXPECT_EQ(rows[1].Int(0), min);
    EXPECT_EQ(rows[1].Double(1), -1.5e300);
    EXPECT_EQ(rows[1].Text(2), "");
    EXPECT_EQ(rows[1].Blob(3), "");
    EXPECT_FALSE(rows[1].Bool(4));
    for (size_t c = 0; c < 4; ++c) EXPECT_TRUE(rows[2].IsNull(c)) << "column " << c;
    EXPECT_EQ(rows[2].OptInt(0), std::nullopt);
    EXPECT_EQ(rows[2].OptDouble(1), std::nullopt);
    EXPECT_EQ(rows[2].OptText(2), std::nullopt);
    EXPECT_EQ(rows[0].OptInt(0), max);

    // Strict accessors: NULL and wrong types are errors that name the column.
    const DbError null_error = CatchDbError([&] { rows[2].Int(0); });
    EXPECT_EQ(null_error.kind(), DbError::Kind::kOther);
    EXPECT_NE(std::string(null_error.what()).find("column 0 is NULL"), std::string::npos) << null_error.what();
    EXPECT_THROW(rows[0].Int(1), DbError);   // double
    EXPECT_THROW(rows[0].Int(2), DbError);   // text
    EXPECT_THROW(rows[0].Text(0), DbError);  // integer
    EXPECT_THROW(rows[0].Int(9), DbError);   // no such column
}

// PostgreSQL sends the results of a statement that returns bytea in binary (the bytes as they are), every other
// column of it included; a statement with a column not read in binary (numeric) gets them all as text.
TEST_P(DbTest, BytesOfEveryValueReadBackBesideColumnsOfEveryType) {
    conn_->ExecScript(Render("CREATE TABLE blobs (id BIGINT PRIMARY KEY, b {{BLOB}})"));
    std::string every;
    for (int v = 0; v < 256; ++v) every.push_back(static_cast<char>(v));
    for (int v = 255; v >= 0; --v) every.push_back(static_cast<char>(v));
    constexpr std::string_view kInsert = "INSERT INTO blobs (id, b) VALUES ($1, $2)";
    EXPECT_EQ(conn_->Exec(kInsert, {1, Bytes{every}}), 1);
    EXPECT_EQ(conn_->Exec(kInsert, {2, Bytes{""}}), 1);
    EXPECT_EQ(conn_->Exec(kInsert, {3, Param()}), 1);

    const std::vector<Row> rows = conn_->Query(
        "SELECT b, CAST(id AS SMALLINT), CAST(-id AS INTEGER), -id * 4294967296, CAST(id AS REAL) / 4, "
        "CAST(id AS DOUBLE PRECISION) / 3, id = 1, CAST('名' AS VARCHAR(8)) FROM blobs ORDER BY id");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].Blob(0), every);
    EXPECT_EQ(rows[0].Int(1), 1);
    EXPECT_EQ(rows[0].Int(2), -1);
    EXPECT_EQ(rows[0].Int(3), -4294967296);
    EXPECT_EQ(rows[0].Double(4), 0.25);
    EXPECT_DOUBLE_EQ(rows[0].Double(5), 1.0 / 3);
    EXPECT_TRUE(rows[0].Bool(6));
    EXPECT_EQ(rows[0].Text(7), "名");
    EXPECT_FALSE(rows[1].IsNull(0));  // empty, not NULL
    EXPECT_EQ(rows[1].Blob(0), "");
    EXPECT_EQ(rows[1].Int(3), -8589934592);
    EXPECT_FALSE(rows[1].Bool(6));
    EXPECT_TRUE(rows[2].IsNull(0));

    const auto text = conn_->QueryOne("SELECT b, CAST(id AS NUMERIC) + 0.5 FROM blobs WHERE id = $1", {1});
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(text->Blob(0), every);
    EXPECT_EQ(text->Double(1), 1.5);
}

TEST_P(DbTest, AggregatesReadAlikeOnBothBackends) {
    conn_->ExecScript("CREATE TABLE agg (v BIGINT NOT NULL); INSERT INTO agg VALUES (1), (2), (4)");
    // PostgreSQL returns numeric for SUM(bigint) and AVG; whole numbers read as integers, like SQLite.
    const Row row = *conn_->QueryOne("SELECT COUNT(*), SUM(v), AVG(v), MAX(v), 7 FROM agg");
    EXPECT_EQ(row.Int(0), 3);
    EXPECT_EQ(row.Int(1), 7);
    EXPECT_DOUBLE_EQ(row.Double(2), 7.0 / 3.0);
    EXPECT_EQ(row.Int(3), 4);
    EXPECT_EQ(row.Double(4), 7.0);  // integers widen to double on request
    const Row empty = *conn_->QueryOne("SELECT SUM(v) FROM agg WHERE v > 100");
    EXPECT_EQ(empty.OptInt(0), std::nullopt);
}

TEST_P(DbTest, InListsMatchExactlyTheirValuesWhateverTheirLength) {
    conn_->ExecScript("CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL)");
    for (int i = 0; i < 600; ++i)
        conn_->Exec("INSERT INTO items (id, n) VALUES ($1, $2)", {"id" + std::to_string(i), i});
    // Lengths on and around each padded size; each list takes every third id from 5 on, plus one id that is absent.
    for (const size_t length : {1U, 2U, 7U, 8U, 9U, 31U, 32U, 33U, 128U, 129U, 512U, 513U}) {
        std::vector<std::string> ids;
        int64_t want_sum = 0;
        for (size_t i = 0; ids.size() + 1 < length; ++i) {
            const int n = static_cast<int>(5 + (3 * i) % 595);
            ids.push_back("id" + std::to_string(n));
            want_sum += n;
        }
        ids.emplace_back("absent");
        Params params{int64_t{0}};
        const std::string sql =
            "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM items WHERE n >= $1 AND id IN " + InList(ids, params);
        const size_t padded = length <= 8 ? 8 : length <= 32 ? 32 : length <= 128 ? 128 : length <= 512 ? 512 : length;
        EXPECT_EQ(params.size(), 1 + padded) << length;
        auto row = conn_->QueryOne(sql, params);
        EXPECT_EQ(row->Int(0), static_cast<int64_t>(length - 1)) << length;
        EXPECT_EQ(row->Int(1), want_sum) << length;
    }
    Params none;
    EXPECT_THROW(InList({}, none), std::invalid_argument);
}

TEST(RowTest, AccessorsCheckTypes) {
    const Row row({std::monostate{}, int64_t{5}, 2.5, std::string("文本"), Bytes{std::string("\0x", 2)}});
    EXPECT_TRUE(row.IsNull(0));
    EXPECT_EQ(row.Int(1), 5);
    EXPECT_EQ(row.Double(1), 5.0);
    EXPECT_EQ(row.Double(2), 2.5);
    EXPECT_EQ(row.Text(3), "文本");
    EXPECT_EQ(row.Blob(4), std::string("\0x", 2));
    EXPECT_EQ(row.Blob(3), "文本");  // text is bytes too (SQLite keeps the storage class it was given)
    EXPECT_THROW(row.Int(2), DbError);
    EXPECT_THROW(row.Text(4), DbError);
    EXPECT_THROW(row.Double(3), DbError);
    try {
        row.Text(0);
        ADD_FAILURE() << "Text on NULL did not throw";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), DbError::Kind::kOther);
        EXPECT_STREQ(e.what(), "column 0 is NULL; read it with OptText or IsNull");
    }
    try {
        row.Int(7);
        ADD_FAILURE() << "Int on a missing column did not throw";
    } catch (const DbError& e) {
        EXPECT_STREQ(e.what(), "column 7 does not exist (the row has 5 columns)");
    }
}

// ---------------------------------------------------------------------------------------------------
// Statements

TEST(SqlitePlaceholderTest, RewritesDollarNumbersOutsideLiterals) {
    using detail::RewritePlaceholdersForSqlite;
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT $1, $2 FROM t WHERE a = $10"), "SELECT ?1, ?2 FROM t WHERE a = ?10");
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT '$1', 'it''s $2', $3"), "SELECT '$1', 'it''s $2', ?3");
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT \"col$1\", `q$2`, [b$3], $4"), "SELECT \"col$1\", `q$2`, [b$3], ?4");
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT a$1, $2"), "SELECT a$1, ?2");  // $ inside an identifier
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT 1 -- $1\n, $2 /* $3 */ , $4"), "SELECT 1 -- $1\n, ?2 /* $3 */ , ?4");
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT $$, $name, $"), "SELECT $$, $name, $");
    EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT 'unterminated $1"), "SELECT 'unterminated $1");
    EXPECT_EQ(RewritePlaceholdersForSqlite("$1"), "?1");
    EXPECT_EQ(RewritePlaceholdersForSqlite("值 = $1 AND '值$2'"), "值 = ?1 AND '值$2'");
}

TEST(SqlSnippetTest, CollapsesWhitespaceAndCutsOnACharacterBoundary) {
    EXPECT_EQ(detail::SqlSnippet("  SELECT a,\n\t b  FROM t  "), "SELECT a, b FROM t");
    const std::string long_sql = "SELECT " + std::string(100, 'x');
    EXPECT_EQ(detail::SqlSnippet(long_sql), long_sql.substr(0, 80) + "...");
    // 78 ASCII bytes and then three-byte characters: the cut at 80 bytes may not split one.
    const std::string chinese = "SELECT " + std::string(71, 'y') + "安全闭环";
    EXPECT_EQ(detail::SqlSnippet(chinese), "SELECT " + std::string(71, 'y') + "...");
    EXPECT_EQ(detail::SqlSnippet("SELECT " + std::string(70, 'y') + "安全闭环"),
              "SELECT " + std::string(70, 'y') + "安...");
}

TEST_P(DbTest, PlaceholdersMayComeInAnyOrderAndLiteralsStayUntouched) {
    conn_->ExecScript("CREATE TABLE p (a TEXT, b BIGINT, c TEXT)");
    EXPECT_EQ(conn_->Exec("INSERT INTO p (b, a, c) VALUES ($2, $1, '$1 stays')", {"x", 7}), 1);
    const Row row = *conn_->QueryOne("SELECT a, b, c FROM p WHERE b = $1 AND a = $2", {7, "x"});
    EXPECT_EQ(row.Text(0), "x");
    EXPECT_EQ(row.Int(1), 7);
    EXPECT_EQ(row.Text(2), "$1 stays");
    EXPECT_EQ(conn_->QueryOne("SELECT $1 + $1", {21})->Int(0), 42);

    const DbError error = CatchDbError([&] { conn_->Query("SELECT a FROM p WHERE b = $1 AND a = $2", {7}); });
    EXPECT_EQ(error.kind(), DbError::Kind::kOther) << error.what();
}

TEST_P(DbTest, OneStatementPerCall) {
    EXPECT_EQ(conn_->QueryOne("SELECT 1;")->Int(0), 1);
    EXPECT_EQ(CatchDbError([&] { conn_->Exec("SELECT 1; SELECT 2"); }).kind(), DbError::Kind::kOther);
    EXPECT_EQ(CatchDbError([&] { conn_->Exec("   "); }).kind(), DbError::Kind::kOther);
    EXPECT_EQ(CatchDbError([&] { conn_->Exec("SELEC nonsense"); }).kind(), DbError::Kind::kOther);
}

TEST_P(DbTest, QueryOneReturnsNothingOneRowOrThrows) {
    conn_->ExecScript("CREATE TABLE q (v BIGINT); INSERT INTO q VALUES (1), (2)");
    EXPECT_EQ(conn_->QueryOne("SELECT v FROM q WHERE v > $1", {5}), std::nullopt);
    EXPECT_EQ(conn_->QueryOne("SELECT v FROM q WHERE v = $1", {2})->Int(0), 2);
    const DbError error = CatchDbError([&] { conn_->QueryOne("SELECT v FROM q"); });
    EXPECT_NE(std::string(error.what()).find("2 rows"), std::string::npos) << error.what();
}

TEST_P(DbTest, ReturningAndOnConflict) {
    conn_->ExecScript(
        Render("CREATE TABLE r (id {{SERIAL_PK}}, code TEXT NOT NULL UNIQUE, n BIGINT NOT NULL DEFAULT 0)"));
    std::vector<Row> rows = conn_->Query("INSERT INTO r (code) VALUES ($1) RETURNING id, n", {"a"});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Int(0), 1);
    EXPECT_EQ(rows[0].Int(1), 0);

    constexpr std::string_view kInsertIgnore = "INSERT INTO r (code) VALUES ($1) ON CONFLICT (code) DO NOTHING";
    EXPECT_TRUE(conn_->Query(std::string(kInsertIgnore) + " RETURNING id", {"a"}).empty());
    EXPECT_EQ(conn_->Exec(kInsertIgnore, {"a"}), 0);
    EXPECT_EQ(conn_->Exec(kInsertIgnore, {"b"}), 1);

    const Row upserted = *conn_->QueryOne(
        "INSERT INTO r (code, n) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET n = excluded.n RETURNING id, n",
        {"a", 5});
    EXPECT_EQ(upserted.Int(0), 1);
    EXPECT_EQ(upserted.Int(1), 5);

    EXPECT_EQ(conn_->Exec("UPDATE r SET n = n + 1"), 2);
    EXPECT_EQ(conn_->Exec("SELECT * FROM r"), 0);
    EXPECT_EQ(conn_->Exec("CREATE INDEX r_n ON r (n)"), 0);  // DDL reports no rows, not a stale count
    EXPECT_EQ(conn_->Exec("DELETE FROM r WHERE code = $1", {"b"}), 1);
}

TEST_P(DbTest, ConstraintViolationsMapToKindsWithoutValuesInMessages) {
    conn_->ExecScript(
        "CREATE TABLE parent (id TEXT PRIMARY KEY, code TEXT UNIQUE);"
        "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id),"
        "                    qty BIGINT NOT NULL CHECK (qty >= 0));");
    const std::string secret = "secret-张三-13800000000";
    conn_->Exec("INSERT INTO parent (id, code) VALUES ($1, $2)", {"p1", secret});

    auto expect = [&](DbError::Kind kind, std::string_view sql, const Params& params) {
        const DbError error = CatchDbError([&] { conn_->Exec(sql, params); });
        EXPECT_EQ(error.kind(), kind) << error.what();
        const std::string message = error.what();
        EXPECT_EQ(message.find("secret"), std::string::npos) << message;
        EXPECT_NE(message.find(sql.substr(0, 20)), std::string::npos) << "no SQL snippet in: " << message;
    };
    expect(DbError::Kind::kUniqueViolation, "INSERT INTO parent (id, code) VALUES ($1, $2)", {"p2", secret});
    expect(DbError::Kind::kUniqueViolation, "INSERT INTO parent (id, code) VALUES ($1, $2)", {"p1", "other"});
    expect(DbError::Kind::kForeignKeyViolation, "INSERT INTO child (id, parent_id, qty) VALUES ($1, $2, $3)",
           {"c1", secret, 1});
    expect(DbError::Kind::kCheckViolation, "INSERT INTO child (id, parent_id, qty) VALUES ($1, $2, $3)",
           {secret, nullptr, 1});
    expect(DbError::Kind::kCheckViolation, "INSERT INTO child (id, parent_id, qty) VALUES ($1, $2, $3)",
           {secret, "p1", -1});
    conn_->Exec("INSERT INTO child (id, parent_id, qty) VALUES ($1, $2, $3)", {"c2", "p1", 1});
    expect(DbError::Kind::kForeignKeyViolation, "DELETE FROM parent WHERE id = $1", {"p1"});
    if (dialect() == Dialect::kPostgres) {
        // PostgreSQL quotes bad input in data errors; the layer cuts it out. (SQLite stores the text.)
        expect(DbError::Kind::kOther, "UPDATE child SET qty = $1 WHERE id = $2", {secret, "c2"});
    }
}

TEST_P(DbTest, ManyDistinctStatementsCycleThroughTheCache) {
    const int count = static_cast<int>(detail::kStatementCacheCapacity) + 50;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < count; ++i) {
            const std::string sql = "SELECT $1 + " + std::to_string(i);
            ASSERT_EQ(conn_->QueryOne(sql, {1000})->Int(0), 1000 + i);
        }
    }
}

TEST_P(DbTest, CachedStatementsDoNotKeepReadSnapshotsOpen) {
    conn_->ExecScript("CREATE TABLE snap (v BIGINT)");
    auto other = Connect(url_);
    constexpr std::string_view kCount = "SELECT COUNT(*) FROM snap";
    EXPECT_EQ(conn_->QueryOne(kCount)->Int(0), 0);
    other->Exec("INSERT INTO snap (v) VALUES ($1)", {1});
    EXPECT_EQ(conn_->QueryOne(kCount)->Int(0), 1);  // a statement left active would still see 0
    other->Exec("INSERT INTO snap (v) VALUES ($1)", {2});
    EXPECT_EQ(conn_->Query("SELECT v FROM snap ORDER BY v").size(), 2u);
    if (dialect() == Dialect::kSqlite) {
        // With no reader holding a snapshot, the WAL can be checkpointed completely (busy = 0).
        const Row checkpoint = *other->QueryOne("PRAGMA wal_checkpoint(TRUNCATE)");
        EXPECT_EQ(checkpoint.Int(0), 0);
    }
}

TEST_P(DbTest, CachedStatementsFollowSchemaChanges) {
    conn_->ExecScript("CREATE TABLE sc (a BIGINT); INSERT INTO sc (a) VALUES (1)");
    constexpr std::string_view kSelectAll = "SELECT * FROM sc";
    EXPECT_EQ(conn_->QueryOne(kSelectAll)->size(), 1u);
    conn_->ExecScript("ALTER TABLE sc ADD COLUMN b TEXT");
    // PostgreSQL refuses the stale plan ("cached plan must not change result type"); the layer re-prepares.
    EXPECT_EQ(conn_->QueryOne(kSelectAll)->size(), 2u);
    Transaction tx(*conn_, TxMode::kRead);
    EXPECT_EQ(conn_->QueryOne(kSelectAll)->size(), 2u);
}

// ---------------------------------------------------------------------------------------------------
// Transactions

TEST_P(DbTest, TransactionRollsBackUnlessCommitted) {
    conn_->ExecScript("CREATE TABLE tx (v BIGINT UNIQUE)");
    {
        Transaction tx(*conn_, TxMode::kWrite);
        conn_->Exec("INSERT INTO tx (v) VALUES ($1)", {1});
        EXPECT_TRUE(conn_->InTransaction());
    }
    EXPECT_FALSE(conn_->InTransaction());
    EXPECT_EQ(Count(*conn_, "tx"), 0);
    {
        Transaction tx(*conn_, TxMode::kWrite);
        conn_->Exec("INSERT INTO tx (v) VALUES ($1)", {2});
        tx.Commit();
    }
    EXPECT_EQ(Count(*conn_, "tx"), 1);
    {
        Transaction tx(*conn_, TxMode::kRead);
        EXPECT_EQ(Count(*conn_, "tx"), 1);
    }

    // No nesting, and Commit without a transaction is an error; Rollback without one is harmless.
    conn_->Begin(TxMode::kRead);
    EXPECT_THROW(conn_->Begin(TxMode::kWrite), DbError);
    conn_->Rollback();
    EXPECT_THROW(conn_->Commit(), DbError);
    EXPECT_NO_THROW(conn_->Rollback());
}

TEST_P(DbTest, CommitAfterAFailedStatement) {
    conn_->ExecScript("CREATE TABLE tx2 (v BIGINT UNIQUE); INSERT INTO tx2 VALUES (1)");
    Transaction tx(*conn_, TxMode::kWrite);
    conn_->Exec("INSERT INTO tx2 (v) VALUES ($1)", {2});
    EXPECT_THROW(conn_->Exec("INSERT INTO tx2 (v) VALUES ($1)", {1}), DbError);
    if (dialect() == Dialect::kPostgres) {
        // The failed statement aborted the whole transaction: Commit says so instead of rolling back quietly.
        EXPECT_TRUE(conn_->Ping());
        EXPECT_THROW(tx.Commit(), DbError);
        EXPECT_EQ(Count(*conn_, "tx2"), 1);
    } else {
        // SQLite undoes only the failed statement. Stores must not rely on either: use ON CONFLICT instead.
        tx.Commit();
        EXPECT_EQ(Count(*conn_, "tx2"), 2);
    }
    EXPECT_FALSE(conn_->InTransaction());
}

TEST_P(DbTest, ATransactionsFirstStatementMayFailOrReadOrComeFromAScript) {
    // On PostgreSQL the first statement of a transaction travels with its BEGIN: each way it can go.
    conn_->ExecScript("CREATE TABLE tx3 (v BIGINT UNIQUE); INSERT INTO tx3 VALUES (1)");
    {
        Transaction tx(*conn_, TxMode::kWrite);
        const DbError e = CatchDbError([&] { conn_->Exec("INSERT INTO tx3 (v) VALUES ($1)", {1}); });
        EXPECT_EQ(e.kind(), DbError::Kind::kUniqueViolation) << e.what();
        EXPECT_TRUE(conn_->InTransaction());
    }
    EXPECT_FALSE(conn_->InTransaction());
    {
        Transaction tx(*conn_, TxMode::kWrite);
        EXPECT_EQ(conn_->QueryOne("SELECT COUNT(*) FROM tx3")->Int(0), 1);  // a read first, then a write
        conn_->Exec("INSERT INTO tx3 (v) VALUES ($1)", {2});
        tx.Commit();
    }
    {
        Transaction tx(*conn_, TxMode::kWrite);
        conn_->ExecScript("INSERT INTO tx3 VALUES (3); INSERT INTO tx3 VALUES (4)");
        // Not committed: the script ran inside the transaction.
    }
    {
        Transaction tx(*conn_, TxMode::kWrite);
        tx.Commit();  // a transaction that ran nothing commits nothing
    }
    EXPECT_EQ(Count(*conn_, "tx3"), 2);
    // A statement prepared for the first time inside a transaction (its own round trips come before the BEGIN).
    {
        Transaction tx(*conn_, TxMode::kWrite);
        conn_->Exec("INSERT INTO tx3 (v) VALUES ($1) ON CONFLICT (v) DO NOTHING", {5});
    }
    EXPECT_EQ(Count(*conn_, "tx3"), 2);
}

TEST_P(DbTest, ConcurrentWriteTransactionsWaitInsteadOfFailing) {
    conn_->ExecScript("CREATE TABLE w (thread BIGINT NOT NULL, i BIGINT NOT NULL)");
    constexpr int kThreads = 3;
    constexpr int kIterations = 150;
    RunWriters(kThreads, [&](int t) {
        auto conn = Connect(url_);
        for (int i = 0; i < kIterations; ++i) {
            Transaction tx(*conn, TxMode::kWrite);
            const int64_t before = conn->QueryOne("SELECT COUNT(*) FROM w WHERE thread = $1", {t})->Int(0);
            conn->Exec("INSERT INTO w (thread, i) VALUES ($1, $2)", {t, before});
            tx.Commit();
            conn->Exec("INSERT INTO w (thread, i) VALUES ($1, $2)", {t + 100, i});  // autocommit
        }
    });
    EXPECT_EQ(Count(*conn_, "w"), 2 * kThreads * kIterations);
}

TEST(SqliteTransactionTest, ReadTransactionThatWritesAfterAnotherCommitIsBusy) {
    // Why Begin(kWrite) is BEGIN IMMEDIATE: a deferred transaction cannot upgrade a stale snapshot to a
    // write, and SQLite fails at once (no busy wait).
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite:" + (dir / "busy.db").string();
    {
        auto a = Connect(url);
        auto b = Connect(url);
        a->ExecScript("CREATE TABLE b (v BIGINT)");
        a->Begin(TxMode::kRead);
        EXPECT_EQ(Count(*a, "b"), 0);
        b->Exec("INSERT INTO b (v) VALUES (1)");
        EXPECT_EQ(CatchDbError([&] { a->Exec("INSERT INTO b (v) VALUES (2)"); }).kind(), DbError::Kind::kBusy);
        a->Rollback();
    }
    std::filesystem::remove_all(dir);
}

TEST(SqliteTransactionTest, WriteTransactionsShareOneHandleWhoseCommitsEveryoneSees) {
    // Write transactions run on one handle shared by the process's connections to the file; reads run on
    // each connection's own. A commit made there must be what every connection reads next, its own included.
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite:" + (dir / "shared.db").string();
    {
        auto a = Connect(url);
        auto b = Connect(url);
        a->ExecScript("CREATE TABLE s (v BIGINT)");
        {
            Transaction tx(*a, TxMode::kWrite);
            a->Exec("INSERT INTO s (v) VALUES (1)");
            EXPECT_EQ(Count(*a, "s"), 1);  // inside the transaction: its own uncommitted row
            EXPECT_EQ(Count(*b, "s"), 0);  // elsewhere: not yet
            tx.Commit();
        }
        EXPECT_FALSE(a->InTransaction());
        EXPECT_EQ(Count(*a, "s"), 1);
        EXPECT_EQ(Count(*b, "s"), 1);
        b->Exec("INSERT INTO s (v) VALUES (2)");  // autocommit on b's own handle
        {
            Transaction tx(*a, TxMode::kWrite);
            EXPECT_EQ(Count(*a, "s"), 2);
            a->Exec("UPDATE s SET v = v * 10");
            tx.Commit();
        }
        EXPECT_EQ(b->QueryOne("SELECT SUM(v) FROM s")->Int(0), 30);
    }
    std::filesystem::remove_all(dir);
}

TEST(SqliteTransactionTest, TheWalIsCheckpointedAndStartedOverUnderSteadyWrites) {
    // The writing handle checkpoints after its commits, not inside them; the WAL must still start over
    // rather than grow. 6000 commits of two pages each (a 3000-byte row and its table's last leaf) write
    // 12000 frames; checkpoints come every 8000, so the file stays near 8000 frames of 4096 + 24 bytes.
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    const auto file = dir / "wal.db";
    {
        auto conn = Connect("sqlite:" + file.string());
        conn->ExecScript("CREATE TABLE big (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
        const Bytes payload{std::string(3000, 'x')};
        for (int i = 0; i < 6000; ++i) {
            Transaction tx(*conn, TxMode::kWrite);
            conn->Exec("INSERT INTO big (v) VALUES ($1)", {payload});
            tx.Commit();
        }
        EXPECT_EQ(Count(*conn, "big"), 6000);
        const auto wal_bytes = std::filesystem::file_size(dir / "wal.db-wal");
        EXPECT_GT(wal_bytes, 4000u * 4120u);   // it did grow to the checkpoint's size
        EXPECT_LT(wal_bytes, 10000u * 4120u);  // and started over instead of holding all 12000 frames
    }
    std::filesystem::remove_all(dir);
}

TEST(SqliteTransactionTest, AConnectionClosedInsideAWriteTransactionLeavesTheSharedHandleClean) {
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite:" + (dir / "closed.db").string();
    {
        auto b = Connect(url);
        b->ExecScript("CREATE TABLE c (v BIGINT)");
        {
            auto a = Connect(url);
            a->Begin(TxMode::kWrite);
            a->Exec("INSERT INTO c (v) VALUES (1)");
        }  // closed without commit or rollback
        // A turn left held would time out as kBusy; a handle left in the transaction would refuse BEGIN.
        Transaction tx(*b, TxMode::kWrite);
        EXPECT_EQ(Count(*b, "c"), 0);
        b->Exec("INSERT INTO c (v) VALUES (2)");
        tx.Commit();
        EXPECT_EQ(Count(*b, "c"), 1);
    }
    std::filesystem::remove_all(dir);
}

TEST(SqliteTransactionTest, WritersCommittedInOneGroupKeepTheirOwnWorkAndRollBacksUndoOnlyTheirs) {
    // Concurrent writers share COMMITs (group commit). Whatever the grouping: a writer's Commit() returns only
    // once its rows are committed (another connection reads them at once), and a writer that rolls back
    // inside a group undoes its own rows and nobody else's. Every 4th transaction of each thread rolls back,
    // after writing two rows, one of which also bumps a shared counter that every writer updates.
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite:" + (dir / "group.db").string();
    constexpr int kThreads = 6;
    constexpr int kIterations = 120;
    {
        auto setup = Connect(url);
        setup->ExecScript(
            "CREATE TABLE g (thread BIGINT NOT NULL, i BIGINT NOT NULL, PRIMARY KEY (thread, i));"
            "CREATE TABLE counter (n BIGINT NOT NULL); INSERT INTO counter (n) VALUES (0)");
        RunWriters(kThreads, [&](int t) {
            auto conn = Connect(url);
            auto reader = Connect(url);
            for (int i = 0; i < kIterations; ++i) {
                Transaction tx(*conn, TxMode::kWrite);
                conn->Exec("INSERT INTO g (thread, i) VALUES ($1, $2)", {t, i});
                conn->Exec("UPDATE counter SET n = n + 1");
                conn->Exec("INSERT INTO g (thread, i) VALUES ($1, $2)", {t, i + 1000});
                if (i % 4 == 3) continue;  // rolled back by the scope's end
                tx.Commit();
                const auto seen = reader->QueryOne("SELECT COUNT(*) FROM g WHERE thread = $1 AND i = $2", {t, i});
                if (seen->Int(0) != 1) ADD_FAILURE() << "writer " << t << " row " << i << " not visible";
            }
        });
        // 120 iterations, of which 30 rolled back: 90 committed transactions of 2 rows per thread.
        EXPECT_EQ(Count(*setup, "g"), kThreads * 90 * 2);
        EXPECT_EQ(setup->QueryOne("SELECT COUNT(*) FROM g WHERE i % 4 = 3 AND i < 1000")->Int(0), 0);
        EXPECT_EQ(setup->QueryOne("SELECT n FROM counter")->Int(0), kThreads * 90);
        EXPECT_FALSE(setup->InTransaction());
    }
    std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------------
// Pool

TEST_P(DbTest, PoolLendsConnectionsAndCountsWaits) {
    auto pool = Pool::Open(url_, 2);
    EXPECT_EQ(pool->dialect(), dialect());
    EXPECT_EQ(pool->size(), 2u);
    std::atomic<bool> third_acquired{false};
    {
        Lease a = pool->Acquire();
        Lease b = pool->Acquire();
        EXPECT_TRUE(a->Ping());
        EXPECT_TRUE((*b).Ping());
        PoolStats stats = pool->Stats();
        EXPECT_EQ(stats.size, 2u);
        EXPECT_EQ(stats.in_use, 2u);
        EXPECT_EQ(stats.acquired_total, 2u);
        EXPECT_EQ(stats.waited_total, 0u);

        std::thread waiter([&] {
            Lease c = pool->Acquire();
            third_acquired = true;
            EXPECT_TRUE(c->Ping());
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        EXPECT_FALSE(third_acquired.load());
        { Lease moved = std::move(a); }  // returns a's connection
        waiter.join();
        EXPECT_TRUE(third_acquired.load());
    }
    const PoolStats stats = pool->Stats();
    EXPECT_EQ(stats.in_use, 0u);
    EXPECT_EQ(stats.acquired_total, 3u);
    EXPECT_EQ(stats.waited_total, 1u);
    EXPECT_GE(stats.wait_seconds_total, 0.05);
}

TEST_P(DbTest, PoolRollsBackAConnectionReturnedInsideATransaction) {
    conn_->ExecScript("CREATE TABLE pt (v BIGINT)");
    auto pool = Pool::Open(url_, 1);
    {
        Lease lease = pool->Acquire();
        lease->Begin(TxMode::kWrite);
        lease->Exec("INSERT INTO pt (v) VALUES ($1)", {1});
    }
    Lease lease = pool->Acquire();
    EXPECT_FALSE(lease->InTransaction());
    EXPECT_EQ(Count(*lease, "pt"), 0);
    EXPECT_EQ(Count(*conn_, "pt"), 0);  // and the SQLite write lock is free again
    conn_->Exec("INSERT INTO pt (v) VALUES ($1)", {2});
}

TEST(SqlitePoolTest, AnExhaustedPoolAnswersBusyInsteadOfWaitingForever) {
    // A request never hangs on a pool whose connections are all held: after the acquire timeout it fails as
    // kBusy, which the dispatcher answers with 503 `unavailable`.
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    {
        auto pool = Pool::Open("sqlite:" + (dir / "busy-pool.db").string(), 1);
        pool->SetAcquireTimeout(std::chrono::milliseconds(300));
        {
            Lease held = pool->Acquire();
            const auto start = std::chrono::steady_clock::now();
            EXPECT_EQ(CatchDbError([&] { pool->Acquire(); }).kind(), DbError::Kind::kBusy);
            const auto waited = std::chrono::steady_clock::now() - start;
            EXPECT_GE(waited, std::chrono::milliseconds(290));
            EXPECT_LT(waited, std::chrono::seconds(3));
            EXPECT_EQ(pool->Stats().in_use, 1u);
        }
        Lease again = pool->Acquire();  // the slot came back when `held` was returned
        EXPECT_TRUE(again->Ping());
    }
    std::filesystem::remove_all(dir);
}

TEST(SqlitePoolTest, AFailedOpenDoesNotLeakAPoolSlot) {
    InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("safeloop-db-test-" + HexEncode(RandomBytes(6)));
    std::filesystem::create_directories(dir);
    auto pool = Pool::Open("sqlite:" + (dir / "pool.db").string(), 2);
    {
        Lease first = pool->Acquire();
        std::filesystem::remove_all(dir);  // the second connection can no longer be opened
        EXPECT_EQ(CatchDbError([&] { pool->Acquire(); }).kind(), DbError::Kind::kConnection);
        EXPECT_EQ(pool->Stats().in_use, 1u);
    }
    // Both slots are usable again: the idle connection, and a fresh open once the directory is back.
    std::filesystem::create_directories(dir);
    Lease a = pool->Acquire();
    Lease b = pool->Acquire();
    EXPECT_TRUE(a->Ping());
    EXPECT_TRUE(b->Ping());
    EXPECT_EQ(pool->Stats().in_use, 2u);
    std::filesystem::remove_all(dir);
}

// Only a PostgreSQL connection can lose its server.
class PostgresDbTest : public DbTest {};

INSTANTIATE_TEST_SUITE_P(Backends, PostgresDbTest, ::testing::Values(Dialect::kPostgres),
                         [](const ::testing::TestParamInfo<Dialect>& /*info*/) { return "Postgres"; });

TEST_P(PostgresDbTest, PoolReplacesABrokenConnection) {
    auto pool = Pool::Open(url_, 1);
    int64_t first_pid = 0;
    {
        Lease lease = pool->Acquire();
        first_pid = lease->QueryOne("SELECT pg_backend_pid()")->Int(0);
        const DbError error = CatchDbError([&] { lease->Exec("SELECT pg_terminate_backend(pg_backend_pid())"); });
        EXPECT_EQ(error.kind(), DbError::Kind::kConnection) << error.what();
        EXPECT_FALSE(lease->Ping());
    }
    Lease lease = pool->Acquire();
    EXPECT_TRUE(lease->Ping());
    EXPECT_NE(lease->QueryOne("SELECT pg_backend_pid()")->Int(0), first_pid);
    EXPECT_EQ(pool->Stats().in_use, 1u);
}

TEST_P(DbTest, OpeningABadDatabaseFailsAsAConnectionError) {
    const std::string url = dialect() == Dialect::kSqlite ? "sqlite:/nonexistent-dir/x/y.db"
                                                          : "postgresql://postgres:hunter2@127.0.0.1:1/none";
    const DbError error = CatchDbError([&] { Pool::Open(url, 2); });
    EXPECT_EQ(error.kind(), DbError::Kind::kConnection);
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
}

TEST(ConnectTest, RecognisesUrls) {
    EXPECT_TRUE(IsPostgresUrl("postgresql://u@h/db"));
    EXPECT_TRUE(IsPostgresUrl("postgres://u@h/db"));
    EXPECT_FALSE(IsPostgresUrl("sqlite:data/safeloop.db"));
    EXPECT_FALSE(IsPostgresUrl("host=/tmp dbname=x"));
    const DbError error = CatchDbError([] { Connect("mysql://root:hunter2@localhost/x"); });
    EXPECT_EQ(error.kind(), DbError::Kind::kConnection);
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
    EXPECT_EQ(CatchDbError([] { Connect("sqlite:"); }).kind(), DbError::Kind::kConnection);
}

// ---------------------------------------------------------------------------------------------------
// Migrations

TEST(RenderMigrationSqlTest, ExpandsMacrosPerDialect) {
    constexpr std::string_view kSql = "CREATE TABLE f (id {{SERIAL_PK}}, data {{BLOB}}, meta TEXT DEFAULT '{{}}')";
    EXPECT_EQ(RenderMigrationSql(kSql, Dialect::kSqlite),
              "CREATE TABLE f (id INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB, meta TEXT DEFAULT '{{}}')");
    EXPECT_EQ(RenderMigrationSql(kSql, Dialect::kPostgres),
              "CREATE TABLE f (id BIGSERIAL PRIMARY KEY, data BYTEA, meta TEXT DEFAULT '{{}}')");
    EXPECT_EQ(RenderMigrationSql("no macros {{", Dialect::kSqlite), "no macros {{");
    constexpr std::string_view kPgOnly = "CREATE TABLE g (x INT);\n{{POSTGRES_ONLY}} ALTER TABLE g SET x;\nSELECT 1;";
    EXPECT_EQ(RenderMigrationSql(kPgOnly, Dialect::kSqlite),
              "CREATE TABLE g (x INT);\n-- ALTER TABLE g SET x;\nSELECT 1;");
    EXPECT_EQ(RenderMigrationSql(kPgOnly, Dialect::kPostgres),
              "CREATE TABLE g (x INT);\n ALTER TABLE g SET x;\nSELECT 1;");
    constexpr std::string_view kSqliteOnly = "{{SQLITE_ONLY}} SELECT json_each('[]');\nSELECT 1;";
    EXPECT_EQ(RenderMigrationSql(kSqliteOnly, Dialect::kSqlite), " SELECT json_each('[]');\nSELECT 1;");
    EXPECT_EQ(RenderMigrationSql(kSqliteOnly, Dialect::kPostgres), "-- SELECT json_each('[]');\nSELECT 1;");
    EXPECT_THROW(RenderMigrationSql("x {{BLOBB}}", Dialect::kSqlite), std::invalid_argument);
}

std::vector<Migration> TwoMigrations() {
    return {
        {1, "one", "CREATE TABLE m1 (id {{SERIAL_PK}}, data {{BLOB}});\n"},
        {2, "two", "CREATE TABLE m2 (x BIGINT);\nINSERT INTO m2 (x) VALUES (42);\n"},
    };
}

TEST_P(DbTest, MigrateAppliesEachMigrationOnce) {
    std::vector<Migration> migrations = TwoMigrations();
    MigrateReport first = Migrate(*conn_, migrations);
    EXPECT_EQ(first.applied, (std::vector<int>{1, 2}));
    EXPECT_EQ(first.current_version, 2);
    MigrateReport second = Migrate(*conn_, migrations);
    EXPECT_TRUE(second.applied.empty());
    EXPECT_EQ(second.current_version, 2);
    EXPECT_EQ(Count(*conn_, "m2"), 1);

    const std::vector<Row> rows = conn_->Query(
        "SELECT version, name, checksum, applied_at FROM schema_migrations "
        "ORDER BY version");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].Int(0), 2);
    EXPECT_EQ(rows[1].Text(1), "two");
    EXPECT_EQ(rows[1].Text(2), Sha256Hex(migrations[1].sql));
    EXPECT_GT(rows[1].Int(3), 0);

    migrations.push_back({3, "three", "ALTER TABLE m2 ADD COLUMN y TEXT;"});
    MigrateReport third = Migrate(*conn_, migrations);
    EXPECT_EQ(third.applied, (std::vector<int>{3}));
    EXPECT_EQ(third.current_version, 3);
}

TEST_P(DbTest, MigrateRefusesAnEditedMigration) {
    std::vector<Migration> migrations = TwoMigrations();
    migrations.pop_back();
    Migrate(*conn_, migrations);
    migrations[0].sql += "-- edited\n";
    migrations.push_back(TwoMigrations()[1]);
    try {
        Migrate(*conn_, migrations);
        ADD_FAILURE() << "an edited migration was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("V001__one was changed"), std::string::npos) << e.what();
    }
    // Nothing after the refusal ran.
    EXPECT_THROW(conn_->Query("SELECT x FROM m2"), DbError);
}

TEST_P(DbTest, AFailedMigrationLeavesNoTrace) {
    std::vector<Migration> migrations = TwoMigrations();
    migrations[1].sql = "CREATE TABLE half (x BIGINT);\nCREATE TABLE broken (;\n";
    const DbError error = CatchDbError([&] { Migrate(*conn_, migrations); });
    EXPECT_NE(std::string(error.what()).find("V002__two failed"), std::string::npos) << error.what();
    EXPECT_EQ(conn_->QueryOne("SELECT MAX(version) FROM schema_migrations")->Int(0), 1);
    EXPECT_THROW(conn_->Query("SELECT x FROM half"), DbError);  // DDL is transactional on both backends
    EXPECT_FALSE(conn_->InTransaction());

    const MigrateReport fixed = Migrate(*conn_, TwoMigrations());
    EXPECT_EQ(fixed.applied, (std::vector<int>{2}));
}

TEST_P(DbTest, ConcurrentMigratorsApplyEachMigrationOnce) {
    constexpr int kMigrators = 4;
    std::atomic<size_t> applied{0};
    std::vector<std::thread> threads;
    threads.reserve(kMigrators);
    for (int i = 0; i < kMigrators; ++i) {
        threads.emplace_back([&] {
            try {
                auto conn = Connect(url_);
                applied += Migrate(*conn, EmbeddedMigrations()).applied.size();
            } catch (const std::exception& e) {
                ADD_FAILURE() << "migrator: " << e.what();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(applied.load(), EmbeddedMigrations().size());
}

TEST_P(DbTest, EmbeddedMigrationsApplyCleanly) {
    const std::vector<Migration>& migrations = EmbeddedMigrations();
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(migrations.front().version, 1);
    const MigrateReport report = Migrate(*conn_, migrations);
    EXPECT_EQ(report.applied.size(), migrations.size());
    EXPECT_EQ(report.current_version, migrations.back().version);
    EXPECT_TRUE(Migrate(*conn_, migrations).applied.empty());

    // A smoke test of the foundation schema: keys, foreign keys, serial ids and bytes.
    conn_->Exec("INSERT INTO tenants (id, name, code, created_at) VALUES ($1, $2, $3, $4)",
                {"t1", "示例化工有限公司", "demo", 1});
    EXPECT_EQ(CatchDbError([&] {
                  conn_->Exec("INSERT INTO sites (id, tenant_id, name, created_at) VALUES ($1, $2, $3, $4)",
                              {"s1", "no-such-tenant", "一厂", 1});
              }).kind(),
              DbError::Kind::kForeignKeyViolation);
    const int64_t id1 =
        conn_->QueryOne("INSERT INTO login_failures (login, at) VALUES ($1, $2) RETURNING id", {"alice", 1})->Int(0);
    const int64_t id2 =
        conn_->QueryOne("INSERT INTO login_failures (login, at) VALUES ($1, $2) RETURNING id", {"alice", 2})->Int(0);
    EXPECT_LT(id1, id2);
    const std::string png("\x89PNG\r\n\x1a\n\0\0", 10);
    conn_->Exec("INSERT INTO file_blobs (id, size, content_type, data, created_at) VALUES ($1, $2, $3, $4, $5)",
                {"f1", 10, "image/png", Bytes{png}, 1});
    EXPECT_EQ(conn_->QueryOne("SELECT data FROM file_blobs WHERE id = $1", {"f1"})->Blob(0), png);
}

// V018 backfills hazard_file_uses from the hazards, rectifications and voice notes stored before it: every file id
// of the JSON arrays and columns, lower-cased, once per hazard; a hazard without files gets no row.
TEST_P(DbTest, HazardFileUsesAreBackfilledFromExistingRecords) {
    std::vector<Migration> before;
    for (const Migration& m : EmbeddedMigrations()) {
        if (m.version < 18) before.push_back(m);
    }
    ASSERT_LT(before.size(), EmbeddedMigrations().size());
    Migrate(*conn_, before);

    const std::string a(64, 'a'), b(64, 'b'), c(64, 'c'), d(64, 'd'), e(64, 'e');
    conn_->Exec("INSERT INTO tenants (id, name, code, created_at) VALUES ($1, $2, $3, $4)", {"t1", "一厂", "t1", 1});
    const std::string insert_hazard =
        "INSERT INTO hazards (id, tenant_id, code, code_year, code_seq, title, grade, status, photos_json, "
        "reporter_id, reported_at, due_at, original_due_at, updated_at) "
        "VALUES ($1, 't1', $2, 2026, $3, 'x', 'blue', 'reported', $4, 'u1', 1, 2, 2, 1)";
    conn_->Exec(insert_hazard, {"h1", "YH-2026-0001", 1, "[\"" + a + "\",\"" + std::string(64, 'B') + "\"]"});
    conn_->Exec(insert_hazard, {"h2", "YH-2026-0002", 2, "[]"});
    conn_->Exec(
        "INSERT INTO hazard_rectifications (id, tenant_id, hazard_id, round, submitted_by, submitted_at, "
        "evidence_json, signature_file_id) VALUES ('r1', 't1', 'h2', 1, 'u1', 1, $1, $2)",
        {R"([{"kind":"after_photo","file_id":")" + c + R"("},{"kind":"before_photo","file_id":")" + a + R"("}])", d});
    conn_->Exec(
        "INSERT INTO hazard_rectifications (id, tenant_id, hazard_id, round, submitted_by, submitted_at, "
        "evidence_json) VALUES ('r2', 't1', 'h2', 2, 'u1', 1, $1)",
        {R"([{"kind":"after_photo","file_id":")" + c + R"("}])"});
    conn_->Exec(
        "INSERT INTO hazard_voice_notes (hazard_id, tenant_id, file_id, content_type, duration_s, created_at) "
        "VALUES ('h1', 't1', $1, 'audio/webm', 3.5, 1)",
        {e});

    Migrate(*conn_, EmbeddedMigrations());
    std::vector<std::string> uses;
    for (const Row& row :
         conn_->Query("SELECT tenant_id, hazard_id, file_id FROM hazard_file_uses ORDER BY hazard_id, file_id")) {
        uses.push_back(row.Text(0) + " " + row.Text(1) + " " + row.Text(2).substr(0, 1));
    }
    EXPECT_EQ(uses, (std::vector<std::string>{"t1 h1 a", "t1 h1 b", "t1 h1 e", "t1 h2 a", "t1 h2 c", "t1 h2 d"}));
    EXPECT_EQ(conn_->QueryOne("SELECT COUNT(*) FROM hazard_file_uses WHERE file_id = $1", {b})->Int(0), 1);
}

}  // namespace
}  // namespace safeloop::db
