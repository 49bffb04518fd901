#pragma once

// Pure rules of the job queue: when a failed job is tried again and when it is given up. No I/O.

#include "core/clock.hpp"

namespace safeloop::jobs {

// A handler that keeps throwing is a bug or a lasting outage; after this many failed runs the job is
// marked failed (visible with its last_error) instead of being retried forever.
inline constexpr int kMaxJobAttempts = 20;
// How long a claimed job stays reserved for the process that claimed it (on the injected clock).
inline constexpr Millis kJobLease = std::chrono::minutes(1);
// Jobs claimed per RunDue call unless the caller says otherwise.
inline constexpr size_t kDefaultJobBatch = 100;

// The wait before the next run after `failures` failed runs (1-based): 30 s, 1 min, 2 min, ... capped
// at 1 h. Values below 1 count as 1.
Millis JobRetryDelay(int failures);

// True when a job that has now failed `failures` times is given up.
bool JobGivesUp(int failures);

}  // namespace safeloop::jobs
