// The job queue on a real SQLite file: enqueue and dedupe, claim and complete in one transaction with
// the handler's effect, retry with backoff, unknown kinds, cancellation and leases.

#include "jobs/job_queue.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "core/crypto.hpp"
#include "db/migrate.hpp"
#include "jobs/job_queue_rules.hpp"
#include "jobs/job_queue_store.hpp"

namespace safeloop::jobs {
namespace {

constexpr std::string_view kTenant = "t-jobs";
constexpr std::string_view kInsertTenant =
    "INSERT INTO tenants (id, name, code, created_at) VALUES ($1, 'Jobs test', 'jobs', 0)";
constexpr std::string_view kCountEffects =
    "SELECT COUNT(*) FROM tenant_settings WHERE tenant_id = $1 AND key LIKE 'effect:%'";
constexpr std::string_view kInsertEffect =
    "INSERT INTO tenant_settings (tenant_id, key, value_json, updated_at) VALUES ($1, $2, '{}', 0)";

class JobQueueTest : public ::testing::Test {
protected:
    void SetUp() override {
        InitCrypto();
        std::string templ = (std::filesystem::temp_directory_path() / "safeloop-jobs-XXXXXX").string();
        ASSERT_NE(mkdtemp(templ.data()), nullptr);
        dir_ = templ;
        pool_ = db::Pool::Open("sqlite:" + (dir_ / "test.db").string(), 2);
        auto conn = pool_->Acquire();
        db::Migrate(*conn, db::EmbeddedMigrations());
        conn->Exec(kInsertTenant, {std::string(kTenant)});
    }
    void TearDown() override {
        pool_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    Job MakeJob(std::string kind, std::string key, TimePoint due) {
        Job job;
        job.tenant_id = std::string(kTenant);
        job.kind = std::move(kind);
        job.ref_id = "obj-1";
        job.dedupe_key = std::move(key);
        job.due_at = due;
        job.payload["n"] = 7;
        return job;
    }

    bool Enqueue(Job job) {
        auto conn = pool_->Acquire();
        db::Transaction tx(*conn, db::TxMode::kWrite);
        bool added = jobs::Enqueue(*conn, clock_, std::move(job));
        tx.Commit();
        return added;
    }

    int64_t Effects() {
        auto conn = pool_->Acquire();
        return conn->QueryOne(kCountEffects, {std::string(kTenant)})->Int(0);
    }

    store::JobState State(const std::string& kind, const std::string& key) {
        auto conn = pool_->Acquire();
        auto state = store::FindJobState(*conn, kind, key);
        EXPECT_TRUE(state.has_value());
        return state.value_or(store::JobState{});
    }

    std::filesystem::path dir_;
    std::unique_ptr<db::Pool> pool_;
    ManualClock clock_{FromUnixMillis(1'800'000'000'000)};
};

TEST_F(JobQueueTest, EnqueueTwiceWithTheSameKeyKeepsOneJob) {
    EXPECT_TRUE(Enqueue(MakeJob("test.effect", "k1", clock_.Now())));
    EXPECT_FALSE(Enqueue(MakeJob("test.effect", "k1", clock_.Now() + std::chrono::hours(1))));
    // The same key under another kind is another job.
    EXPECT_TRUE(Enqueue(MakeJob("test.other", "k1", clock_.Now())));
}

TEST_F(JobQueueTest, RunsOnlyDueJobsOnceWithTheirPayloadAndEffect) {
    JobQueue queue;
    int runs = 0;
    queue.Register("test.effect", [&](db::Connection& conn, const Job& job, const Clock&) {
        ++runs;
        EXPECT_EQ(job.payload.at("n").as_int64(), 7);
        EXPECT_EQ(job.ref_id, "obj-1");
        conn.Exec(kInsertEffect, {job.tenant_id, "effect:" + job.dedupe_key});
    });
    ASSERT_TRUE(Enqueue(MakeJob("test.effect", "now", clock_.Now())));
    ASSERT_TRUE(Enqueue(MakeJob("test.effect", "later", clock_.Now() + std::chrono::minutes(15))));

    EXPECT_EQ(queue.RunDue(*pool_, clock_), 1u);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(Effects(), 1);
    EXPECT_EQ(State("test.effect", "now").status, "done");
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);

