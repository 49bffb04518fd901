#pragma once

// The hazard mutation types (hazard.create, .accept, .rectify, .verify, .extension): each replays the
// equivalent /api/v1/hazards request in-process after the offline checks (files present, conflict
// rules of docs/sync.md).

#include "api/router.hpp"
#include "modules/sync/sync_registry.hpp"

namespace safeloop::files {
class FileService;
}

namespace safeloop::sync {

void RegisterHazardMutations(Registry& registry, const api::Router& router, const files::FileService& files);

}  // namespace safeloop::sync
