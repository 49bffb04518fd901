#pragma once

// The notification module's one registration (modules/module.hpp): its routes (the service is the platform's).

#include "modules/module.hpp"

namespace safeloop::notify {

const modules::Module& NotifyModule();

}  // namespace safeloop::notify
