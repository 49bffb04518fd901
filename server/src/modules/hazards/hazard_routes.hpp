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

// What GET /api/v1/hazards/{id} answers, for each of `ids` it would answer 200 for (the caller's permission and
// scope), keyed by id: the change feed's batched read, in a fixed number of statements.
std::map<std::string, boost::json::object> DetailsJson(api::RequestContext& ctx, HazardService& service,
                                                       const std::vector<std::string>& ids);

}  // namespace safeloop::hazards
