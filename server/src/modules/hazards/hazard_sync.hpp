#pragma once

// The hazard module's part in the offline sync (docs/sync.md):
// * mutation types hazard.create, .accept, .rectify, .verify, .extension: each checks what an offline action must
//   (files uploaded, the conflict rules of hazard_sync_rules.hpp), then calls HazardService with the value the
//   route's own reader parses from the payload and the phone's recorded time, under the route's permission;
// * the change feed's hazards ({"type":"hazard","id","data"} as GET /hazards/{id} answers, "hazard_removed") and
//   settings ({"type":"hazard_settings","data"} as GET /hazards/settings answers).

#include "modules/sync/sync_registry.hpp"

namespace safeloop::files {
class FileService;
}

namespace safeloop::hazards {

class HazardService;

void RegisterHazardSync(sync::Registry& registry, HazardService& service, const files::FileService& files);

}  // namespace safeloop::hazards
