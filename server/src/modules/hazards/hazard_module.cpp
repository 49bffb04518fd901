#include "modules/hazards/hazard_module.hpp"

#include "modules/hazards/hazard_permissions.hpp"

#include "modules/files/file_service.hpp"
#include "modules/hazards/hazard_demo.hpp"
#include "modules/hazards/hazard_files.hpp"
#include "modules/hazards/hazard_routes.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_sync.hpp"

namespace safeloop::hazards {

namespace {

void Wire(modules::AppRegistry& app) {
    auto& service = app.Keep(std::make_unique<HazardService>(app.files()));
    service.RegisterJobs(app.jobs());
    RegisterHazardRoutes(app.router(), service);
    RegisterHazardSync(app.sync(), service, app.files());
    RegisterHazardFileUses(app.files().uses());
    // The hazard loop and work orders never change who a user is.
    app.KeepPrincipals("/api/v1/hazards");
    app.KeepPrincipals("/api/v1/work-orders");
}

}  // namespace

const modules::Module& HazardsModule() {
    static const modules::Module kModule{"hazards", Wire, SeedHazards, PermissionGrants};
    return kModule;
}

}  // namespace safeloop::hazards
