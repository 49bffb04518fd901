#include "app/modules.hpp"

#include <array>

#include "modules/audit/audit_module.hpp"
#include "modules/demo/demo.hpp"
#include "modules/files/file_module.hpp"
#include "modules/hazards/hazard_module.hpp"
#include "modules/notify/notify_module.hpp"
#include "modules/org/org_module.hpp"
#include "modules/sync/sync_module.hpp"

namespace safeloop::app {

std::span<const modules::Module* const> FeatureModules() {
    // The offline change feed sends its feeds in this order (the people before the hazards).
    // One line per module.
    // clang-format off
    static const std::array<const modules::Module*, 6> kModules = {
        &org::OrgModule(),
        &files::FilesModule(),
        &audit::AuditModule(),
        &hazards::HazardsModule(),
        &notify::NotifyModule(),
        &sync::SyncModule(),
    };
    // clang-format on
    return kModules;
}

}  // namespace safeloop::app

namespace safeloop::auth {

std::vector<const std::vector<Grant>*> ModuleGrants() {
    std::vector<const std::vector<Grant>*> grants;
    for (const auto* module : app::FeatureModules()) {
        if (module->grants != nullptr) grants.push_back(&module->grants());
    }
    return grants;
}

}  // namespace safeloop::auth

namespace safeloop::app {

void SeedDemo(db::Connection& conn, const Clock& clock) {
    std::vector<demo::FeatureSeeder> seeders;
    for (const auto* module : FeatureModules()) {
        if (module->seed_demo != nullptr) seeders.emplace_back(module->seed_demo);
    }
    demo::SeedDemo(conn, clock, seeders);
}

}  // namespace safeloop::app
