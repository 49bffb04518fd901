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

constexpr std::string_view kLastChangeIndex = R"(
SELECT COALESCE(MAX(chain_index), 0) FROM audit_log WHERE tenant_id = $1)";

// The audit chain read as a change sequence: which entity changed, in commit order. Entity types the
// feed does not use are skipped.
constexpr std::string_view kChangesBetween = R"(
SELECT chain_index, entity_type, entity_id, before_json FROM audit_log
WHERE tenant_id = $1 AND chain_index > $2 AND chain_index <= $3
  AND entity_type IN ('hazard', 'hazard_settings', 'user')
ORDER BY chain_index)";

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

int64_t SyncStore::LastChangeIndex(db::Connection& conn, const std::string& tenant_id) {
    auto row = conn.QueryOne(kLastChangeIndex, {tenant_id});
    return row ? row->Int(0) : 0;
}

std::vector<ChangeEntry> SyncStore::ChangesBetween(db::Connection& conn, const std::string& tenant_id, int64_t after,
                                                   int64_t upto) {
    std::vector<ChangeEntry> out;
    for (const auto& row : conn.Query(kChangesBetween, {tenant_id, after, upto})) {
        out.push_back({row.Int(0), row.Text(1), row.Text(2), row.Text(3)});
    }
    return out;
}

}  // namespace safeloop::sync
