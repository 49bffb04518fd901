// The audit log against real databases (a SQLite file; PostgreSQL from SAFELOOP_TEST_PG_URL, in a schema of its
// own): appending, chaining, verifying, and catching tampering done directly in the database.

#include "modules/audit/audit.hpp"

#include "core/crypto.hpp"
#include "db/migrate.hpp"

#include <gtest/gtest.h>
#include <boost/json/object.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace safeloop::audit {
namespace {

constexpr const char* kPgUrlVariable = "SAFELOOP_TEST_PG_URL";

class AuditTest : public ::testing::TestWithParam<db::Dialect> {
protected:
    static void SetUpTestSuite() { InitCrypto(); }

    void SetUp() override {
        const std::string suffix = HexEncode(RandomBytes(6));
        if (GetParam() == db::Dialect::kSqlite) {
            dir_ = std::filesystem::temp_directory_path() / ("safeloop-audit-test-" + suffix);
            std::filesystem::create_directories(dir_);
            url_ = "sqlite:" + (dir_ / "test.db").string();
        } else {
            const char* base = std::getenv(kPgUrlVariable);
            if (base == nullptr || *base == '\0') {
                FAIL() << kPgUrlVariable << " is not set: export " << kPgUrlVariable << "=$(scripts/pg-test.sh start)";
            }
            base_url_ = base;
            schema_ = "audit_" + suffix;
            db::Connect(base_url_)->ExecScript("CREATE SCHEMA " + schema_);
            url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
                   schema_;
        }
        conn_ = db::Connect(url_);
        db::Migrate(*conn_, db::EmbeddedMigrations());
    }

    void TearDown() override {
        conn_.reset();
        if (!schema_.empty()) db::Connect(base_url_)->ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    Entry MakeEntry(const std::string& tenant, const std::string& action, const std::string& entity_id = "e1") {
        Entry e;
        e.tenant_id = tenant;
        e.actor_id = "user-1";
        e.request_id = "req-" + action;
        e.action = action;
        e.entity_type = "hazard";
        e.entity_id = entity_id;
        boost::json::object after;
        after["status"] = "reported";
        after["title"] = "二号焊接车间 气瓶未固定";
        e.after = after;
        e.at = clock_.Now();
        clock_.Advance(Millis(1000));
        return e;
    }

    void AppendMany(const std::string& tenant, int n) {
        db::Transaction tx(*conn_, db::TxMode::kWrite);
        for (int i = 0; i < n; ++i) Append(*conn_, MakeEntry(tenant, "hazard.update", "e" + std::to_string(i)));
        tx.Commit();
    }

    int64_t Count(const std::string& sql) { return conn_->QueryOne(sql)->Int(0); }

    std::filesystem::path dir_;
    std::string base_url_;
    std::string schema_;
    std::string url_;
    std::unique_ptr<db::Connection> conn_;
    ManualClock clock_{FromUnixMillis(1'780'000'000'000)};
};

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::Values(db::Dialect::kSqlite, db::Dialect::kPostgres),
                         [](const ::testing::TestParamInfo<db::Dialect>& info) {
                             return info.param == db::Dialect::kSqlite ? "Sqlite" : "Postgres";
                         });

TEST_P(AuditTest, AppendsChainPerTenant) {
    AppendMany("tenant-a", 3);
    AppendMany("tenant-b", 2);
    auto rows = conn_->Query("SELECT tenant_id, chain_index, prev_hash, hash FROM audit_log ORDER BY seq");
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0].Text(2), std::string(kGenesisHash));
    EXPECT_EQ(rows[1].Text(2), rows[0].Text(3));
    EXPECT_EQ(rows[2].Int(1), 3);
    EXPECT_EQ(rows[3].Text(0), "tenant-b");
    EXPECT_EQ(rows[3].Int(1), 1);
    EXPECT_EQ(rows[3].Text(2), std::string(kGenesisHash));
    auto head = conn_->QueryOne("SELECT last_index, last_hash FROM audit_heads WHERE tenant_id = 'tenant-a'");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->Int(0), 3);
    EXPECT_EQ(head->Text(1), rows[2].Text(3));

    auto report = Verify(*conn_);
    EXPECT_TRUE(report.ok) << report.message;
    EXPECT_EQ(report.entries, 5);
}

TEST_P(AuditTest, StoredHashMatchesChainHash) {
    Entry e = MakeEntry("tenant-a", "user.create");
    Append(*conn_, e);  // outside a transaction: Append opens its own
    auto row = conn_->QueryOne("SELECT hash FROM audit_log");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->Text(0), ChainHash(std::string(kGenesisHash), e, 1));
}

