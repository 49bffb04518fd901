#include "modules/audit/audit.hpp"

#include "modules/audit/audit_store.hpp"

#include <boost/json/serialize.hpp>

#include <utility>

namespace safeloop::audit {

namespace {

constexpr int64_t kVerifyPageSize = 1000;

ChainRecord RecordOf(const Entry& entry, int64_t chain_index) {
    ChainRecord r;
    r.tenant_id = entry.tenant_id;
    r.chain_index = chain_index;
    r.at_ms = ToUnixMillis(entry.at);
    r.actor_id = entry.actor_id;
    r.request_id = entry.request_id;
    r.action = entry.action;
    r.entity_type = entry.entity_type;
    r.entity_id = entry.entity_id;
    r.before_json = boost::json::serialize(entry.before);
    r.after_json = boost::json::serialize(entry.after);
    return r;
}

void AppendInTransaction(db::Connection& conn, const Entry& entry) {
    ChainHead head = AuditStore::LockHead(conn, entry.tenant_id);
    StoredEntry stored;
    stored.record = RecordOf(entry, head.last_index + 1);
    stored.prev_hash = head.last_hash;
    stored.hash = LinkHash(stored.prev_hash, stored.record);
    AuditStore::Append(conn, stored);
}

// Verifies one tenant's chain; returns false (and fills the report) at the first problem.
bool VerifyTenant(db::Connection& conn, const std::string& tenant_id, VerifyReport& report) {
    ChainVerifier verifier(tenant_id);
    int64_t after_index = 0;
    for (;;) {
        auto page = AuditStore::ChainPage(conn, tenant_id, after_index, kVerifyPageSize);
        for (const auto& entry : page) {
            if (auto problem = verifier.Feed(entry)) {
                report.ok = false;
                report.first_bad_index = problem->chain_index;
                report.tenant_id = tenant_id;
                report.message = std::move(problem->message);
                report.entries += verifier.verified();
                return false;
            }
        }
        if (static_cast<int64_t>(page.size()) < kVerifyPageSize) break;
        after_index = page.back().record.chain_index;
    }
    report.entries += verifier.verified();
    if (auto problem = verifier.Finish(AuditStore::ReadHead(conn, tenant_id))) {
        report.ok = false;
        report.first_bad_index = problem->chain_index;
        report.tenant_id = tenant_id;
        report.message = std::move(problem->message);
        return false;
    }
    return true;
}

}  // namespace

void Append(db::Connection& conn, const Entry& entry) {
    if (conn.InTransaction()) {
        AppendInTransaction(conn, entry);
        return;
    }
    // A caller without a transaction still gets an atomic append (head and entry move together).
    db::Transaction tx(conn, db::TxMode::kWrite);
    AppendInTransaction(conn, entry);
    tx.Commit();
}

void Record(api::RequestContext& ctx, std::string action, std::string entity_type, std::string entity_id,
            boost::json::value before, boost::json::value after) {
    Entry entry;
    if (ctx.authenticated()) {
        entry.tenant_id = ctx.user().tenant_id;
        entry.actor_id = ctx.user().user_id;
    }
    entry.request_id = ctx.request_id();
    entry.action = std::move(action);
    entry.entity_type = std::move(entity_type);
    entry.entity_id = std::move(entity_id);
    entry.before = std::move(before);
    entry.after = std::move(after);
    entry.at = ctx.Now();
    Append(ctx.Db(), entry);
    ctx.MarkAudited();
}

std::string ChainHash(const std::string& prev_hash, const Entry& entry, int64_t chain_index) {
    return LinkHash(prev_hash, RecordOf(entry, chain_index));
}

VerifyReport Verify(db::Connection& conn, const std::optional<std::string>& tenant_id) {
    std::optional<db::Transaction> tx;
    if (!conn.InTransaction()) {
        // One snapshot, so entries appended while we read cannot look like a head mismatch.
        tx.emplace(conn, db::TxMode::kRead);
        AuditStore::UseSnapshot(conn);
    }
    VerifyReport report;
    std::vector<std::string> tenants =
        tenant_id ? std::vector<std::string>{*tenant_id} : AuditStore::ChainTenants(conn);
    for (const auto& tenant : tenants) {
        if (!VerifyTenant(conn, tenant, report)) break;
    }
    if (report.ok) {
        report.message = "verified " + std::to_string(report.entries) + " entries in " +
                         std::to_string(tenants.size()) + " chain(s)";
    }
    return report;
}

ListPage List(db::Connection& conn, const ListFilter& filter) {
    ListPage page;
    // One row more than asked tells whether another page exists.
    page.items = AuditStore::List(conn, filter, filter.limit + 1);
    if (static_cast<int64_t>(page.items.size()) > filter.limit) {
        page.items.resize(static_cast<size_t>(filter.limit));
        page.next_cursor = page.items.back().record.chain_index;
    }
    return page;
}

int64_t LastChangeIndex(db::Connection& conn, const std::string& tenant_id) {
    return AuditStore::LastIndex(conn, tenant_id);
}

std::vector<Change> ChangesSince(db::Connection& conn, const std::string& tenant_id, int64_t after, int64_t upto,
                                 const std::vector<std::string>& entity_types) {
    if (entity_types.empty() || upto <= after) return {};
    return AuditStore::ChangesBetween(conn, tenant_id, after, upto, entity_types);
}

}  // namespace safeloop::audit
