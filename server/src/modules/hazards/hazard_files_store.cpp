#include "modules/hazards/hazard_files_store.hpp"

namespace safeloop::hazards {

namespace {

// Photos and evidence are JSON arrays of text; a file id is quoted in them ($2 is '%"<id>"%'). These scan the
// tenant's hazards and rectifications (no index on the JSON); a file is asked about when someone opens it.
constexpr std::string_view kHazardsUsing =
    "SELECT id FROM hazards WHERE tenant_id = $1 AND photos_json LIKE $2 "
    "UNION SELECT hazard_id FROM hazard_rectifications WHERE tenant_id = $1 "
    "AND (evidence_json LIKE $2 OR signature_file_id = $3) "
    "UNION SELECT hazard_id FROM hazard_voice_notes WHERE tenant_id = $1 AND file_id = $3";

}  // namespace

std::vector<std::string> HazardFilesStore::HazardsUsing(db::Connection& conn, const std::string& tenant_id,
                                                        const std::string& file_id) {
    std::vector<std::string> out;
    for (const auto& row : conn.Query(kHazardsUsing, {tenant_id, "%\"" + file_id + "\"%", file_id})) {
        out.push_back(row.Text(0));
    }
    return out;
}

}  // namespace safeloop::hazards
