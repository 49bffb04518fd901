#pragma once

// The append-only audit log: every state-changing request leaves an entry (who, what, when, before
// and after), chained per tenant by SHA-256 so that editing or deleting a row is detectable.

#include "api/audit_sink.hpp"
#include "api/context.hpp"
#include "core/clock.hpp"
#include "db/db.hpp"
#include "modules/audit/audit_chain.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace safeloop::audit {

struct Entry {
    std::string tenant_id;
    std::optional<std::string> actor_id;
    std::string request_id;
    std::string action;       // e.g. "user.create", "auth.login_failed", "http.POST /api/v1/teams"
    std::string entity_type;  // e.g. "user"
    std::string entity_id;
    boost::json::value before;  // null when created
    boost::json::value after;   // null when deleted
    TimePoint at;
};

// Appends inside the caller's write transaction (so the entry commits or rolls back with the change).
// Serialises per tenant on the chain head (row lock on PostgreSQL).
void Append(db::Connection& conn, const Entry& entry);

// Convenience for handlers: fills tenant, actor, request id and time from the context, appends on the
// context's connection and marks the request as audited.
void Record(api::RequestContext& ctx, std::string action, std::string entity_type, std::string entity_id,
            boost::json::value before, boost::json::value after);

// The dispatcher's audit sink (api/audit_sink.hpp): Record, above.
class RequestAuditSink : public api::AuditSink {
public:
    void Record(api::RequestContext& ctx, std::string action, std::string entity_type, std::string entity_id,
                boost::json::value before, boost::json::value after) override {
        audit::Record(ctx, std::move(action), std::move(entity_type), std::move(entity_id), std::move(before),
                      std::move(after));
    }
};

// The hash of one entry given the previous hash (exposed for tests).
std::string ChainHash(const std::string& prev_hash, const Entry& entry, int64_t chain_index);

struct VerifyReport {
    bool ok = true;
    int64_t entries = 0;
    std::optional<int64_t> first_bad_index;  // chain_index of the first entry that does not verify
    std::string tenant_id;                   // of the first bad entry
    std::string message;
};

// Walks every tenant's chain (or one tenant's) and recomputes the hashes.
VerifyReport Verify(db::Connection& conn, const std::optional<std::string>& tenant_id = std::nullopt);

// Reading the log (GET /api/v1/audit): one tenant's entries, newest first, optionally filtered.
struct ListFilter {
    std::string tenant_id;
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_id;
    std::optional<std::string> actor_id;
    std::optional<int64_t> before_index;  // the cursor: only entries older than this chain_index
    int64_t limit = 50;
};

struct ListPage {
    std::vector<StoredEntry> items;
    std::optional<int64_t> next_cursor;  // pass as before_index for the next page; absent on the last page
};

ListPage List(db::Connection& conn, const ListFilter& filter);

// ---- the tenant's change sequence (the offline sync's change feed reads it) ----
// Every change is audited in its own transaction and chain indexes are handed out under the chain head's lock, so
// they become visible in commit order and without gaps (1, 2, 3, … per tenant): an index is an exact cursor.

// One entry of the sequence: which entity changed, and what it was before (JSON text, "null" when created).
struct Change {
    int64_t index = 0;
    std::string entity_type;
    std::string entity_id;
    std::string before_json;
};

// The newest index of the tenant's chain (0 when it has none).
int64_t LastChangeIndex(db::Connection& conn, const std::string& tenant_id);

// The entries with index in (after, upto] whose entity_type is one of `entity_types`, in chain order (a window of
// upto − after entries of the sequence, of which only those kinds are read).
std::vector<Change> ChangesSince(db::Connection& conn, const std::string& tenant_id, int64_t after, int64_t upto,
                                 const std::vector<std::string>& entity_types);

}  // namespace safeloop::audit
