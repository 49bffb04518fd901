#pragma once

// The files module's one registration (modules/module.hpp): files and resumable uploads, which keep principals and take
// uploads.

#include "modules/module.hpp"

namespace safeloop::files {

const modules::Module& FilesModule();

}  // namespace safeloop::files
