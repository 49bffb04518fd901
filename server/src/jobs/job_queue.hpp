#pragma once

// Durable, clock-driven jobs: a row per job with its due time. A job is enqueued inside the
// transaction of the change that needs it (so it exists exactly when the change does), and its
// handler runs inside the transaction that marks it done (so its effect happens exactly once).
// Claiming uses FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of servers can run the queue.

#include "core/clock.hpp"
#include "db/db.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace safeloop::jobs {

struct Job {
    std::string id;
    std::string tenant_id;
    std::string kind;       // e.g. "hazard.check_accepted"
    std::string ref_id;     // the object it is about (a hazard id)
    TimePoint due_at;
    boost::json::object payload;
    std::string dedupe_key;  // unique per (kind, dedupe_key): enqueueing twice keeps one job
    int attempts = 0;
};

// Enqueues in the caller's transaction. Returns false when a job with the same kind and dedupe key
// already exists (nothing is added).
bool Enqueue(db::Connection& conn, const Clock& clock, Job job);

// Cancels pending jobs of a kind for an object (e.g. the acceptance check once a hazard is accepted).
void Cancel(db::Connection& conn, const std::string& kind, const std::string& ref_id);

// A handler runs inside the transaction that completes its job; throwing rolls both back and the job
// is retried later with backoff (recorded as its last_error).
using Handler = std::function<void(db::Connection& conn, const Job& job, const Clock& clock)>;

class JobQueue {
public:
    void Register(std::string kind, Handler handler);
    // Claims and runs due jobs (up to `limit`); returns how many completed. A scheduler task.
    size_t RunDue(db::Pool& pool, const Clock& clock, size_t limit = 100);

private:
    std::map<std::string, Handler> handlers_;
};

}  // namespace safeloop::jobs
