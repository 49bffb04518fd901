#include "modules/notify/notify_module.hpp"

#include "modules/notify/notify_permissions.hpp"

#include "modules/notify/notify_routes.hpp"

namespace safeloop::notify {

namespace {

void Wire(modules::AppRegistry& app) {
    RegisterNotifyRoutes(app.router(), app.notify());
    app.KeepPrincipals("/api/v1/notifications");
}

}  // namespace

const modules::Module& NotifyModule() {
    static const modules::Module kModule{"notify", Wire, nullptr, PermissionGrants};
    return kModule;
}

}  // namespace safeloop::notify
