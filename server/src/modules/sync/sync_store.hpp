#pragma once

// Every SQL statement of the sync module: the applied-mutation log (V012__sync.sql). (The change feed reads the
// tenant's change sequence through the audit module, audit::ChangesSince.)

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

class SyncStore {
public:
    static std::optional<StoredMutation> Find(db::Connection& conn, const std::string& tenant_id,
                                              const std::string& id);
    // False when the id was stored meanwhile (a concurrent request with the same mutation won).
    static bool Insert(db::Connection& conn, const StoredMutation& m);
};

}  // namespace safeloop::sync
