#pragma once

// Every SQL statement of the resumable uploads (V013__uploads.sql): sessions and their chunks.

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
};

class UploadStore {
public:
    // Does nothing when the tenant already has a session for these bytes.
    static void Insert(db::Connection& conn, const UploadSession& s);
    static std::optional<UploadSession> Find(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    static std::optional<UploadSession> FindBySha(db::Connection& conn, const std::string& tenant_id,
                                                  const std::string& sha256);
    // Appends a chunk at `offset` when the session still stands there; false otherwise (a concurrent chunk).
    static bool AppendChunk(db::Connection& conn, const std::string& tenant_id, const std::string& id, int64_t offset,
                            const std::string& bytes, int64_t now);
    // The chunks' bytes in order.
    static std::vector<std::string> Chunks(db::Connection& conn, const std::string& id);
    // Back to nothing received (the bytes did not match their hash).
    static void Reset(db::Connection& conn, const std::string& id, int64_t now);
    static void Delete(db::Connection& conn, const std::string& id);
    static void DeleteIdle(db::Connection& conn, const std::string& tenant_id, int64_t idle_before);
};

}  // namespace safeloop::files
