#include "modules/files/file_uploads_store.hpp"

#include "modules/files/file_store.hpp"

namespace safeloop::files {

namespace {

constexpr std::string_view kInsert = R"(
INSERT INTO file_uploads (id, tenant_id, user_id, sha256, size, content_type, received, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)
ON CONFLICT (tenant_id, sha256) DO NOTHING)";

constexpr std::string_view kFind = R"(
SELECT id, tenant_id, user_id, sha256, size, content_type, received, created_at, updated_at
FROM file_uploads WHERE tenant_id = $1 AND id = $2)";

constexpr std::string_view kFindBySha = R"(
SELECT id, tenant_id, user_id, sha256, size, content_type, received, created_at, updated_at
FROM file_uploads WHERE tenant_id = $1 AND sha256 = $2)";

// Moves the session on only from where the chunk starts, so two senders of the same chunk never both append.
constexpr std::string_view kAdvance = R"(
UPDATE file_uploads SET received = received + $4, updated_at = $5
WHERE tenant_id = $1 AND id = $2 AND received = $3)";

constexpr std::string_view kInsertChunk = R"(
INSERT INTO file_chunks (upload_id, offset_bytes, data) VALUES ($1, $2, $3))";

constexpr std::string_view kChunks = R"(
SELECT data FROM file_chunks WHERE upload_id = $1 ORDER BY offset_bytes)";

constexpr std::string_view kDeleteChunks = R"(DELETE FROM file_chunks WHERE upload_id = $1)";

constexpr std::string_view kReset = R"(UPDATE file_uploads SET received = 0, updated_at = $2 WHERE id = $1)";

constexpr std::string_view kDelete = R"(DELETE FROM file_uploads WHERE id = $1)";

constexpr std::string_view kDeleteIdleChunks = R"(
DELETE FROM file_chunks WHERE upload_id IN
    (SELECT id FROM file_uploads WHERE tenant_id = $1 AND updated_at < $2))";

constexpr std::string_view kIdleIds = R"(SELECT id FROM file_uploads WHERE tenant_id = $1 AND updated_at < $2)";

constexpr std::string_view kDeleteIdle = R"(DELETE FROM file_uploads WHERE tenant_id = $1 AND updated_at < $2)";

UploadSession FromRow(const db::Row& row) {
    return UploadSession{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4),
                         row.Text(5), row.Int(6),  row.Int(7),  row.Int(8)};
}

}  // namespace

void UploadStore::Insert(db::Connection& conn, const UploadSession& s) {
    conn.Exec(kInsert, {s.id, s.tenant_id, s.user_id, s.sha256, s.size, s.content_type, s.created_at});
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

bool UploadStore::Advance(db::Connection& conn, const std::string& tenant_id, const std::string& id, int64_t offset,
                          int64_t length, int64_t now) {
    return conn.Exec(kAdvance, {tenant_id, id, offset, length, now}) == 1;
}

bool UploadStore::AppendChunk(db::Connection& conn, const std::string& tenant_id, const std::string& id, int64_t offset,
                              const std::string& bytes, int64_t now) {
    if (!Advance(conn, tenant_id, id, offset, static_cast<int64_t>(bytes.size()), now)) return false;
    conn.Exec(kInsertChunk, {id, offset, db::Bytes{bytes}});
    return true;
}

std::string UploadStore::ChunkBytes(db::Connection& conn, const std::string& id, int64_t size) {
    return ConcatBlobs(conn.Query(kChunks, {id}), size);
}

std::vector<std::string> UploadStore::IdleIds(db::Connection& conn, const std::string& tenant_id, int64_t idle_before) {
    std::vector<std::string> ids;
    for (const auto& row : conn.Query(kIdleIds, {tenant_id, idle_before})) ids.push_back(row.Text(0));
    return ids;
}

void UploadStore::Reset(db::Connection& conn, const std::string& id, int64_t now) {
    conn.Exec(kDeleteChunks, {id});
    conn.Exec(kReset, {id, now});
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
