#pragma once

// Pure login-throttling rules. Failed logins for one login name are counted in a sliding window;
// after a few the caller must wait longer and longer between tries, and past the limit every try is
// refused until the window has passed. Other login names are never affected.

#include "core/clock.hpp"

#include <chrono>
#include <vector>

namespace safeloop::auth {

struct ThrottlePolicy {
    std::chrono::minutes window{15};
    int max_failures = 10;  // this many failures within the window: refuse until the oldest ages out
    int slow_after = 5;     // from this many failures on, each try must wait 2^(n - slow_after) s
    std::chrono::seconds max_delay{60};
};

struct ThrottleDecision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};
};

// failures: times of failed attempts for one login (any order; only those inside the window count).
ThrottleDecision DecideLogin(const std::vector<TimePoint>& failures, TimePoint now, const ThrottlePolicy& policy);

}  // namespace safeloop::auth
