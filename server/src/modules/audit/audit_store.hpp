#pragma once

// Every SQL statement of the audit module: the per-tenant chain head, appending entries, paging a chain
// for verification, and the filtered newest-first listing.

#include "db/db.hpp"
#include "modules/audit/audit.hpp"
#include "modules/audit/audit_chain.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace safeloop::audit {

class AuditStore {
public:
    // The tenant's head, row-locked until the transaction ends on PostgreSQL (SQLite's write transaction
    // already holds the database lock). Creates the head (index 0, genesis hash) when the tenant has none.
    static ChainHead LockHead(db::Connection& conn, const std::string& tenant_id);
    // Inserts the entry and moves the tenant's head (locked by LockHead) to it.
    static void Append(db::Connection& conn, const StoredEntry& entry);

    // Makes the current (just begun) transaction read one consistent snapshot on PostgreSQL; SQLite's
    // transactions already do.
    static void UseSnapshot(db::Connection& conn);
    static std::optional<ChainHead> ReadHead(db::Connection& conn, const std::string& tenant_id);
    // Every tenant that has a head or an entry, in order.
    static std::vector<std::string> ChainTenants(db::Connection& conn);
    // Up to limit entries of one chain with chain_index > after_index, in chain order.
    static std::vector<StoredEntry> ChainPage(db::Connection& conn, const std::string& tenant_id, int64_t after_index,
                                              int64_t limit);

    // Newest first; returns at most `limit` rows (the filter's own limit is ignored).
    static std::vector<StoredEntry> List(db::Connection& conn, const ListFilter& filter, int64_t limit);

    // The change sequence (audit::ChangesSince): the newest index, and a window of entries of some entity types.
    static int64_t LastIndex(db::Connection& conn, const std::string& tenant_id);
    static std::vector<Change> ChangesBetween(db::Connection& conn, const std::string& tenant_id, int64_t after,
                                              int64_t upto, const std::vector<std::string>& entity_types);
};

}  // namespace safeloop::audit
