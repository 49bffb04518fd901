#pragma once

// What the features give the offline sync, registered by each feature from its own folder while the app is
// composed (e.g. modules/hazards/hazard_sync.cpp), so that the sync module never knows a feature:
//
// * mutation types: type name → handler. A handler applies one mutation by calling its feature's service with a
//   typed value (parsed from the payload by the same function the feature's route uses) and the phone's recorded
//   time, after checking the same permission as that route (RequirePermission). It runs on the sync request's
//   context, whose request id is then "sync:<mutation id>", so the audit entry the feature writes in its
//   transaction names the mutation.
// * change feeds: what GET /sync/changes sends of the feature's entities (ChangeFeed).
//
// docs/sync.md, "Adding a feature's mutation types and change-feed entities", has a worked example.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"
#include "modules/audit/audit.hpp"
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

// `mutation.recorded_at` is the phone's time of recording (the feature keeps it as data; its clocks run on server
// time). An AppErrorException thrown by a handler rejects the mutation with that error.
using MutationHandler = std::function<Outcome(api::RequestContext& ctx, const Mutation& mutation)>;

// One kind of data a phone holds offline (a feature's records, its settings, the people it needs), given by the
// feature that owns it. Each change it produces is a JSON object with a "type" (and usually "id"/"data") that
// replaces what the phone holds under the same key.
class ChangeFeed {
public:
    virtual ~ChangeFeed() = default;

    // The audit entity_types whose entries mean this feed's data changed (e.g. {"hazard", "hazard_settings"}).
    virtual std::vector<std::string> FollowedTypes() const = 0;

    struct SnapshotPage {
        std::vector<boost::json::object> changes;
        std::optional<std::string> next;  // this feed's cursor for the next page; nullopt on its last page
    };
    // What the user's phone needs before going offline, a page of about `limit` records at a time: `cursor` is ""
    // on the first call, then the `next` this gave. An error fails the whole GET /sync/changes.
    virtual Result<SnapshotPage> Snapshot(api::RequestContext& ctx, const std::string& cursor, int limit) = 0;

    // The changes to send for entries of the change sequence (only of FollowedTypes, in chain order; an entity may
    // appear several times): each changed entity's current state as the phone stores it, or its removal, for
    // those the user may see (or had).
    virtual std::vector<boost::json::object> Details(api::RequestContext& ctx,
                                                     const std::vector<audit::Change>& changed) = 0;
};

class Registry {
public:
    // Registering a type twice is a programming error (throws std::logic_error).
    void Register(std::string type, MutationHandler handler);
    const MutationHandler* Find(std::string_view type) const;

    // Feeds are sent in the order they were added (the snapshot pages through them one after another).
    void AddFeed(std::unique_ptr<ChangeFeed> feed);
    const std::vector<std::unique_ptr<ChangeFeed>>& feeds() const { return feeds_; }
    // Every audit entity_type some feed follows.
    std::vector<std::string> FollowedTypes() const;

private:
    std::map<std::string, MutationHandler, std::less<>> handlers_;
    std::vector<std::unique_ptr<ChangeFeed>> feeds_;
};

// forbidden, worded as the dispatcher words it, when ctx's principal lacks `permission` (pass the permission
// constant of the route the mutation stands for: an offline action needs exactly what the online one needs).
std::optional<AppError> RequirePermission(const api::RequestContext& ctx, std::string_view permission);

// True when an earlier attempt at this mutation was applied (its audit entry on the entity carries the
// request id "sync:<mutation id>"): the answer was lost, not the change.
bool AppliedEarlier(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id,
                    const std::string& mutation_id);

// True when the tenant's audit log knows the entity (it exists, whether or not the user may see it).
bool HasHistory(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id);

std::string RequestIdFor(const std::string& mutation_id);

}  // namespace safeloop::sync
