#pragma once

// The offline sync's use cases: applying a batch of mutations (POST /sync) and the change feed
// (GET /sync/changes). Each mutation runs under the request id "sync:<id>" and in its own transaction(s),
// in the order sent, on the request's one connection; the outcome is stored under the mutation id. The
// mutation types and the feed's entities are the features' own (sync_registry.hpp). See docs/sync.md.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "api/context.hpp"
#include "core/error.hpp"
#include "modules/sync/sync_registry.hpp"
#include "modules/sync/sync_rules.hpp"

namespace safeloop::sync {

// Change feed page size: default and most (each change may read a record's whole detail).
inline constexpr int kDefaultChangeLimit = 100;
inline constexpr int kMaxChangeLimit = 500;

class SyncService {
public:
    // `registry`: the mutation types and change feeds the features register while the app is composed.
    explicit SyncService(const Registry& registry) : registry_(registry) {}

    // {"results":[{"id","status","result"?,"error"?}]}, one per mutation in the order sent.
    boost::json::object Apply(api::RequestContext& ctx, const Batch& batch);

    // {"changes":[…],"next_cursor","has_more"}; no cursor: the full current set first.
    Result<boost::json::object> Changes(api::RequestContext& ctx, const std::optional<ChangeCursor>& cursor, int limit);

private:
    Outcome ApplyOne(api::RequestContext& ctx, const std::string& device_id, const Mutation& m, int64_t received_at);

    const Registry& registry_;
};

}  // namespace safeloop::sync
