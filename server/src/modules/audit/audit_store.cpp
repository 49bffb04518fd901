#include "modules/audit/audit_store.hpp"

namespace safeloop::audit {

namespace {

constexpr std::string_view kSelectHead = "SELECT last_index, last_hash FROM audit_heads WHERE tenant_id = $1";
constexpr std::string_view kSelectHeadForUpdate =
    "SELECT last_index, last_hash FROM audit_heads WHERE tenant_id = $1 FOR UPDATE";
// ON CONFLICT makes two first appends for a new tenant safe: the second waits for the first and does nothing.
constexpr std::string_view kCreateHead =
    "INSERT INTO audit_heads (tenant_id, last_index, last_hash) VALUES ($1, 0, $2) ON CONFLICT (tenant_id) DO NOTHING";
constexpr std::string_view kUpdateHead = "UPDATE audit_heads SET last_index = $2, last_hash = $3 WHERE tenant_id = $1";
constexpr std::string_view kInsertEntry =
    "INSERT INTO audit_log (tenant_id, chain_index, at, actor_id, request_id, action, entity_type, entity_id, "
    "before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
// PostgreSQL: the entry and the head it becomes in one statement (one round trip; SQLite has no data-modifying
// CTEs and no round trips to save). $1 tenant, $2 the entry's index, $12 its hash.
constexpr std::string_view kInsertEntryMoveHead =
    "WITH entry AS (INSERT INTO audit_log (tenant_id, chain_index, at, actor_id, request_id, action, entity_type, "
    "entity_id, before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)) "
    "UPDATE audit_heads SET last_index = $2, last_hash = $12 WHERE tenant_id = $1";
constexpr std::string_view kRepeatableRead = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
constexpr std::string_view kChainTenants =
    "SELECT tenant_id FROM audit_heads UNION SELECT tenant_id FROM audit_log ORDER BY 1";
constexpr std::string_view kChainPage =
    "SELECT seq, tenant_id, chain_index, at, actor_id, request_id, action, entity_type, entity_id, before_json, "
    "after_json, prev_hash, hash FROM audit_log WHERE tenant_id = $1 AND chain_index > $2 "
    "ORDER BY chain_index LIMIT $3";
// Optional filters are bound as NULL when absent; the casts give PostgreSQL each parameter's type even then.
constexpr std::string_view kList =
    "SELECT seq, tenant_id, chain_index, at, actor_id, request_id, action, entity_type, entity_id, before_json, "
    "after_json, prev_hash, hash FROM audit_log WHERE tenant_id = $1 "
    "AND (CAST($2 AS TEXT) IS NULL OR entity_type = CAST($2 AS TEXT)) "
    "AND (CAST($3 AS TEXT) IS NULL OR entity_id = CAST($3 AS TEXT)) "
    "AND (CAST($4 AS TEXT) IS NULL OR actor_id = CAST($4 AS TEXT)) "
    "AND (CAST($5 AS BIGINT) IS NULL OR chain_index < CAST($5 AS BIGINT)) ORDER BY chain_index DESC LIMIT $6";

constexpr std::string_view kLastIndex = "SELECT COALESCE(MAX(chain_index), 0) FROM audit_log WHERE tenant_id = $1";
// The chain read as a change sequence: which entity changed, in commit order; the entity types follow as an IN list.
constexpr std::string_view kChangesBetween =
    "SELECT chain_index, entity_type, entity_id, before_json FROM audit_log "
    "WHERE tenant_id = $1 AND chain_index > $2 AND chain_index <= $3 AND entity_type IN ";

StoredEntry EntryFromRow(const db::Row& row) {
    StoredEntry e;
    e.seq = row.Int(0);
    e.record.tenant_id = row.Text(1);
    e.record.chain_index = row.Int(2);
    e.record.at_ms = row.Int(3);
    e.record.actor_id = row.OptText(4);
    e.record.request_id = row.Text(5);
    e.record.action = row.Text(6);
    e.record.entity_type = row.Text(7);
    e.record.entity_id = row.Text(8);
    e.record.before_json = row.Text(9);
    e.record.after_json = row.Text(10);
    e.prev_hash = row.Text(11);
    e.hash = row.Text(12);
    return e;
}

std::optional<ChainHead> SelectHead(db::Connection& conn, const std::string& tenant_id, bool for_update) {
    auto row = conn.QueryOne(for_update ? kSelectHeadForUpdate : kSelectHead, {tenant_id});
    if (!row) return std::nullopt;
    return ChainHead{row->Int(0), row->Text(1)};
}

}  // namespace

ChainHead AuditStore::LockHead(db::Connection& conn, const std::string& tenant_id) {
    const bool row_locks = conn.dialect() == db::Dialect::kPostgres;
    if (auto head = SelectHead(conn, tenant_id, row_locks)) return *head;
    conn.Exec(kCreateHead, {tenant_id, std::string(kGenesisHash)});
    auto head = SelectHead(conn, tenant_id, row_locks);
    if (!head) throw db::DbError(db::DbError::Kind::kOther, "audit head vanished right after it was created");
    return *head;
}

void AuditStore::Append(db::Connection& conn, const StoredEntry& entry) {
    const ChainRecord& r = entry.record;
    const db::Params params{r.tenant_id,   r.chain_index, r.at_ms,       r.actor_id,   r.request_id,    r.action,
                            r.entity_type, r.entity_id,   r.before_json, r.after_json, entry.prev_hash, entry.hash};
    if (conn.dialect() == db::Dialect::kPostgres) {
        if (conn.Exec(kInsertEntryMoveHead, params) != 1) {
            throw db::DbError(db::DbError::Kind::kOther, "audit head of " + r.tenant_id + " vanished while locked");
        }
        return;
    }
    conn.Exec(kInsertEntry, params);
    conn.Exec(kUpdateHead, {r.tenant_id, r.chain_index, entry.hash});
}

void AuditStore::UseSnapshot(db::Connection& conn) {
    if (conn.dialect() == db::Dialect::kPostgres) conn.Exec(kRepeatableRead);
}

std::optional<ChainHead> AuditStore::ReadHead(db::Connection& conn, const std::string& tenant_id) {
    return SelectHead(conn, tenant_id, false);
}

std::vector<std::string> AuditStore::ChainTenants(db::Connection& conn) {
    std::vector<std::string> out;
    for (const auto& row : conn.Query(kChainTenants)) out.push_back(row.Text(0));
    return out;
}

std::vector<StoredEntry> AuditStore::ChainPage(db::Connection& conn, const std::string& tenant_id, int64_t after_index,
                                               int64_t limit) {
    std::vector<StoredEntry> out;
    for (const auto& row : conn.Query(kChainPage, {tenant_id, after_index, limit})) out.push_back(EntryFromRow(row));
    return out;
}

std::vector<StoredEntry> AuditStore::List(db::Connection& conn, const ListFilter& filter, int64_t limit) {
    std::vector<StoredEntry> out;
    auto rows = conn.Query(
        kList, {filter.tenant_id, filter.entity_type, filter.entity_id, filter.actor_id, filter.before_index, limit});
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(EntryFromRow(row));
    return out;
}

int64_t AuditStore::LastIndex(db::Connection& conn, const std::string& tenant_id) {
    auto row = conn.QueryOne(kLastIndex, {tenant_id});
    return row ? row->Int(0) : 0;
}

std::vector<Change> AuditStore::ChangesBetween(db::Connection& conn, const std::string& tenant_id, int64_t after,
                                               int64_t upto, const std::vector<std::string>& entity_types) {
    db::Params params{tenant_id, after, upto};
    const std::string sql = std::string(kChangesBetween) + db::InList(entity_types, params) + " ORDER BY chain_index";
    std::vector<Change> out;
    for (const auto& row : conn.Query(sql, params)) out.push_back({row.Int(0), row.Text(1), row.Text(2), row.Text(3)});
    return out;
}

}  // namespace safeloop::audit