TEST_P(AuditTest, RolledBackAppendLeavesNoTrace) {
    AppendMany("tenant-a", 2);
    {
        db::Transaction tx(*conn_, db::TxMode::kWrite);
        Append(*conn_, MakeEntry("tenant-a", "hazard.delete"));
    }  // rolled back
    AppendMany("tenant-a", 1);
    EXPECT_EQ(Count("SELECT MAX(chain_index) FROM audit_log"), 3);
    EXPECT_TRUE(Verify(*conn_).ok);
}

TEST_P(AuditTest, EditedFieldIsDetected) {
    AppendMany("tenant-a", 4);
    conn_->Exec(R"(UPDATE audit_log SET after_json = '{"status":"closed"}' WHERE chain_index = 2)");
    auto report = Verify(*conn_);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_index, 2);
    EXPECT_EQ(report.tenant_id, "tenant-a");
}

TEST_P(AuditTest, EditedTimeOrActorIsDetected) {
    AppendMany("tenant-a", 3);
    conn_->Exec("UPDATE audit_log SET at = at + 1 WHERE chain_index = 3");
    EXPECT_EQ(Verify(*conn_).first_bad_index, 3);
    conn_->Exec("UPDATE audit_log SET at = at - 1 WHERE chain_index = 3");
    EXPECT_TRUE(Verify(*conn_).ok);
    conn_->Exec("UPDATE audit_log SET actor_id = NULL WHERE chain_index = 1");
    EXPECT_EQ(Verify(*conn_).first_bad_index, 1);
}

TEST_P(AuditTest, DeletedRowIsDetected) {
    AppendMany("tenant-a", 4);
    conn_->Exec("DELETE FROM audit_log WHERE chain_index = 2");
    auto report = Verify(*conn_);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_index, 2);
}

TEST_P(AuditTest, DeletedLastRowIsDetectedByTheHead) {
    AppendMany("tenant-a", 4);
    conn_->Exec("DELETE FROM audit_log WHERE chain_index = 4");
    auto report = Verify(*conn_);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_index, 4);
}

TEST_P(AuditTest, RehashedEditBreaksTheNextLink) {
    // Someone who edits a row and recomputes its hash must also rewrite every later entry and the head.
    AppendMany("tenant-a", 4);
    conn_->Exec("UPDATE audit_log SET entity_id = 'forged' WHERE chain_index = 2");
    auto row = conn_->QueryOne(
        "SELECT tenant_id, chain_index, at, actor_id, request_id, action, entity_type, entity_id, before_json, "
        "after_json, prev_hash FROM audit_log WHERE chain_index = 2");
    ChainRecord r{row->Text(0), row->Int(1),  row->Int(2),  row->OptText(3), row->Text(4),
                  row->Text(5), row->Text(6), row->Text(7), row->Text(8),    row->Text(9)};
    conn_->Exec("UPDATE audit_log SET hash = $1 WHERE chain_index = 2", {LinkHash(row->Text(10), r)});
    auto report = Verify(*conn_);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_index, 3);
}

TEST_P(AuditTest, ReorderedRowsAreDetected) {
    AppendMany("tenant-a", 4);
    // Store entries 2 and 3 in each other's insertion slots.
    conn_->Exec("UPDATE audit_log SET seq = 1000 WHERE chain_index = 2");
    conn_->Exec("UPDATE audit_log SET seq = 2 WHERE chain_index = 3");
    conn_->Exec("UPDATE audit_log SET seq = 3 WHERE chain_index = 2");
    auto report = Verify(*conn_);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_index, 3);
}

TEST_P(AuditTest, SwappedChainIndexesAreDetected) {
    AppendMany("tenant-a", 4);
    conn_->Exec("UPDATE audit_log SET chain_index = 100 WHERE chain_index = 2");
    conn_->Exec("UPDATE audit_log SET chain_index = 2 WHERE chain_index = 3");
    conn_->Exec("UPDATE audit_log SET chain_index = 3 WHERE chain_index = 100");
    EXPECT_FALSE(Verify(*conn_).ok);
}

TEST_P(AuditTest, EditedHeadIsDetected) {
    AppendMany("tenant-a", 2);
    conn_->Exec("UPDATE audit_heads SET last_hash = $1", {std::string(64, 'a')});
    EXPECT_FALSE(Verify(*conn_).ok);
}

TEST_P(AuditTest, VerifiesOneTenantOnly) {
    AppendMany("tenant-a", 2);
    AppendMany("tenant-b", 2);
    conn_->Exec("UPDATE audit_log SET action = 'x' WHERE tenant_id = 'tenant-b'");
    EXPECT_TRUE(Verify(*conn_, std::string("tenant-a")).ok);
    auto report = Verify(*conn_, std::string("tenant-b"));
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.tenant_id, "tenant-b");
    EXPECT_FALSE(Verify(*conn_).ok);
}

