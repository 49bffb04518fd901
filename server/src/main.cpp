// safeloop — the one server binary: serve, migrate, demo, user, audit.

#include "app/commands.hpp"
#include "app/config.hpp"
#include "core/crypto.hpp"
#include "modules/files/file_media.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    using safeloop::app::Config;
    auto parsed = safeloop::app::ParseArgs(argc, argv);
    if (!parsed.ok()) {
        std::fprintf(stderr, "safeloop: %s\n\n%s", parsed.error().message.c_str(), safeloop::app::UsageText().c_str());
        return 2;
    }
    const Config& config = parsed.value();
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    try {
        safeloop::InitCrypto();
        safeloop::files::InitMedia(argv[0]);
        if (config.command == "serve") return safeloop::app::RunServe(config);
        if (config.command == "migrate") return safeloop::app::RunMigrate(config);
        if (config.command == "demo") return safeloop::app::RunDemo(config);
        if (config.command == "user") return safeloop::app::RunUser(config);
        if (config.command == "audit") return safeloop::app::RunAudit(config);
        if (config.command == "version") {
            std::printf("safeloop 0.1.0\n");
            return 0;
        }
        std::printf("%s", safeloop::app::UsageText().c_str());
        return 0;
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 1;
    }
}
