#pragma once

// Who a session token belongs to, remembered for a few seconds so that a phone's run of requests (a HEAD and a POST
// per photo, hundreds per shift) does not read its session and user rows every time.
//
// An entry is used only while (a) it is younger than the cache's time to live, (b) its session has not expired by the
// request's clock, and (c) nothing that may change who someone is happened in this process since it was read: the
// dispatcher calls Forget() after every state-changing request except those of the routes app.cpp declares never to
// change who someone is (files and uploads, sync, hazards, work orders, notifications), after their transaction
// committed and before their response leaves. So a logout, a
// disabled user or a changed role takes effect at once on the node that made the change; on another node, or through
// the command line, within the time to live. See docs/architecture.md.

#include "api/context.hpp"
#include "core/clock.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace safeloop::api {

class PrincipalCache {
public:
    using Steady = std::chrono::steady_clock::time_point;

    PrincipalCache(std::chrono::milliseconds ttl, size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

    // Read before the principal is looked up in the database, and given to Put with it: an entry read while a
    // Forget() happened is never used.
    uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }

    // The principal of `token`, if remembered and still usable at `now` (the request's clock, for the session's
    // expiry) and `steady_now` (for the time to live).
    std::optional<Principal> Find(std::string_view token, TimePoint now, Steady steady_now) const;
    // Remembers `principal` (whose session ends at `expires_at`) as read at `epoch`. Ignored when a Forget()
    // happened since. When the cache is full, every entry is dropped first.
    void Put(std::string_view token, Principal principal, TimePoint expires_at, uint64_t epoch, Steady steady_now);
    // Drops every entry.
    void Forget();

    size_t size() const;

private:
    struct Entry {
        Principal principal;
        TimePoint expires_at;
        uint64_t epoch = 0;
        Steady stored_at;
    };

    const std::chrono::milliseconds ttl_;
    const size_t max_entries_;
    std::atomic<uint64_t> epoch_{0};
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace safeloop::api