    clock_.Advance(std::chrono::minutes(15));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 1u);
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(Effects(), 2);
}

TEST_F(JobQueueTest, AThrowingHandlerRollsBackItsEffectAndIsRetriedWithBackoff) {
    JobQueue queue;
    int runs = 0;
    queue.Register("test.flaky", [&](db::Connection& conn, const Job& job, const Clock&) {
        ++runs;
        conn.Exec(kInsertEffect, {job.tenant_id, "effect:" + std::to_string(runs)});
        if (runs < 3) throw std::runtime_error("gateway down");
    });
    ASSERT_TRUE(Enqueue(MakeJob("test.flaky", "k", clock_.Now())));
    const TimePoint start = clock_.Now();

    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    EXPECT_EQ(Effects(), 0);  // rolled back with the job
    auto state = State("test.flaky", "k");
    EXPECT_EQ(state.status, "pending");
    EXPECT_EQ(state.attempts, 1);
    EXPECT_EQ(state.last_error, "gateway down");
    EXPECT_EQ(state.due_at_ms, ToUnixMillis(start + JobRetryDelay(1)));

    clock_.Advance(JobRetryDelay(1) - Millis(1));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    EXPECT_EQ(runs, 1);  // not due yet
    clock_.Advance(Millis(1));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(State("test.flaky", "k").attempts, 2);

    clock_.Advance(JobRetryDelay(2));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 1u);
    EXPECT_EQ(runs, 3);
    EXPECT_EQ(Effects(), 1);
    EXPECT_EQ(State("test.flaky", "k").status, "done");
}

TEST_F(JobQueueTest, GivesUpAfterTheMaximumAttempts) {
    JobQueue queue;
    int runs = 0;
    queue.Register("test.broken", [&](db::Connection&, const Job&, const Clock&) {
        ++runs;
        throw std::runtime_error("bug");
    });
    ASSERT_TRUE(Enqueue(MakeJob("test.broken", "k", clock_.Now())));
    for (int i = 0; i < kMaxJobAttempts + 5; ++i) {
        queue.RunDue(*pool_, clock_);
        clock_.Advance(std::chrono::hours(1));
    }
    EXPECT_EQ(runs, kMaxJobAttempts);
    auto state = State("test.broken", "k");
    EXPECT_EQ(state.status, "failed");
    EXPECT_EQ(state.attempts, kMaxJobAttempts);
}

TEST_F(JobQueueTest, AnUnknownKindIsMarkedFailedNotRetried) {
    JobQueue queue;
    ASSERT_TRUE(Enqueue(MakeJob("test.nobody", "k", clock_.Now())));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    auto state = State("test.nobody", "k");
    EXPECT_EQ(state.status, "failed");
    EXPECT_NE(state.last_error.find("test.nobody"), std::string::npos);
    clock_.Advance(std::chrono::hours(2));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    EXPECT_EQ(State("test.nobody", "k").status, "failed");
}

TEST_F(JobQueueTest, CancelledJobsDoNotRun) {
    JobQueue queue;
    int runs = 0;
    queue.Register("test.effect", [&](db::Connection&, const Job&, const Clock&) { ++runs; });
    ASSERT_TRUE(Enqueue(MakeJob("test.effect", "k", clock_.Now() + std::chrono::minutes(15))));
    {
        auto conn = pool_->Acquire();
        Cancel(*conn, "test.effect", "obj-1");
    }
    clock_.Advance(std::chrono::hours(1));
    EXPECT_EQ(queue.RunDue(*pool_, clock_), 0u);
    EXPECT_EQ(runs, 0);
    EXPECT_EQ(State("test.effect", "k").status, "cancelled");
}

TEST_F(JobQueueTest, ALeaseKeepsOthersOffUntilItExpires) {
    ASSERT_TRUE(Enqueue(MakeJob("test.effect", "k", clock_.Now())));
    auto conn = pool_->Acquire();
    const int64_t now = ToUnixMillis(clock_.Now());
    const int64_t until = ToUnixMillis(clock_.Now() + kJobLease);
    auto first = store::ClaimDue(*conn, now, until, "lease-a", 10);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_TRUE(store::ClaimDue(*conn, now, until, "lease-b", 10).empty());

    // The first claimer vanished; once its lease is over another process takes the job...
    const int64_t later = now + ToUnixMillis(FromUnixMillis(0) + kJobLease) + 1;
    auto second = store::ClaimDue(*conn, later, later + 60'000, "lease-b", 10);
    ASSERT_EQ(second.size(), 1u);
    // ...and the first can no longer complete it.
    EXPECT_FALSE(store::CompleteIfOwned(*conn, first[0].job.id, "lease-a", later));
    EXPECT_TRUE(store::CompleteIfOwned(*conn, second[0].job.id, "lease-b", later));
    EXPECT_FALSE(store::CompleteIfOwned(*conn, second[0].job.id, "lease-b", later));
}

}  // namespace
}  // namespace safeloop::jobs
