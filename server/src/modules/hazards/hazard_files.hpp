#pragma once

// Which hazards use a file, for the files module's read rule (modules/files/file_uses.hpp): a hazard's photos,
// evidence, signatures and voice note are readable by whoever may read the hazard (hazards.read and ReadableBy,
// exactly as GET /hazards/{id}). The hazards using the file are found in hazard_file_uses, one indexed lookup; at
// most the first 16 of them are checked.

#include "modules/files/file_uses.hpp"

namespace safeloop::hazards {

void RegisterHazardFileUses(files::FileUses& uses);

}  // namespace safeloop::hazards
