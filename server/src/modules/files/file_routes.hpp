#pragma once

#include "api/router.hpp"
#include "modules/files/file_service.hpp"

namespace safeloop::files {

// POST /api/v1/files                  (files.write) raw body with its own Content-Type -> 201, or 200 when the
//                                     tenant already has these bytes: {"id","size","content_type","meta","created_at"}
// GET  /api/v1/files/{id}             (files.read)  the bytes; HEAD answers 200/404 without reading them
// GET  /api/v1/files/{id}/thumbnail   (files.read)  JPEG, images only
// GET  /api/v1/files/{id}/meta        (files.read)  {"id","size","content_type","created_at","meta","has_thumbnail"}
void RegisterFileRoutes(api::Router& router, FileService& service);

}  // namespace safeloop::files
