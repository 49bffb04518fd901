#pragma once

// The file store's use cases: upload (sniff, decode, thumbnail, store once per content, reference per tenant,
// audit), and reading a tenant's files and their metadata. Other modules use Find/Missing to check the files a
// record refers to (a hazard's photos, a rectification's video).

#include "api/context.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/db.hpp"
#include "modules/files/file_rules.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::files {

struct FileOptions {
    // Where blobs live: dir/ab/cd/<sha256>. Empty: the bytes go into file_blobs.data, so every node sharing the
    // PostgreSQL database sees them.
    std::filesystem::path dir;
    size_t max_upload_bytes = 64 << 20;
    int thumbnail_px = 320;
    // EXIF capture times carry the camera's wall clock; when neither OffsetTimeOriginal nor a GPS time stamp says
    // which zone that was, this offset is assumed (China Standard Time).
    int exif_assumed_utc_offset_min = 8 * 60;
};

struct FileInfo {
    std::string id;
    int64_t size = 0;
    std::string content_type;
    boost::json::object meta;
    std::optional<std::string> thumbnail_id;
    TimePoint created_at;  // when this tenant first stored it
};

struct UploadResult {
    FileInfo file;
    bool created = false;  // false: the tenant already had these bytes
};

struct FileContent {
    std::string id;  // also the ETag
    std::string content_type;
    std::string bytes;
};

class FileService {
public:
    FileService(db::Pool& pool, const Clock& clock, FileOptions options);

    // Stores `body` for the caller's tenant. Expected failures: file_empty, payload_too_large,
    // unsupported_media_type (multipart), file_type_not_allowed, file_type_mismatch, file_corrupt,
    // image_too_large. A new reference is audited ("file.upload") in the same transaction.
    // `chunks_of_upload`: the bytes are already stored as the file_chunks rows of this resumable upload (database
    // mode); a new blob adopts those rows instead of storing the bytes a second time. `verified_sha256`: the bytes'
    // SHA-256 (hex) when the caller has just checked them against it (a resumable upload), so they are not hashed
    // again; empty: computed here.
    Result<UploadResult> Upload(api::RequestContext& ctx, std::string_view claimed_content_type, std::string_view body,
                                const std::optional<std::string>& chunks_of_upload = std::nullopt,
                                std::string_view verified_sha256 = {});

    // A tenant's file; nullopt when the tenant has no such file (whoever else may have it).
    std::optional<FileInfo> Find(db::Connection& conn, const std::string& tenant_id, std::string_view id) const;
    std::optional<FileInfo> Find(const std::string& tenant_id, std::string_view id) const;
    bool Has(db::Connection& conn, const std::string& tenant_id, std::string_view id) const;
    // The ids in `ids` the tenant does not have (malformed ids included), in the order given.
    std::vector<std::string> Missing(db::Connection& conn, const std::string& tenant_id,
                                     const std::vector<std::string>& ids) const;

    // The bytes; not_found unless the tenant has the file (or, for the thumbnail, the file has one).
    Result<FileContent> Read(db::Connection& conn, const std::string& tenant_id, std::string_view id) const;
    Result<FileContent> ReadThumbnail(db::Connection& conn, const std::string& tenant_id, std::string_view id) const;

    const FileOptions& options() const { return options_; }

private:
    struct Prepared;
    // Decodes a new blob of the decided type: metadata, thumbnail, the refined audio/video type.
    Result<Prepared> Prepare(TypeDecision type, std::string_view body) const;
    std::string LoadBytes(db::Connection& conn, const std::string& id, int64_t size) const;
    void WriteBlobFile(const std::string& id, std::string_view bytes) const;

    db::Pool& pool_;
    const Clock& clock_;
    FileOptions options_;
};

}  // namespace safeloop::files
