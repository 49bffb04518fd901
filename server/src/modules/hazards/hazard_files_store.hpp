#pragma once

// The SQL of hazard_files.cpp: which hazards refer to a file. hazard_file_uses (V018) indexes them by file; the
// hazard store writes its rows in the same transaction as the hazard, rectification or voice note that names the
// file (Record, called from HazardStore's inserts).

#include <cstddef>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "modules/hazards/hazard_types.hpp"

namespace safeloop::hazards {

// One row of hazard_file_uses: a hazard of the tenant names the file (a normalised file id).
struct HazardFileUse {
    std::string tenant_id;
    std::string file_id;
    std::string hazard_id;
};

// The files each record names, normalised (lower case) as the files module looks them up; ids that are not file
// ids are left out (no one can ask for them).
std::vector<HazardFileUse> FileUsesOf(const Hazard& h);         // report photos
std::vector<HazardFileUse> FileUsesOf(const Rectification& r);  // evidence and signature
std::vector<HazardFileUse> FileUsesOf(const VoiceNote& n);

class HazardFilesStore {
public:
    // Records that the hazards use the files (a use already recorded is kept), in multi-row statements.
    static void Record(db::Connection& conn, const std::vector<HazardFileUse>& uses);
    // Ids of at most `limit` of the tenant's hazards whose report photos, rectification evidence or signatures, or
    // voice note name the file (a normalised file id: 64 lower-case hex digits). One lookup of the primary key.
    static std::vector<std::string> HazardsUsing(db::Connection& conn, const std::string& tenant_id,
                                                 const std::string& file_id, size_t limit);
};

}  // namespace safeloop::hazards