TEST_P(AuditTest, VerifiesLongChainsAcrossPages) {
    AppendMany("tenant-a", 1500);
    auto report = Verify(*conn_);
    EXPECT_TRUE(report.ok) << report.message;
    EXPECT_EQ(report.entries, 1500);
    conn_->Exec("UPDATE audit_log SET request_id = 'x' WHERE chain_index = 1200");
    EXPECT_EQ(Verify(*conn_).first_bad_index, 1200);
}

TEST_P(AuditTest, ConcurrentAppendsForANewTenantFormOneChain) {
    // Several writers start on a tenant with no head yet: the head is created once and every entry gets its
    // own index (PostgreSQL: ON CONFLICT + FOR UPDATE; SQLite: one writer at a time).
    constexpr int kThreads = 4;
    constexpr int kPerThread = 20;
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([this] {
            auto conn = db::Connect(url_);
            for (int i = 0; i < kPerThread; ++i) {
                db::Transaction tx(*conn, db::TxMode::kWrite);
                Entry e;
                e.tenant_id = "tenant-new";
                e.request_id = "r";
                e.action = "x";
                e.at = FromUnixMillis(1'780'000'000'000);
                Append(*conn, e);
                tx.Commit();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), kThreads * kPerThread);
    EXPECT_EQ(Count("SELECT MAX(chain_index) FROM audit_log"), kThreads * kPerThread);
    auto report = Verify(*conn_);
    EXPECT_TRUE(report.ok) << report.message;
}

TEST_P(AuditTest, RecordTakesWhoAndWhenFromTheRequest) {
    auto pool = db::Pool::Open(url_, 1);
    http::Request request;
    request.request_id = "req-42";
    api::RequestContext ctx(request, *pool, clock_);
    api::Principal principal;
    principal.user_id = "user-7";
    principal.tenant_id = "tenant-a";
    ctx.SetPrincipal(principal);
    boost::json::object after;
    after["name"] = "张三";
    Record(ctx, "user.create", "user", "user-8", nullptr, after);
    EXPECT_TRUE(ctx.audited());

    auto row =
        conn_->QueryOne("SELECT tenant_id, actor_id, request_id, at, action, before_json, after_json FROM audit_log");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->Text(0), "tenant-a");
    EXPECT_EQ(row->Text(1), "user-7");
    EXPECT_EQ(row->Text(2), "req-42");
    EXPECT_EQ(row->Int(3), ToUnixMillis(clock_.Now()));
    EXPECT_EQ(row->Text(5), "null");
    EXPECT_EQ(row->Text(6), R"({"name":"张三"})");
}

TEST_P(AuditTest, RecordWithoutPrincipalHasNoActor) {
    auto pool = db::Pool::Open(url_, 1);
    http::Request request;
    request.request_id = "req-1";
    api::RequestContext ctx(request, *pool, clock_);
    Record(ctx, "auth.login_failed", "login", "nobody", nullptr, nullptr);
    auto row = conn_->QueryOne("SELECT tenant_id, actor_id FROM audit_log");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->Text(0), "");
    EXPECT_TRUE(row->IsNull(1));
    EXPECT_TRUE(Verify(*conn_).ok);
}

TEST_P(AuditTest, ListsNewestFirstWithFiltersAndCursor) {
    {
        db::Transaction tx(*conn_, db::TxMode::kWrite);
        for (int i = 0; i < 7; ++i) {
            Entry e = MakeEntry("tenant-a", "hazard.update", i % 2 == 0 ? "h-even" : "h-odd");
            if (i == 6) e.actor_id = "user-2";
            Append(*conn_, e);
        }
        Append(*conn_, MakeEntry("tenant-b", "hazard.update", "h-even"));
        tx.Commit();
    }
    ListFilter filter;
    filter.tenant_id = "tenant-a";
    filter.limit = 3;
    ListPage page = List(*conn_, filter);
    ASSERT_EQ(page.items.size(), 3u);
    EXPECT_EQ(page.items[0].record.chain_index, 7);
    EXPECT_EQ(page.items[2].record.chain_index, 5);
    ASSERT_TRUE(page.next_cursor);

    filter.before_index = page.next_cursor;
    page = List(*conn_, filter);
    ASSERT_EQ(page.items.size(), 3u);
    EXPECT_EQ(page.items[0].record.chain_index, 4);
    filter.before_index = page.next_cursor;
    page = List(*conn_, filter);
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_FALSE(page.next_cursor);

    ListFilter by_entity;
    by_entity.tenant_id = "tenant-a";
    by_entity.entity_type = "hazard";
    by_entity.entity_id = "h-even";
    EXPECT_EQ(List(*conn_, by_entity).items.size(), 4u);
    ListFilter by_actor;
    by_actor.tenant_id = "tenant-a";
    by_actor.actor_id = "user-2";
    page = List(*conn_, by_actor);
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].record.chain_index, 7);
    ListFilter other;
    other.tenant_id = "tenant-c";
    EXPECT_TRUE(List(*conn_, other).items.empty());
}

}  // namespace
}  // namespace safeloop::audit
