#pragma once

// The offline sync's use cases: applying a batch of mutations (POST /sync) and the change feed
// (GET /sync/changes). Each mutation runs under the request id "sync:<id>" and in its own transaction(s),
// in the order sent, on the request's one connection; the outcome is stored under the mutation id. See
// docs/sync.md.

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/context.hpp"
#include "api/router.hpp"
#include "core/error.hpp"
#include "modules/sync/sync_registry.hpp"
#include "modules/sync/sync_rules.hpp"

namespace safeloop::sync {

// Change feed page size: default and most (each hazard change reads the hazard's detail).
inline constexpr int kDefaultChangeLimit = 100;
inline constexpr int kMaxChangeLimit = 500;

// The current details of several hazards, as GET /api/v1/hazards/{id} answers each, keyed by id; those the user may
// not see are left out. Given by the hazards module while the app is composed (one batch of reads for a whole page of
// the change feed instead of a request per hazard).
using HazardDetailsReader = std::function<std::map<std::string, boost::json::object>(
    api::RequestContext& ctx, const std::vector<std::string>& ids)>;

class SyncService {
public:
    SyncService(const api::Router& router, HazardDetailsReader hazard_details)
        : router_(router), hazard_details_(std::move(hazard_details)) {}

    // Features add their mutation types here while the app is composed.
    Registry& registry() { return registry_; }

    // {"results":[{"id","status","result"?,"error"?}]}, one per mutation in the order sent.
    boost::json::object Apply(api::RequestContext& ctx, const Batch& batch);

    // {"changes":[…],"next_cursor","has_more"}; no cursor: the full current set first.
    Result<boost::json::object> Changes(api::RequestContext& ctx, const std::optional<ChangeCursor>& cursor, int limit);

private:
    Outcome ApplyOne(api::RequestContext& ctx, const std::string& device_id, const Mutation& m, int64_t received_at);

    const api::Router& router_;
    HazardDetailsReader hazard_details_;
    Registry registry_;
};

}  // namespace safeloop::sync
