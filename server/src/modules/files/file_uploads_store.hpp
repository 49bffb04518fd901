#pragma once

// Every SQL statement of the resumable uploads (V013__uploads.sql): sessions and, when they are kept in the
// database (PostgreSQL), their chunks (file_chunks rows with upload_id set, V016__file_chunks.sql; on completion
// the new blob adopts them, FileStore::AdoptUploadChunks).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"

namespace safeloop::files {

struct UploadSession {
    std::string id;
    std::string tenant_id;
    std::string user_id;
    std::string sha256;
    int64_t size = 0;
    std::string content_type;
    int64_t received = 0;
    int64_t created_at = 0;
    int64_t updated_at = 0;
    // UploadDigest::Save of the `received` bytes; nullopt for a session begun before V017 (hashed on completion).
    std::optional<std::string> sha_state;
};

class UploadStore {
public:
    // Does nothing when the tenant already has a session for these bytes.
    static void Insert(db::Connection& conn, const UploadSession& s);
    static std::optional<UploadSession> Find(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static std::optional<UploadSession> FindBySha(db::Connection& conn, const std::string& tenant_id,
                                                  const std::string& sha256);
    // Where a session stands and the digest that goes with it: `digest_before` what the caller read at `offset`,
    // `digest_after` that state advanced over the chunk's bytes.
    struct Step {
        int64_t offset = 0;
        int64_t length = 0;
        std::optional<std::string> digest_before;
        std::optional<std::string> digest_after;
    };
    // Moves the session on by the step's length when it still stands at its offset with the same digest state;
    // false otherwise (a concurrent chunk, or the session started over meanwhile).
    static bool Advance(db::Connection& conn, const std::string& tenant_id, const std::string& id, const Step& step,
                        int64_t now);
    // Advance, and the chunk's bytes stored as a row (PostgreSQL: every node sees them).
    static bool AppendChunk(db::Connection& conn, const std::string& tenant_id, const std::string& id, const Step& step,
                            const std::string& bytes, int64_t now);
    // The stored chunks' bytes in order, in one string of `size` bytes reserved up front.
    static std::string ChunkBytes(db::Connection& conn, const std::string& id, int64_t size);
    // Up to `length` bytes of the stored chunks from `offset`, never across a chunk's end (fewer bytes then; empty
    // past the last chunk): a probe reads what it needs, not the whole upload.
    static std::string ChunkSlice(db::Connection& conn, const std::string& id, int64_t offset, int64_t length);
    // Sessions of the tenant untouched since `idle_before` (DeleteIdle deletes them).
    static std::vector<std::string> IdleIds(db::Connection& conn, const std::string& tenant_id, int64_t idle_before);
    // Back to nothing received (the bytes did not match their hash), with `empty_digest` as its digest state.
    static void Reset(db::Connection& conn, const std::string& id, const std::string& empty_digest, int64_t now);
    static void Delete(db::Connection& conn, const std::string& id);
    static void DeleteIdle(db::Connection& conn, const std::string& tenant_id, int64_t idle_before);
};

}  // namespace safeloop::files
