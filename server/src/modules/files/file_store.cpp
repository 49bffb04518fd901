#include "modules/files/file_store.hpp"

#include <utility>

namespace safeloop::files {

namespace {

constexpr std::string_view kFindForTenant =
    "SELECT b.id, b.size, b.content_type, b.meta_json, b.thumbnail_id, t.created_at "
    "FROM tenant_files t JOIN file_blobs b ON b.id = t.file_id WHERE t.tenant_id = $1 AND t.file_id = $2";
constexpr std::string_view kFindWithTenant =
    "SELECT b.id, b.size, b.content_type, b.meta_json, b.thumbnail_id, b.created_at, t.created_at "
    "FROM file_blobs b LEFT JOIN tenant_files t ON t.tenant_id = $1 AND t.file_id = b.id WHERE b.id = $2";
constexpr std::string_view kStoredBy = "SELECT created_by FROM tenant_files WHERE tenant_id = $1 AND file_id = $2";
constexpr std::string_view kTenantHas = "SELECT 1 FROM tenant_files WHERE tenant_id = $1 AND file_id = $2";
// One branch per id of a UNION ALL: each a lookup of the whole primary key. (`file_id IN (...)` is planned as a
// scan of all the tenant's files, filtered, until the table has statistics: a fresh table grows by thousands of
// rows a minute while phones sync.) $1 tenant; the branch's id's placeholder number follows.
constexpr std::string_view kTenantHasOne = "SELECT file_id FROM tenant_files WHERE tenant_id = $1 AND file_id = $";
constexpr std::string_view kFindBlob =
    "SELECT id, size, content_type, meta_json, thumbnail_id, created_at FROM file_blobs WHERE id = $1";
constexpr std::string_view kBlobData = "SELECT data FROM file_blobs WHERE id = $1";
constexpr std::string_view kChunkData = "SELECT data FROM file_chunks WHERE blob_id = $1 ORDER BY offset_bytes";
constexpr std::string_view kAdoptUploadChunks =
    "UPDATE file_chunks SET blob_id = $2, upload_id = NULL WHERE upload_id = $1";
constexpr std::string_view kInsertBlobsPrefix =
    "INSERT INTO file_blobs (id, size, content_type, meta_json, thumbnail_id, data, created_at) VALUES ";
constexpr std::string_view kInsertBlobsSuffix = " ON CONFLICT (id) DO NOTHING RETURNING id";
constexpr size_t kBlobColumnCount = 7;
constexpr std::string_view kInsertTenantFile =
    "INSERT INTO tenant_files (tenant_id, file_id, created_by, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (tenant_id, file_id) DO NOTHING";

BlobRow RowToBlob(const db::Row& row) {
    return BlobRow{row.Text(0), row.Int(1), row.Text(2), row.Text(3), row.OptText(4), FromUnixMillis(row.Int(5))};
}

}  // namespace

std::optional<BlobRow> FileStore::FindForTenant(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& id) {
    auto row = conn.QueryOne(kFindForTenant, {tenant_id, id});
    if (!row) return std::nullopt;
    return RowToBlob(*row);
}

std::optional<BlobLookup> FileStore::FindWithTenant(db::Connection& conn, const std::string& tenant_id,
                                                    const std::string& id) {
    auto row = conn.QueryOne(kFindWithTenant, {tenant_id, id});
    if (!row) return std::nullopt;
    BlobLookup found{RowToBlob(*row), std::nullopt};
    if (auto at = row->OptInt(6)) found.tenant_created_at = FromUnixMillis(*at);
    return found;
}

std::optional<std::string> FileStore::StoredBy(db::Connection& conn, const std::string& tenant_id,
                                               const std::string& id) {
    auto row = conn.QueryOne(kStoredBy, {tenant_id, id});
    if (!row) return std::nullopt;
    return row->Text(0);
}

std::vector<std::string> FileStore::TenantHasOf(db::Connection& conn, const std::string& tenant_id,
                                                const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    if (ids.empty()) return out;
    db::Params params{tenant_id};
    db::InList(ids, params);  // the ids, padded to a fixed count, as $2..$n (its IN text is not used)
    std::string sql;
    for (size_t i = 2; i <= params.size(); ++i) {
        if (i > 2) sql += " UNION ALL ";
        sql += kTenantHasOne;
        sql += std::to_string(i);
    }
    for (const auto& row : conn.Query(sql, params)) out.push_back(row.Text(0));
    return out;
}

bool FileStore::TenantHas(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    return conn.QueryOne(kTenantHas, {tenant_id, id}).has_value();
}

std::optional<BlobRow> FileStore::FindBlob(db::Connection& conn, const std::string& id) {
    auto row = conn.QueryOne(kFindBlob, {id});
    if (!row) return std::nullopt;
    return RowToBlob(*row);
}

std::optional<std::string> FileStore::BlobData(db::Connection& conn, const std::string& id) {
    auto row = conn.QueryOne(kBlobData, {id});
    if (!row || row->IsNull(0)) return std::nullopt;
    return row->Blob(0);
}

std::string FileStore::ChunkData(db::Connection& conn, const std::string& id, int64_t size) {
    return ConcatBlobs(conn.Query(kChunkData, {id}), size);
}

std::vector<std::string> FileStore::InsertBlobs(db::Connection& conn, std::vector<NewBlob> blobs) {
    std::vector<std::string> inserted;
    if (blobs.empty()) return inserted;
    // Uploads run to tens of megabytes: move the bytes into the parameters rather than copy them.
    // (A braced list of parameters would copy each one.)
    db::Params params;
    params.reserve(kBlobColumnCount * blobs.size());
    std::string sql(kInsertBlobsPrefix);
    for (auto& blob : blobs) {
        sql += params.empty() ? "(" : ", (";
        params.emplace_back(std::move(blob.id));
        params.emplace_back(blob.size);
        params.emplace_back(std::move(blob.content_type));
        params.emplace_back(std::move(blob.meta_json));
        params.emplace_back(blob.thumbnail_id);
        params.push_back(blob.data ? db::Param(db::Bytes{std::move(*blob.data)}) : db::Param(nullptr));
        params.emplace_back(ToUnixMillis(blob.created_at));
        for (size_t i = params.size() - kBlobColumnCount + 1; i <= params.size(); ++i) {
            sql += '$';
            sql += std::to_string(i);
            sql += i == params.size() ? ")" : ", ";
        }
    }
    sql += kInsertBlobsSuffix;
    for (const auto& row : conn.Query(sql, params)) inserted.push_back(row.Text(0));
    return inserted;
}

int64_t FileStore::AdoptUploadChunks(db::Connection& conn, const std::string& upload_id, const std::string& id) {
    return conn.Exec(kAdoptUploadChunks, {upload_id, id});
}

bool FileStore::InsertTenantFile(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                 const std::string& created_by, TimePoint at) {
    return conn.Exec(kInsertTenantFile, {tenant_id, id, created_by, ToUnixMillis(at)}) > 0;
}

std::string ConcatBlobs(const std::vector<db::Row>& rows, int64_t size) {
    std::string out;
    out.reserve(static_cast<size_t>(size));
    for (const auto& row : rows) out += row.Blob(0);
    return out;
}

}  // namespace safeloop::files
