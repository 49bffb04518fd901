#pragma once

#include "api/router.hpp"

namespace safeloop::audit {

// GET /api/v1/audit?entity_type=&entity_id=&actor_id=&limit=&cursor= (permission audit.read): the caller's
// tenant's audit entries, newest first, as {"items":[...],"next_cursor"}.
void RegisterAuditRoutes(api::Router& router);

}  // namespace safeloop::audit
