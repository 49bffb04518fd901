#include "modules/files/file_uploads_store.hpp"

#include "modules/files/file_store.hpp"

namespace safeloop::files {

namespace {

constexpr std::string_view kInsert = R"(
INSERT INTO file_uploads (id, tenant_id, user_id, sha256, size, content_type, received, created_at, updated_at,
                          sha_state)
VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, $8)
ON CONFLICT (tenant_id, sha256) DO NOTHING)";

constexpr std::string_view kFind = R"(
SELECT id, tenant_id, user_id, sha256, size, content_type, received, created_at, updated_at, sha_state
FROM file_uploads WHERE tenant_id = $1 AND id = $2)";

constexpr std::string_view kFindBySha = R"(
SELECT id, tenant_id, user_id, sha256, size, content_type, received, created_at, updated_at, sha_state
FROM file_uploads WHERE tenant_id = $1 AND sha256 = $2)";

// Moves the session on only from where the chunk starts and from the digest state the chunk was hashed onto, so two
// senders of the same chunk never both append and the state always matches the bytes counted.
constexpr std::string_view kAdvance = R"(
UPDATE file_uploads SET received = received + $4, updated_at = $5, sha_state = $6
WHERE tenant_id = $1 AND id = $2 AND received = $3 AND sha_state IS NOT DISTINCT FROM $7)";

constexpr std::string_view kInsertChunk = R"(
INSERT INTO file_chunks (upload_id, offset_bytes, data) VALUES ($1, $2, $3))";

constexpr std::string_view kChunks = R"(
SELECT data FROM file_chunks WHERE upload_id = $1 ORDER BY offset_bytes)";

// Bytes from `offset` ($2) of the chunk holding it, $3 at most: substr counts from 1. PostgreSQL reads only the
// slice of a value stored EXTERNAL (V016), not the whole chunk.
constexpr std::string_view kChunkSlice = R"(
SELECT substr(data, CAST($2 - offset_bytes + 1 AS INTEGER), CAST($3 AS INTEGER)) FROM file_chunks
WHERE upload_id = $1 AND offset_bytes <= $2 ORDER BY offset_bytes DESC LIMIT 1)";

constexpr std::string_view kDeleteChunks = R"(DELETE FROM file_chunks WHERE upload_id = $1)";

constexpr std::string_view kReset = R"(
UPDATE file_uploads SET received = 0, updated_at = $2, sha_state = $3 WHERE id = $1)";

constexpr std::string_view kDelete = R"(DELETE FROM file_uploads WHERE id = $1)";

constexpr std::string_view kDeleteIdleChunks = R"(
DELETE FROM file_chunks WHERE upload_id IN
    (SELECT id FROM file_uploads WHERE tenant_id = $1 AND updated_at < $2))";

constexpr std::string_view kIdleIds = R"(SELECT id FROM file_uploads WHERE tenant_id = $1 AND updated_at < $2)";

constexpr std::string_view kDeleteIdle = R"(DELETE FROM file_uploads WHERE tenant_id = $1 AND updated_at < $2)";

UploadSession FromRow(const db::Row& row) {
    return UploadSession{row.Text(0), row.Text(1),
                         row.Text(2), row.Text(3),
                         row.Int(4),  row.Text(5),
                         row.Int(6),  row.Int(7),
                         row.Int(8),  row.IsNull(9) ? std::nullopt : std::optional<std::string>(row.Blob(9))};
}

db::Param DigestParam(const std::optional<std::string>& state) {
    if (!state) return std::nullopt;
    return db::Bytes{*state};
}

}  // namespace

void UploadStore::Insert(db::Connection& conn, const UploadSession& s) {
    conn.Exec(kInsert,
              {s.id, s.tenant_id, s.user_id, s.sha256, s.size, s.content_type, s.created_at, DigestParam(s.sha_state)});
}

std::optional<UploadSession> UploadStore::Find(db::Connection& conn, const std::string& tenant_id,
                                               const std::string& id) {
    auto row = conn.QueryOne(kFind, {tenant_id, id});
    if (!row) return std::nullopt;
    return FromRow(*row);
}

std::optional<UploadSession> UploadStore::FindBySha(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& sha256) {
    auto row = conn.QueryOne(kFindBySha, {tenant_id, sha256});
    if (!row) return std::nullopt;
    return FromRow(*row);
}

bool UploadStore::Advance(db::Connection& conn, const std::string& tenant_id, const std::string& id, const Step& step,
                          int64_t now) {
    return conn.Exec(kAdvance, {tenant_id, id, step.offset, step.length, now, DigestParam(step.digest_after),
                                DigestParam(step.digest_before)}) == 1;
}

bool UploadStore::AppendChunk(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                              const Step& step, const std::string& bytes, int64_t now) {
    if (!Advance(conn, tenant_id, id, step, now)) return false;
    conn.Exec(kInsertChunk, {id, step.offset, db::Bytes{bytes}});
    return true;
}

std::string UploadStore::ChunkBytes(db::Connection& conn, const std::string& id, int64_t size) {
    return ConcatBlobs(conn.Query(kChunks, {id}), size);
}

std::string UploadStore::ChunkSlice(db::Connection& conn, const std::string& id, int64_t offset, int64_t length) {
    auto row = conn.QueryOne(kChunkSlice, {id, offset, length});
    if (!row || row->IsNull(0)) return {};
    return row->Blob(0);
}

std::vector<std::string> UploadStore::IdleIds(db::Connection& conn, const std::string& tenant_id, int64_t idle_before) {
    std::vector<std::string> ids;
    for (const auto& row : conn.Query(kIdleIds, {tenant_id, idle_before})) ids.push_back(row.Text(0));
    return ids;
}

void UploadStore::Reset(db::Connection& conn, const std::string& id, const std::string& empty_digest, int64_t now) {
    conn.Exec(kDeleteChunks, {id});
    conn.Exec(kReset, {id, now, db::Bytes{empty_digest}});
}

void UploadStore::Delete(db::Connection& conn, const std::string& id) {
    conn.Exec(kDeleteChunks, {id});
    conn.Exec(kDelete, {id});
}

void UploadStore::DeleteIdle(db::Connection& conn, const std::string& tenant_id, int64_t idle_before) {
    conn.Exec(kDeleteIdleChunks, {tenant_id, idle_before});
    conn.Exec(kDeleteIdle, {tenant_id, idle_before});
}

}  // namespace safeloop::files
