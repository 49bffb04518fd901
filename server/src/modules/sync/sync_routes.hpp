#pragma once

#include "api/router.hpp"

namespace safeloop::sync {

class SyncService;

// POST /api/v1/sync and GET /api/v1/sync/changes (any signed-in user; each mutation is then checked
// against the permission of the request it stands for).
void RegisterSyncRoutes(api::Router& router, SyncService& service);

}  // namespace safeloop::sync
