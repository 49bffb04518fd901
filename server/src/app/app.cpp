#include "app/app.hpp"

#include "api/json_body.hpp"
#include "app/modules.hpp"
#include "app/tls_routes.hpp"
#include "app/web_assets.hpp"
#include "db/migrate.hpp"
#include "http/server.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/scheduler.hpp"
#include "modules/audit/audit.hpp"
#include "modules/auth/auth_routes.hpp"
#include "modules/auth/auth_service.hpp"
#include "modules/auth/roles.hpp"
#include "modules/files/file_service.hpp"
#include "modules/notify/notify_service.hpp"
#include "modules/sync/sync_registry.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json/object.hpp>

namespace safeloop::app {

namespace {

constexpr size_t kSqlitePoolSize = 4;
constexpr size_t kPostgresPoolSize = 8;
constexpr int64_t kMaxClockAdvanceSeconds = 366LL * 24 * 3600;

std::filesystem::path DefaultWebDir() {
    // `make run` and the tests start from the repository root; an installed server passes --web.
    for (const char* candidate : {"web/dist", SAFELOOP_SOURCE_DIR "/web/dist"}) {
        std::error_code ec;
        if (std::filesystem::is_directory(candidate, ec)) return candidate;
    }
    return "web/dist";
}

}  // namespace

size_t DefaultPoolSize(bool postgres) { return postgres ? kPostgresPoolSize : kSqlitePoolSize; }

App::App(Config config) : config_(std::move(config)) {
    if (config_.manual_clock) {
        auto manual = std::make_unique<ManualClock>();
        manual_clock_ = manual.get();
        clock_ = std::move(manual);
    } else {
        clock_ = std::make_unique<SystemClock>();
    }
    if (!config_.UsesPostgres()) std::filesystem::create_directories(config_.data_dir);
    size_t pool_size = config_.db_pool_size ? config_.db_pool_size : DefaultPoolSize(config_.UsesPostgres());
    pool_ = db::Pool::Open(config_.DatabaseUrl(), pool_size);
    pool_->SetAcquireTimeout(std::chrono::seconds(config_.db_wait_s));
    {
        auto conn = pool_->Acquire();
        auto report = db::Migrate(*conn, db::EmbeddedMigrations());
        if (!report.applied.empty()) {
            spdlog::info("database migrated to version {} ({} applied)", report.current_version, report.applied.size());
        }
    }
    auth_ = std::make_unique<auth::AuthService>(auth::AuthOptions{});
    audit_sink_ = std::make_unique<audit::RequestAuditSink>();
    files::FileOptions file_options;
    if (auto folder = config_.FileFolder()) file_options.dir = *folder;
    file_options.max_upload_bytes = config_.max_upload_mb << 20;
    files_ = std::make_unique<files::FileService>(*pool_, *clock_, file_options);
    job_queue_ = std::make_unique<jobs::JobQueue>();
    notify::NotifyOptions notify_options;
    notify_ = std::make_unique<notify::NotifyService>(notify_options, notify::MakeCurlSender(notify_options.http));
    scheduler_ = std::make_unique<jobs::Scheduler>(*pool_, *clock_);
    // Order matters within a pass: jobs enqueue messages, the outbox sends them, the live poller pushes
    // in-app ones, so one /test/clock call carries an escalation all the way to the gateway.
    scheduler_->Add("jobs", [this](db::Pool& pool, const Clock& clock) { return job_queue_->RunDue(pool, clock); });
    scheduler_->Add("outbox", [this](db::Pool& pool, const Clock& clock) { return notify_->RunOutbox(pool, clock); });
    scheduler_->Add("notifications.live", [this](db::Pool& pool, const Clock&) { return notify_->PollLive(pool); });
    sync_registry_ = std::make_unique<sync::Registry>();
    modules_ = std::make_unique<modules::AppRegistry>(
        router_, *sync_registry_, modules::AppRegistry::Platform{*pool_, *clock_, *job_queue_, *files_, *notify_});
    RegisterRoutes();
    dispatcher_ = std::make_unique<api::Dispatcher>(router_, *pool_, *clock_, *auth_, *audit_sink_, metrics_,
                                                    MakeWebAssets(config_.web_dir.value_or(DefaultWebDir())),
                                                    modules_->keeps_principals());
}

App::~App() { Stop(); }

void App::RegisterRoutes() {
    router_.Add("GET", "/healthz", api::kPublic, [](api::RequestContext& ctx) {
        boost::json::object out;
        bool ok = false;
        try {
            ok = ctx.Db().Ping();
        } catch (const std::exception& e) {
            spdlog::warn("health check: database unreachable: {}", e.what());
        }
        out["status"] = ok ? "ok" : "database_unreachable";
        out["time"] = FormatRfc3339(ctx.Now());
        return http::Response::Json(ok ? 200 : 503, out);
    });
    router_.Add("GET", "/metrics", api::kPublic, [this](api::RequestContext&) {
        auto stats = pool_->Stats();
        std::string extra = fmt::format(
            "# TYPE safeloop_db_pool_size gauge\nsafeloop_db_pool_size {}\n"
            "# TYPE safeloop_db_pool_in_use gauge\nsafeloop_db_pool_in_use {}\n"
            "# TYPE safeloop_db_pool_acquired_total counter\nsafeloop_db_pool_acquired_total {}\n"
            "# TYPE safeloop_db_pool_waited_total counter\nsafeloop_db_pool_waited_total {}\n"
            "# TYPE safeloop_db_pool_wait_seconds_total counter\nsafeloop_db_pool_wait_seconds_total {}\n",
            stats.size, stats.in_use, stats.acquired_total, stats.waited_total, stats.wait_seconds_total);
        return http::Response::Bytes(200, "text/plain; version=0.0.4; charset=utf-8", metrics_.Render(extra));
    });
    auth::RegisterAuthRoutes(router_, *auth_);
    // Every feature module wires itself in: routes, jobs, offline sync, file uses (app/modules.cpp lists them).
    for (const auto* module : FeatureModules()) module->wire(*modules_);
    RegisterTlsRoutes(router_, config_);

    // Tests only: exists solely with --clock manual, so a production server never lets time be moved.
    if (manual_clock_ != nullptr) {
        router_.Add("POST", "/api/v1/test/clock", auth::perm::kTestClock, [this](api::RequestContext& ctx) {
            auto body = api::ParseJsonObject(ctx.req());
            if (!body.ok()) return http::Response::Error(body.error());
            api::FieldReader f(*body);
            int64_t advance = f.RequiredInt("advance_s", 0, kMaxClockAdvanceSeconds);
            if (!f.ok()) return http::Response::Error(f.error());
            manual_clock_->Advance(std::chrono::seconds(advance));
            size_t done = scheduler_->RunDueNow();
            boost::json::object out;
            out["now"] = FormatRfc3339(manual_clock_->Now());
            out["jobs_run"] = done;
            return http::Response::Json(200, out);
        });
    }
}

uint16_t App::Start() {
    http::ServerOptions options;
    options.address = config_.address;
    options.port = config_.port;
    options.io_threads = config_.io_threads;
    options.worker_threads = pool_->size();
    options.max_body_bytes = config_.max_json_kb << 10;
    options.max_upload_bytes = config_.max_upload_mb << 20;
    options.max_connections = config_.max_connections;
    options.reserved_fds = 64 + 4 * pool_->size();  // database handles (SQLite: file, WAL, shm), files, logs
    // Uploads (chunks included) and sync batches (which check their own, smaller limit) get the upload limit: the
    // modules say which paths take uploads.
    options.is_upload_path = [this](std::string_view path) { return modules_->TakesUploads(path); };
    ConfigureTls(config_, options);
    server_ = std::make_unique<http::Server>(options, [this](http::Request& req) { return dispatcher_->Handle(req); });
    uint16_t port = server_->Start();
    // Runs with a manual clock too: work made due by /test/clock is also picked up in the background
    // (retries after a failed send, for instance).
    scheduler_->Start();
    return port;
}

void App::RunUntilSignalled() {
    if (server_) server_->RunUntilSignalled();
    Stop();
}

void App::Stop() {
    if (notify_) notify_->Shutdown();  // ends live streams so the server can drain
    if (server_) server_->Stop();
    if (scheduler_) scheduler_->Stop();
}

}  // namespace safeloop::app
