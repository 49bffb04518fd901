#pragma once

// The file store's use cases: upload (sniff, decode, thumbnail, store once per content, reference per tenant,
// audit), and reading a tenant's files and their metadata. Other modules use Find/Missing to check the files a
// record refers to (a hazard's photos, a rectification's video).

#include "api/context.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/db.hpp"
#include "modules/files/file_bytes.hpp"
#include "modules/files/file_rules.hpp"
#include "modules/files/file_uses.hpp"

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

// A completed resumable upload's bytes where the upload left them, for the store to take over rather than copy.
struct CompletedUpload {
    std::string upload_id;
    // The bytes' hash, already checked against them.
    std::string sha256;
    // Folder mode: the part file, linked as the blob's file. Empty in database mode, where the upload's
    // file_chunks rows become the blob's.
    std::filesystem::path part_file;
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
    Result<UploadResult> Upload(api::RequestContext& ctx, std::string_view claimed_content_type, std::string_view body);
    // The same for a completed resumable upload, whose bytes `body` reads where they are stored: audio and video are
    // probed through it without being read whole, and a new blob takes over the upload's chunk rows or part file.
    Result<UploadResult> Upload(api::RequestContext& ctx, std::string_view claimed_content_type, ByteSource& body,
                                const CompletedUpload& upload);

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

    // Features register here which of their records use a file (file_uses.hpp).
    FileUses& uses() { return uses_; }
    // Whether ctx's principal may read the tenant's file `id` (a record using it is readable to them, or nothing uses
    // it yet and they stored it); false too when the tenant has no such file.
    bool MayRead(api::RequestContext& ctx, std::string_view id) const;

private:
    struct Prepared;
    Result<UploadResult> Store(api::RequestContext& ctx, std::string_view claimed_content_type, ByteSource& body,
                               const CompletedUpload* upload);
    // Decodes a new blob of the decided type: metadata, thumbnail, the refined audio/video type.
    Result<Prepared> Prepare(TypeDecision type, ByteSource& body) const;
    std::string LoadBytes(db::Connection& conn, const std::string& id, int64_t size) const;
    void WriteBlobFile(const std::string& id, std::string_view bytes) const;
    // Gives a complete, flushed file (an upload's part) the blob's name too, without copying it.
    void LinkBlobFile(const std::string& id, const std::filesystem::path& complete_file) const;

    db::Pool& pool_;
    const Clock& clock_;
    FileOptions options_;
    FileUses uses_;
};

}  // namespace safeloop::files
