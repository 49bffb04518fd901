#pragma once

// Which handler applies which mutation type. Features register their own types when the app is composed
// (hazards in sync_hazards.cpp; inspections and permits register theirs the same way), so the sync
// module never needs to know them. A handler runs on the sync request's context, whose request id is then
// "sync:<mutation id>" (so the audit entry the feature writes in its transaction names the mutation) and
// whose request it may rewrite (CallRoute does); the sync service restores it afterwards.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/context.hpp"
#include "api/router.hpp"
#include "core/error.hpp"
#include "modules/sync/sync_rules.hpp"

namespace safeloop::sync {

struct Outcome {
    enum class Kind { kApplied, kDuplicate, kRejected };
    Kind kind = Kind::kApplied;
    boost::json::value result;  // what the equivalent API call answered (applied, duplicate)
    AppError error;             // rejected

    static Outcome Applied(boost::json::value result) { return {Kind::kApplied, std::move(result), {}}; }
    static Outcome Duplicate(boost::json::value result) { return {Kind::kDuplicate, std::move(result), {}}; }
    static Outcome Rejected(AppError error) { return {Kind::kRejected, nullptr, std::move(error)}; }
};

using MutationHandler = std::function<Outcome(api::RequestContext& ctx, const Mutation& mutation)>;

class Registry {
public:
    // Registering a type twice is a programming error (throws std::logic_error).
    void Register(std::string type, MutationHandler handler);
    const MutationHandler* Find(std::string_view type) const;

private:
    std::map<std::string, MutationHandler, std::less<>> handlers_;
};

// Runs one API route in-process on `ctx` (whose request is rewritten to method, path and JSON body), with
// the route's permission checked against ctx's principal: an offline mutation is validated and applied
// exactly as the same request made online would be.
http::Response CallRoute(api::RequestContext& ctx, const api::Router& router, std::string_view method,
                         const std::string& path, const boost::json::object& body = {});

// forbidden when ctx's principal lacks the permission of that route (checked before reading anything).
std::optional<AppError> CheckPermission(const api::RequestContext& ctx, const api::Router& router,
                                        std::string_view method, std::string_view path);

// The outcome of a route's answer: 201 applied, 200 `duplicate_status`, an error rejected with it.
Outcome OutcomeOf(const http::Response& response, Outcome::Kind on_200 = Outcome::Kind::kApplied);

// True when an earlier attempt at this mutation was applied (its audit entry on the entity carries the
// request id "sync:<mutation id>"): the answer was lost, not the change.
bool AppliedEarlier(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id,
                    const std::string& mutation_id);

// True when the tenant's audit log knows the entity (it exists, whether or not the user may see it).
bool HasHistory(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id);

std::string RequestIdFor(const std::string& mutation_id);

}  // namespace safeloop::sync
