#pragma once

// Resumable chunked uploads of large files (a 40 MB video over a flaky link): a session per tenant and
// content hash, chunks appended in order and flushed to disk before they are acknowledged (so they survive a
// restart), each hashed on arrival into the session's SHA-256 state (UploadDigest), and on the last chunk the digest
// is checked and the file is stored through FileService::Upload (same sniffing, probes, thumbnails and audit as a
// one-shot upload; the bytes are not read back to be hashed, and a video's are read only as far as its probe
// needs). Where the files service keeps blobs in a folder
// (SQLite), a session's bytes go to a part file beside them (UploadPart); where blobs live in the database
// (PostgreSQL, shared by every node), so do the chunks.

#include <filesystem>
#include <optional>
#include <string>

#include "api/context.hpp"
#include "core/error.hpp"
#include "modules/files/file_service.hpp"
#include "modules/files/file_upload_parts.hpp"
#include "modules/files/file_uploads_rules.hpp"
#include "modules/files/file_uploads_store.hpp"

namespace safeloop::files {

struct UploadState {
    std::optional<UploadSession> session;  // absent once the file is stored
    std::optional<UploadResult> file;      // present when the tenant has the file (complete)
    bool created = false;                  // Start: a new session
};

class UploadService {
public:
    explicit UploadService(FileService& files);

    // The tenant already has the bytes: answered with the file, nothing to send. Otherwise the session
    // for this hash (an existing one is resumed, whoever started it).
    Result<UploadState> Start(api::RequestContext& ctx, const std::string& sha256, int64_t size,
                              const std::string& content_type);
    // Where a session stands; a session whose bytes all arrived is completed now.
    Result<UploadState> Status(api::RequestContext& ctx, const std::string& id);
    Result<UploadState> Append(api::RequestContext& ctx, const std::string& id, const ChunkRange& range,
                               const std::string& bytes);

private:
    Result<UploadState> AppendToPart(api::RequestContext& ctx, const std::string& id, const ChunkRange& range,
                                     const std::string& bytes);
    Result<UploadState> AppendToDatabase(api::RequestContext& ctx, const UploadSession& session,
                                         const std::string& bytes);
    Result<UploadState> Complete(api::RequestContext& ctx, const UploadSession& session);
    // Checks the session's digest (or, for a session from before V017, the bytes) against its hash and stores the
    // bytes; `part` holds them (locked), or null when the chunks are rows in the database.
    Result<UploadState> Finish(api::RequestContext& ctx, const UploadSession& session, UploadPart* part);

    FileService& files_;
    std::filesystem::path parts_dir_;  // empty: chunks in the database
};

}  // namespace safeloop::files
