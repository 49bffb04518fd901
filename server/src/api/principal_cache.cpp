#include "api/principal_cache.hpp"

#include <utility>

namespace safeloop::api {

std::optional<Principal> PrincipalCache::Find(std::string_view token, TimePoint now, Steady steady_now) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(token);
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = it->second;
    if (e.epoch != epoch() || steady_now - e.stored_at >= ttl_ || e.expires_at <= now) return std::nullopt;
    return e.principal;
}

void PrincipalCache::Put(std::string_view token, Principal principal, TimePoint expires_at, uint64_t epoch,
                         Steady steady_now) {
    std::lock_guard lock(mutex_);
    // Checked under the lock Forget() takes: a Forget() after this point drops the entry too.
    if (epoch != this->epoch()) return;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_.insert_or_assign(std::string(token), Entry{std::move(principal), expires_at, epoch, steady_now});
}

void PrincipalCache::Forget() {
    std::lock_guard lock(mutex_);
    epoch_.fetch_add(1, std::memory_order_acq_rel);
    entries_.clear();
}

size_t PrincipalCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace safeloop::api
