#pragma once

// Every SQL statement of the job queue (table `jobs`, migration V010).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "jobs/job_queue.hpp"

namespace safeloop::jobs::store {

// INSERT ... ON CONFLICT (kind, dedupe_key) DO NOTHING; true when a row was added.
bool InsertJob(db::Connection& conn, const Job& job, const std::string& payload_json, int64_t now_ms);

// Pending jobs of a kind for an object become cancelled; returns how many.
int64_t CancelPending(db::Connection& conn, const std::string& kind, const std::string& ref_id);

// Reserves up to `limit` due, unreserved pending jobs for `lease_token` until `lease_until_ms`, oldest
// due first (PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers take different rows). The
// payload comes back as its stored JSON text in `payload_json`.
struct ClaimedJob {
    Job job;
    std::string payload_json;
};
std::vector<ClaimedJob> ClaimDue(db::Connection& conn, int64_t now_ms, int64_t lease_until_ms,
                                 const std::string& lease_token, size_t limit);

// Marks a job done if it is still pending under this lease; false means someone else owns it now or it
// was cancelled (then the caller must not run it). On PostgreSQL this also locks the row until commit.
bool CompleteIfOwned(db::Connection& conn, const std::string& id, const std::string& lease_token, int64_t now_ms);

// After a failed run: back to pending at `due_at_ms` with the error, or failed for good.
void Reschedule(db::Connection& conn, const std::string& id, const std::string& lease_token, int attempts,
                int64_t due_at_ms, const std::string& error, int64_t now_ms);
void MarkFailed(db::Connection& conn, const std::string& id, const std::string& lease_token, int attempts,
                const std::string& error, int64_t now_ms);

// For tests and operators: a job's status and bookkeeping.
struct JobState {
    std::string status;
    int attempts = 0;
    int64_t due_at_ms = 0;
    std::string last_error;
};
std::optional<JobState> FindJobState(db::Connection& conn, const std::string& kind, const std::string& dedupe_key);

}  // namespace safeloop::jobs::store
