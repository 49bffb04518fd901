#pragma once

// Every SQL statement of the file store: content-addressed blobs (file_blobs) and each tenant's references to
// them (tenant_files). A blob's bytes are on disk (SQLite mode), inline in file_blobs.data (PostgreSQL mode,
// one-shot uploads) or the file_chunks rows its resumable upload arrived in (PostgreSQL mode, data NULL).

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
    std::optional<std::string> data;  // inline bytes (PostgreSQL mode); absent when on disk or in file_chunks
    TimePoint created_at;
};

// A blob and, when the tenant refers to it, when the tenant first stored it.
struct BlobLookup {
    BlobRow blob;  // created_at: of the blob
    std::optional<TimePoint> tenant_created_at;
};

class FileStore {
public:
    // The blob with this id, whoever stored it, and the tenant's reference to it if any: one lookup for an upload.
    static std::optional<BlobLookup> FindWithTenant(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& id);
    // The blob as this tenant sees it; nullopt when the tenant has no reference to it.
    static std::optional<BlobRow> FindForTenant(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& id);
    static bool TenantHas(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    // Who stored the file in the tenant first; nullopt when the tenant has no such file.
    static std::optional<std::string> StoredBy(db::Connection& conn, const std::string& tenant_id,
                                               const std::string& id);
    // Those of `ids` (well-formed file ids) the tenant has, in one statement.
    static std::vector<std::string> TenantHasOf(db::Connection& conn, const std::string& tenant_id,
                                                const std::vector<std::string>& ids);
    static std::optional<BlobRow> FindBlob(db::Connection& conn, const std::string& id);
    // The inline bytes of a blob; nullopt when the blob is unknown or its bytes are on disk or in chunks.
    static std::optional<std::string> BlobData(db::Connection& conn, const std::string& id);
    // The bytes of a blob stored as chunks, in order, in one string reserved for `size` bytes.
    static std::string ChunkData(db::Connection& conn, const std::string& id, int64_t size);
    // Inserts the blobs (in order: a thumbnail before the blob naming it) in one statement; returns the ids of
    // those inserted. A blob whose id exists is skipped (same id, same bytes).
    static std::vector<std::string> InsertBlobs(db::Connection& conn, std::vector<NewBlob> blobs);
    // The chunks of a resumable upload become the chunks of blob `id` (rows re-keyed, bytes not copied); returns
    // how many there were.
    static int64_t AdoptUploadChunks(db::Connection& conn, const std::string& upload_id, const std::string& id);
    // False when the tenant already had it.
    static bool InsertTenantFile(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                 const std::string& created_by, TimePoint at);
};

// The bytes of chunk rows (one blob column each), concatenated in one string reserved for `size` bytes.
std::string ConcatBlobs(const std::vector<db::Row>& rows, int64_t size);

}  // namespace safeloop::files
