#include "modules/org/org_module.hpp"

#include "modules/org/org_permissions.hpp"

#include "modules/org/org_routes.hpp"
#include "modules/org/org_sync.hpp"

namespace safeloop::org {

namespace {

void Wire(modules::AppRegistry& app) {
    RegisterOrgRoutes(app.router());
    RegisterOrgSync(app.sync());
}

}  // namespace

const modules::Module& OrgModule() {
    static const modules::Module kModule{"org", Wire, nullptr, PermissionGrants};
    return kModule;
}

}  // namespace safeloop::org
