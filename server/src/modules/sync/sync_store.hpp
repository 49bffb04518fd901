#pragma once

// Every SQL statement of the sync module: the applied-mutation log (V012__sync.sql) and the reading of
// the tenant's change sequence for GET /sync/changes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"

namespace safeloop::sync {

struct StoredMutation {
    std::string tenant_id;
    std::string id;
    std::string user_id;
    std::string device_id;
    std::string type;
    std::string status;  // "applied" or "rejected"
    std::optional<std::string> result_json;
    std::optional<std::string> error_json;
    std::optional<int64_t> recorded_at;  // the phone's clock
    int64_t received_at = 0;             // the server's clock
};

// One entry of the tenant's change sequence: an audited change of an entity.
struct ChangeEntry {
    int64_t index = 0;
    std::string entity_type;
    std::string entity_id;
    std::string before_json;
};

class SyncStore {
public:
    static std::optional<StoredMutation> Find(db::Connection& conn, const std::string& tenant_id,
                                              const std::string& id);
    // False when the id was stored meanwhile (a concurrent request with the same mutation won).
    static bool Insert(db::Connection& conn, const StoredMutation& m);

    // The tenant's change sequence is its audit chain: every change is audited in its own transaction and
    // chain indexes are handed out under the chain head's lock, so they become visible in commit order
    // and a reader never sees a later index before an earlier one. Only the kinds the feed uses are read.
    static int64_t LastChangeIndex(db::Connection& conn, const std::string& tenant_id);
    // Chain indexes have no gaps (1, 2, 3, ... per tenant), so (after, upto] is a window of that many changes.
    static std::vector<ChangeEntry> ChangesBetween(db::Connection& conn, const std::string& tenant_id, int64_t after,
                                                   int64_t upto);
};

}  // namespace safeloop::sync
