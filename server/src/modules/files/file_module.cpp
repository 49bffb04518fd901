#include "modules/files/file_module.hpp"

#include "modules/files/file_permissions.hpp"

#include "modules/files/file_routes.hpp"
#include "modules/files/file_service.hpp"
#include "modules/files/file_uploads_routes.hpp"
#include "modules/files/file_uploads_service.hpp"

namespace safeloop::files {

namespace {

void Wire(modules::AppRegistry& app) {
    RegisterFileRoutes(app.router(), app.files());
    RegisterUploadRoutes(app.router(), app.Keep(std::make_unique<UploadService>(app.files())));
    // A phone's photos and chunks never change who a user is; they are read with the upload limit.
    app.KeepPrincipals("/api/v1/files");
    app.TakeUploads("/api/v1/files");
}

}  // namespace

const modules::Module& FilesModule() {
    static const modules::Module kModule{"files", Wire, nullptr, PermissionGrants};
    return kModule;
}

}  // namespace safeloop::files
