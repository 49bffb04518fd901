#pragma once

// HTTP routes of the organisation module: tenant, sites, departments, teams, positions, users and the
// organisation import, all under /api/v1. Handlers only adapt HTTP; the use cases are in org_service.

#include "api/router.hpp"

namespace safeloop::org {

void RegisterOrgRoutes(api::Router& router);

}  // namespace safeloop::org
