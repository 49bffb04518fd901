#pragma once

// Every SQL statement of the file store: content-addressed blobs (file_blobs) and each tenant's references to
// them (tenant_files).

#include "core/clock.hpp"
#include "db/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace safeloop::files {

struct BlobRow {
    std::string id;
    int64_t size = 0;
    std::string content_type;
    std::string meta_json;
    std::optional<std::string> thumbnail_id;
    TimePoint created_at;  // of the tenant's reference when read through a tenant, else of the blob
};

struct NewBlob {
    std::string id;
    int64_t size = 0;
    std::string content_type;
    std::string meta_json;
    std::optional<std::string> thumbnail_id;
    std::optional<std::string> data;  // inline bytes (PostgreSQL mode); absent when they live on disk
    TimePoint created_at;
};

class FileStore {
public:
    // The blob as this tenant sees it; nullopt when the tenant has no reference to it.
    static std::optional<BlobRow> FindForTenant(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& id);
    static bool TenantHas(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static std::optional<BlobRow> FindBlob(db::Connection& conn, const std::string& id);
    // The inline bytes of a blob; nullopt when the blob is unknown or its bytes are on disk.
    static std::optional<std::string> BlobData(db::Connection& conn, const std::string& id);
    // Does nothing when a blob with this id exists (same id, same bytes).
    static void InsertBlob(db::Connection& conn, NewBlob blob);
    // False when the tenant already had it.
    static bool InsertTenantFile(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                 const std::string& created_by, TimePoint at);
};

}  // namespace safeloop::files
