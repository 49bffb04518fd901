#pragma once

// One registration per feature module. A module declares everything it plugs into in one function of its own
// folder (e.g. modules/hazards/hazard_module.cpp): its routes, its jobs, its offline-sync mutation types and
// change feeds, which of its records use files, which of its routes keep principals or take uploads, and its demo
// history. The composition root lists the modules once (app/modules.cpp) and wires each in turn. See
// docs/architecture.md, "Adding a module".

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.hpp"
#include "core/clock.hpp"
#include "db/db.hpp"
#include "modules/auth/roles.hpp"

namespace safeloop::demo {
struct DemoContext;
}
namespace safeloop::sync {
class Registry;
}
namespace safeloop::files {
class FileService;
}
namespace safeloop::jobs {
class JobQueue;
}
namespace safeloop::notify {
class NotifyService;
}

namespace safeloop::modules {

// What the composition root lends a module while it wires itself in: the registries it fills and the platform's
// shared services.
class AppRegistry {
public:
    struct Platform {
        db::Pool& pool;
        const Clock& clock;
        jobs::JobQueue& jobs;           // durable jobs: register job kinds
        files::FileService& files;      // the file store; files().uses(): which records use a file
        notify::NotifyService& notify;  // outbound messages
    };
    AppRegistry(api::Router& router, sync::Registry& sync, Platform platform)
        : router_(router), sync_(sync), platform_(platform) {}

    api::Router& router() { return router_; }
    sync::Registry& sync() { return sync_; }
    db::Pool& pool() { return platform_.pool; }
    const Clock& clock() { return platform_.clock; }
    jobs::JobQueue& jobs() { return platform_.jobs; }
    files::FileService& files() { return platform_.files; }
    notify::NotifyService& notify() { return platform_.notify; }

    // Routes under this path prefix never change who a user is (roles, placement, whether they may sign in): their
    // writes leave the principal cache alone (api/principal_cache.hpp). Every other write empties it.
    void KeepPrincipals(std::string path_prefix) { keeps_principals_.push_back(std::move(path_prefix)); }
    // Requests under this path prefix are read with the upload body limit (photos, chunks, sync batches), not the
    // JSON one.
    void TakeUploads(std::string path_prefix) { upload_prefixes_.push_back(std::move(path_prefix)); }
    // Keeps a module's service alive as long as the app (routes and handlers hold references to it).
    template <typename T>
    T& Keep(std::unique_ptr<T> object) {
        T& ref = *object;
        kept_.push_back(std::shared_ptr<void>(std::move(object)));
        return ref;
    }

    const std::vector<std::string>& keeps_principals() const { return keeps_principals_; }
    bool TakesUploads(std::string_view path) const {
        return std::ranges::any_of(upload_prefixes_,
                                   [path](const std::string& prefix) { return path.starts_with(prefix); });
    }

private:
    api::Router& router_;
    sync::Registry& sync_;
    Platform platform_;
    std::vector<std::string> keeps_principals_;
    std::vector<std::string> upload_prefixes_;
    std::vector<std::shared_ptr<void>> kept_;
};

// A feature module as the composition root sees it.
struct Module {
    std::string_view name;
    void (*wire)(AppRegistry& app) = nullptr;
    // Its twelve months of demo history (modules/demo calls it after the organisation); null when it has none.
    void (*seed_demo)(demo::DemoContext& ctx) = nullptr;
    // Its permissions and the built-in roles that hold them (its <name>_permissions.hpp); null when it has none.
    const std::vector<auth::Grant>& (*grants)() = nullptr;
};

}  // namespace safeloop::modules
