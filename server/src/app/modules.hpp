#pragma once

// The feature modules of this server, in the order they are wired (their routes, jobs, sync types and change
// feeds, file uses), and the demo tenant made of every module's demo history. Adding a module is adding its line
// in modules.cpp.

#include <span>

#include "core/clock.hpp"
#include "db/db.hpp"
#include "modules/module.hpp"

namespace safeloop::app {

std::span<const modules::Module* const> FeatureModules();

// demo::SeedDemo with every module's demo history (`safeloop demo`, the API tests).
void SeedDemo(db::Connection& conn, const Clock& clock);

}  // namespace safeloop::app
