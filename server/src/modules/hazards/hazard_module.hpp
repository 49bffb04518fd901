#pragma once

// The hazard module's one registration (modules/module.hpp): routes, jobs, offline sync, file uses, demo history.

#include "modules/module.hpp"

namespace safeloop::hazards {

const modules::Module& HazardsModule();

}  // namespace safeloop::hazards
