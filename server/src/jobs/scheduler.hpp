#pragma once

// Background work inside `safeloop serve`. Each registered task is a function that looks in the
// database for work that is due on the injected clock and does it (claiming rows with
// FOR UPDATE SKIP LOCKED on PostgreSQL so several servers never do the same work twice). The scheduler
// calls every task once a second of real time, and at once from RunDueNow() (POST /test/clock).
// Because due times live in the database, a restart loses nothing.

#include "core/clock.hpp"
#include "db/db.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace safeloop::jobs {

// Returns how much work it did (0 when nothing was due).
using Task = std::function<size_t(db::Pool& pool, const Clock& clock)>;

class Scheduler {
public:
    Scheduler(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void Add(std::string name, Task task);
    void Start(std::chrono::milliseconds period = std::chrono::seconds(1));
    void Stop();
    // Runs every task until none has anything left to do (bounded); returns the work done.
    size_t RunDueNow();

private:
    size_t RunOnce();

    db::Pool& pool_;
    const Clock& clock_;
    std::vector<std::pair<std::string, Task>> tasks_;
    std::mutex run_mutex_;  // one pass at a time in this process
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace safeloop::jobs
