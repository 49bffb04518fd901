#pragma once

// What the organisation gives the offline sync's change feed (modules/sync/sync_registry.hpp): the people a
// phone needs offline, {"type":"people","data":[{"id","name","mobile","team_id","department_id","position_id"}]},
// sent first and again whenever a user changes (audit entity type "user"); it replaces the whole list.

#include "modules/sync/sync_registry.hpp"

namespace safeloop::org {

void RegisterOrgSync(sync::Registry& registry);

}  // namespace safeloop::org
