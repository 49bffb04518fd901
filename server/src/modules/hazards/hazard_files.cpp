#include "modules/hazards/hazard_files.hpp"

#include "modules/hazards/hazard_files_store.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"

namespace safeloop::hazards {

namespace {

files::FileUse HazardUse(api::RequestContext& ctx, const std::string& file_id) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const auto ids = HazardFilesStore::HazardsUsing(conn, me.tenant_id, file_id);
    if (ids.empty()) return {};
    if (!me.Has(perm::kRead)) return {true, false};
    const HazardScope scope = HazardService::ScopeOf(conn, me);
    for (const auto& id : ids) {
        auto h = HazardStore::Find(conn, me.tenant_id, id);
        if (h && ReadableBy(*h, HazardStore::Extensions(conn, me.tenant_id, id), scope)) return {true, true};
    }
    return {true, false};
}

}  // namespace

void RegisterHazardFileUses(files::FileUses& uses) { uses.Register("hazards", HazardUse); }

}  // namespace safeloop::hazards
