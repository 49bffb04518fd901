#pragma once

// The hazard module's HTTP endpoints (docs/hazards.md): parse → HazardService → serialize.

#include "api/router.hpp"
#include "modules/hazards/hazard_service.hpp"

namespace safeloop::hazards {

void RegisterHazardRoutes(api::Router& router, HazardService& service);

}  // namespace safeloop::hazards
