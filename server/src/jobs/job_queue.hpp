#pragma once

// Durable, clock-driven jobs: a row per job with its due time. A job is enqueued inside the
// transaction of the change that needs it (so it exists exactly when the change does), and its
// handler runs inside the transaction that marks it done (so its effect happens exactly once).
// Claiming uses FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of servers can run the queue.
//
// Registering handlers: the composition root owns one JobQueue (app::App::job_queue()) and runs it as
// the scheduler task "jobs". A module registers its kinds from App's constructor, before App::Start():
//     hazard::RegisterJobs(app.job_queue(), ...);   // calls queue.Register("hazard.check_accepted", ...)
// A due job whose kind has no handler is marked failed with an error (it is not retried forever).
// A handler that throws is retried with backoff (jobs/job_queue_rules.hpp: 30 s doubling, capped at
// 1 h) and marked failed after kMaxJobAttempts failures. Rows live in the `jobs` table (V010).

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "db/db.hpp"

namespace safeloop::jobs {

struct Job {
    std::string id;
    std::string tenant_id;
    std::string kind;    // e.g. "hazard.check_accepted"
    std::string ref_id;  // the object it is about (a hazard id)
    TimePoint due_at;
    boost::json::object payload;
    std::string dedupe_key;  // unique per (kind, dedupe_key): enqueueing twice keeps one job. A key is
                             // used once for good (also after the job ran or was cancelled); empty
                             // means "no deduplication" (the job's id is used).
    int attempts = 0;
};

// Enqueues in the caller's transaction. Returns false when a job with the same kind and dedupe key
// already exists (nothing is added). An empty id gets a UUIDv7 from the clock.
bool Enqueue(db::Connection& conn, const Clock& clock, Job job);

// Cancels pending jobs of a kind for an object (e.g. the acceptance check once a hazard is accepted).
void Cancel(db::Connection& conn, const std::string& kind, const std::string& ref_id);

// A handler runs inside the transaction that completes its job; throwing rolls both back and the job
// is retried later with backoff (recorded as its last_error).
using Handler = std::function<void(db::Connection& conn, const Job& job, const Clock& clock)>;

class JobQueue {
public:
    // Registering a kind twice replaces its handler. Safe to call from any thread.
    void Register(std::string kind, Handler handler);
    // Claims and runs due jobs (up to `limit`); returns how many completed. A scheduler task.
    size_t RunDue(db::Pool& pool, const Clock& clock, size_t limit = 100);

private:
    std::optional<Handler> HandlerFor(const std::string& kind) const;

    mutable std::mutex mutex_;
    std::map<std::string, Handler> handlers_;
};

}  // namespace safeloop::jobs
