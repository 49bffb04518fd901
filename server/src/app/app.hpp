#pragma once

// The composition root: builds the clock, database pool, services, routes, scheduler and HTTP server
// once, from the configuration. `safeloop serve` and the in-process API tests both use it.

#include "api/dispatch.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "app/config.hpp"
#include "core/clock.hpp"
#include "db/db.hpp"

#include <memory>

namespace safeloop::http {
class Server;
}
namespace safeloop::jobs {
class Scheduler;
class JobQueue;
}  // namespace safeloop::jobs
namespace safeloop::notify {
class NotifyService;
}
namespace safeloop::auth {
class AuthService;
}
namespace safeloop::files {
class FileService;
}  // namespace safeloop::files
namespace safeloop::sync {
class Registry;
}
namespace safeloop::modules {
class AppRegistry;
}

namespace safeloop::app {

class App {
public:
    explicit App(Config config);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Starts the scheduler and the HTTP server; returns the bound port.
    uint16_t Start();
    void RunUntilSignalled();
    void Stop();

    const Clock& clock() const { return *clock_; }
    db::Pool& pool() { return *pool_; }
    const api::Router& router() const { return router_; }
    jobs::Scheduler& scheduler() { return *scheduler_; }
    // Durable jobs (scheduler task "jobs"). Modules register their job kinds here from this constructor,
    // before Start(): e.g. hazard::RegisterJobs(*job_queue_, ...). See jobs/job_queue.hpp.
    jobs::JobQueue& job_queue() { return *job_queue_; }
    // Outbound messages: settings, delivery log, in-app notifications (tasks "outbox" and
    // "notifications.live"). Other modules only need notify::Enqueue (modules/notify/notify.hpp).
    notify::NotifyService& notify() { return *notify_; }
    // Offline sync (modules/sync): the mutation types and change feeds the feature modules registered.
    sync::Registry& sync_registry() { return *sync_registry_; }

private:
    void RegisterRoutes();

    Config config_;
    std::unique_ptr<Clock> clock_;
    ManualClock* manual_clock_ = nullptr;  // set when --clock manual
    std::unique_ptr<db::Pool> pool_;
    api::Router router_;
    api::Metrics metrics_;
    std::unique_ptr<api::AuditSink> audit_sink_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<files::FileService> files_;
    std::unique_ptr<jobs::JobQueue> job_queue_;
    std::unique_ptr<notify::NotifyService> notify_;
    std::unique_ptr<sync::Registry> sync_registry_;
    // What the feature modules registered, and their services (kept alive as long as the app).
    std::unique_ptr<modules::AppRegistry> modules_;
    std::unique_ptr<jobs::Scheduler> scheduler_;
    std::unique_ptr<api::Dispatcher> dispatcher_;
    std::unique_ptr<http::Server> server_;
};

// Default database pool size: SQLite serialises writers, so a few connections suffice.
size_t DefaultPoolSize(bool postgres);

}  // namespace safeloop::app
