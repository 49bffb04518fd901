#pragma once

// The audit module's one registration (modules/module.hpp): GET /audit (the dispatcher's sink is wired by the app).

#include "modules/module.hpp"

namespace safeloop::audit {

const modules::Module& AuditModule();

}  // namespace safeloop::audit
