#pragma once

// The offline sync's one registration (modules/module.hpp): POST /sync and GET /sync/changes over the registry the
// features fill.

#include "modules/module.hpp"

namespace safeloop::sync {

const modules::Module& SyncModule();

}  // namespace safeloop::sync
