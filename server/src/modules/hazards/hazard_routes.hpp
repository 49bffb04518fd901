#pragma once

// The hazard module's HTTP endpoints (docs/hazards.md): parse → HazardService → serialize.

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/router.hpp"
#include "modules/hazards/hazard_service.hpp"

namespace safeloop::hazards {

void RegisterHazardRoutes(api::Router& router, HazardService& service);

// ---- request bodies → typed values ----
// The routes and the offline sync's hazard mutation types (hazard_sync.cpp) read bodies with these same
// functions, so an offline report or action is validated exactly as the online request. validation_failed lists
// every field to fix.
Result<CreateInput> ReadCreate(const boost::json::object& body);
Result<RectifyInput> ReadRectify(const boost::json::object& body);
struct VerifyInput {
    bool pass = false;
    std::string comment;
};
Result<VerifyInput> ReadVerify(const boost::json::object& body);
struct ExtensionRequestInput {
    std::string reason;
    int64_t new_due_at = 0;  // UTC ms
};
Result<ExtensionRequestInput> ReadExtensionRequest(const boost::json::object& body);

// What GET /api/v1/hazards/{id} answers for a detail (`now`: UTC ms, for the overdue flags).
boost::json::object DetailJson(const Detail& d, int64_t now);

// What GET /api/v1/hazards/{id} answers, for each of `ids` it would answer 200 for (the caller's permission and
// scope), keyed by id: the change feed's batched read, in a fixed number of statements.
std::map<std::string, boost::json::object> DetailsJson(api::RequestContext& ctx, HazardService& service,
                                                       const std::vector<std::string>& ids);

}  // namespace safeloop::hazards
