#pragma once

// The SQL of hazard_files.cpp: which hazards refer to a file.

#include <string>
#include <vector>

#include "db/db.hpp"

namespace safeloop::hazards {

class HazardFilesStore {
public:
    // Ids of the tenant's hazards whose report photos, rectification evidence or signatures, or voice note name the
    // file (a normalised file id: 64 lower-case hex digits).
    static std::vector<std::string> HazardsUsing(db::Connection& conn, const std::string& tenant_id,
                                                 const std::string& file_id);
};

}  // namespace safeloop::hazards
