#pragma once

#include "api/router.hpp"

namespace safeloop::files {

class UploadService;

// POST /api/v1/files/uploads, GET and PUT /api/v1/files/uploads/{id} (docs/api.md, resumable uploads).
void RegisterUploadRoutes(api::Router& router, UploadService& service);

}  // namespace safeloop::files
