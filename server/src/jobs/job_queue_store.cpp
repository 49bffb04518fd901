#include "jobs/job_queue_store.hpp"

#include <algorithm>

namespace safeloop::jobs::store {

namespace {

constexpr std::string_view kInsertJob =
    "INSERT INTO jobs (id, tenant_id, kind, ref_id, dedupe_key, payload_json, status, due_at, attempts, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, 0, $8, $8) "
    "ON CONFLICT (kind, dedupe_key) DO NOTHING";

// Cancel() has no clock (its signature predates one), so a cancelled row keeps its times.
constexpr std::string_view kCancelPending =
    "UPDATE jobs SET status = 'cancelled', locked_until = NULL, lease_token = NULL "
    "WHERE kind = $1 AND ref_id = $2 AND status = 'pending'";

// $1 now, $2 lease until, $3 lease token, $4 limit.
constexpr std::string_view kClaimSqlite =
    "UPDATE jobs SET locked_until = $2, lease_token = $3, updated_at = $1 "
    "WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND due_at <= $1 "
    "AND (locked_until IS NULL OR locked_until < $1) ORDER BY due_at LIMIT $4) "
    "RETURNING id, tenant_id, kind, ref_id, due_at, payload_json, dedupe_key, attempts";
constexpr std::string_view kClaimPostgres =
    "UPDATE jobs SET locked_until = $2, lease_token = $3, updated_at = $1 "
    "WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND due_at <= $1 "
    "AND (locked_until IS NULL OR locked_until < $1) ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, tenant_id, kind, ref_id, due_at, payload_json, dedupe_key, attempts";

constexpr std::string_view kCompleteIfOwned =
    "UPDATE jobs SET status = 'done', locked_until = NULL, lease_token = NULL, finished_at = $3, updated_at = $3 "
    "WHERE id = $1 AND lease_token = $2 AND status = 'pending'";

constexpr std::string_view kReschedule =
    "UPDATE jobs SET attempts = $3, due_at = $4, last_error = $5, locked_until = NULL, lease_token = NULL, "
    "updated_at = $6 WHERE id = $1 AND lease_token = $2 AND status = 'pending'";

constexpr std::string_view kMarkFailed =
    "UPDATE jobs SET status = 'failed', attempts = $3, last_error = $4, locked_until = NULL, lease_token = NULL, "
    "finished_at = $5, updated_at = $5 WHERE id = $1 AND lease_token = $2 AND status = 'pending'";

constexpr std::string_view kFindJobState =
    "SELECT status, attempts, due_at, last_error FROM jobs WHERE kind = $1 AND dedupe_key = $2";

}  // namespace

bool InsertJob(db::Connection& conn, const Job& job, const std::string& payload_json, int64_t now_ms) {
    return conn.Exec(kInsertJob, {job.id, job.tenant_id, job.kind, job.ref_id, job.dedupe_key, payload_json,
                                  ToUnixMillis(job.due_at), now_ms}) > 0;
}

int64_t CancelPending(db::Connection& conn, const std::string& kind, const std::string& ref_id) {
    return conn.Exec(kCancelPending, {kind, ref_id});
}

std::vector<ClaimedJob> ClaimDue(db::Connection& conn, int64_t now_ms, int64_t lease_until_ms,
                                 const std::string& lease_token, size_t limit) {
    auto sql = conn.dialect() == db::Dialect::kPostgres ? kClaimPostgres : kClaimSqlite;
    std::vector<ClaimedJob> out;
    for (const db::Row& row : conn.Query(sql, {now_ms, lease_until_ms, lease_token, limit})) {
        ClaimedJob c;
        c.job.id = row.Text(0);
        c.job.tenant_id = row.Text(1);
        c.job.kind = row.Text(2);
        c.job.ref_id = row.Text(3);
        c.job.due_at = FromUnixMillis(row.Int(4));
        c.payload_json = row.Text(5);
        c.job.dedupe_key = row.Text(6);
        c.job.attempts = static_cast<int>(row.Int(7));
        out.push_back(std::move(c));
    }
    // RETURNING does not keep the subquery's order.
    std::stable_sort(out.begin(), out.end(), [](const ClaimedJob& a, const ClaimedJob& b) {
        return a.job.due_at != b.job.due_at ? a.job.due_at < b.job.due_at : a.job.id < b.job.id;
    });
    return out;
}

bool CompleteIfOwned(db::Connection& conn, const std::string& id, const std::string& lease_token, int64_t now_ms) {
    return conn.Exec(kCompleteIfOwned, {id, lease_token, now_ms}) > 0;
}

void Reschedule(db::Connection& conn, const std::string& id, const std::string& lease_token, int attempts,
                int64_t due_at_ms, const std::string& error, int64_t now_ms) {
    conn.Exec(kReschedule, {id, lease_token, attempts, due_at_ms, error, now_ms});
}

void MarkFailed(db::Connection& conn, const std::string& id, const std::string& lease_token, int attempts,
                const std::string& error, int64_t now_ms) {
    conn.Exec(kMarkFailed, {id, lease_token, attempts, error, now_ms});
}

std::optional<JobState> FindJobState(db::Connection& conn, const std::string& kind, const std::string& dedupe_key) {
    auto row = conn.QueryOne(kFindJobState, {kind, dedupe_key});
    if (!row) return std::nullopt;
    return JobState{row->Text(0), static_cast<int>(row->Int(1)), row->Int(2), row->Text(3)};
}

}  // namespace safeloop::jobs::store
