#pragma once

// The organisation module's one registration (modules/module.hpp): its routes and the people of the offline change
// feed.

#include "modules/module.hpp"

namespace safeloop::org {

const modules::Module& OrgModule();

}  // namespace safeloop::org
