#pragma once

#include "app/config.hpp"

namespace safeloop::app {

// Each returns the process exit code.
int RunServe(const Config& config);
int RunMigrate(const Config& config);
int RunDemo(const Config& config);
int RunUser(const Config& config);
int RunAudit(const Config& config);

}  // namespace safeloop::app
