#include "modules/hazards/hazard_files.hpp"

#include "modules/hazards/hazard_files_store.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"

namespace safeloop::hazards {

namespace {

// How many of the hazards using a file are checked: a photo is used by one hazard, a shared one (a signature
// reused across rounds, a photo attached to a few reports) by a handful. Past this, a caller who may read none of
// the first ones is refused, and the check stays bounded whatever the file.
constexpr size_t kMaxHazardsChecked = 16;

files::FileUse HazardUse(api::RequestContext& ctx, const std::string& file_id) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const auto ids = HazardFilesStore::HazardsUsing(conn, me.tenant_id, file_id, kMaxHazardsChecked);
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
