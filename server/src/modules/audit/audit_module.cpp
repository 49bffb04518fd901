#include "modules/audit/audit_module.hpp"

#include "modules/audit/audit_permissions.hpp"

#include "modules/audit/audit_routes.hpp"

namespace safeloop::audit {

namespace {

void Wire(modules::AppRegistry& app) { RegisterAuditRoutes(app.router()); }

}  // namespace

const modules::Module& AuditModule() {
    static const modules::Module kModule{"audit", Wire, nullptr, PermissionGrants};
    return kModule;
}

}  // namespace safeloop::audit
