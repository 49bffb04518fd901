#include "modules/sync/sync_store.hpp"

namespace safeloop::sync {

namespace {

constexpr std::string_view kFind = R"(
SELECT tenant_id, id, user_id, device_id, type, status, result_json, error_json, recorded_at, received_at
FROM sync_mutations WHERE tenant_id = $1 AND id = $2)";

constexpr std::string_view kInsert = R"(
INSERT INTO sync_mutations
    (tenant_id, id, user_id, device_id, type, status, result_json, error_json, recorded_at, received_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (tenant_id, id) DO NOTHING)";

}  // namespace

std::optional<StoredMutation> SyncStore::Find(db::Connection& conn, const std::string& tenant_id,
                                              const std::string& id) {
    auto row = conn.QueryOne(kFind, {tenant_id, id});
    if (!row) return std::nullopt;
    StoredMutation m;
    m.tenant_id = row->Text(0);
    m.id = row->Text(1);
    m.user_id = row->Text(2);
    m.device_id = row->Text(3);
    m.type = row->Text(4);
    m.status = row->Text(5);
    m.result_json = row->OptText(6);
    m.error_json = row->OptText(7);
    m.recorded_at = row->OptInt(8);
    m.received_at = row->Int(9);
    return m;
}

bool SyncStore::Insert(db::Connection& conn, const StoredMutation& m) {
    return conn.Exec(kInsert, {m.tenant_id, m.id, m.user_id, m.device_id, m.type, m.status, m.result_json, m.error_json,
                               m.recorded_at, m.received_at}) == 1;
}

}  // namespace safeloop::sync
