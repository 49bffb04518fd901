#include "modules/sync/sync_module.hpp"

#include "modules/sync/sync_routes.hpp"
#include "modules/sync/sync_service.hpp"

namespace safeloop::sync {

namespace {

void Wire(modules::AppRegistry& app) {
    RegisterSyncRoutes(app.router(), app.Keep(std::make_unique<SyncService>(app.sync())));
    // A synced batch changes records, never who a user is; a batch is read with the upload limit (it checks its
    // own, smaller one).
    app.KeepPrincipals("/api/v1/sync");
    app.TakeUploads("/api/v1/sync");
}

}  // namespace

const modules::Module& SyncModule() {
    static const modules::Module kModule{"sync", Wire};
    return kModule;
}

}  // namespace safeloop::sync
