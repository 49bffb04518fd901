#pragma once

// Every SQL statement of the hazard module (hazard_store.cpp). Each query of a tenant-owned table
// filters by tenant_id. Lists are built from named fragments so that each filter that is present
// becomes an indexable condition and absent ones cost nothing.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/db.hpp"
#include "modules/hazards/hazard_metrics.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_types.hpp"

namespace safeloop::hazards {

enum class SortOrder { kNewest, kDueAt };

// Where a page of a hazard list ends: the sort key (reported_at or due_at) and the code's year and
// number, which order hazards with equal keys by creation.
struct ListCursor {
    int64_t key = 0;
    int64_t year = 0;
    int64_t seq = 0;
};

struct ListQuery {
    std::string tenant_id;
    HazardScope scope;
    std::vector<std::string> statuses;  // any of these (empty: all)
    std::optional<std::string> grade;
    std::optional<std::string> category;
    std::optional<std::string> assignee_id;
    std::optional<std::string> reporter_id;
    std::optional<std::string> department_id;
    std::optional<std::string> code;              // exactly this code
    std::optional<CodeSearch> code_search;        // codes starting so (see ParseCodeSearch)
    std::optional<std::string> not_submitted_by;  // leaves out rectifications this user submitted
    bool overdue = false;                         // rectification outstanding and past the deadline at `now`
    int64_t now = 0;
    SortOrder sort = SortOrder::kNewest;
    std::optional<ListCursor> after;
    int limit = 50;
};

struct StatsQuery {
    std::string tenant_id;
    HazardScope scope;
    std::vector<std::string> group_by;  // department, grade, status, category (validated by the caller)
    std::vector<std::string> statuses;
    std::optional<std::string> grade;
    bool overdue = false;
    int64_t now = 0;
    std::optional<int64_t> from;  // reported_at range
    std::optional<int64_t> to;
};

struct StatRow {
    std::vector<std::optional<std::string>> keys;  // in group_by order
    int64_t count = 0;
};

struct BoardCounts {
    std::vector<StatRow> by_status_grade;  // active hazards: keys {status, grade}
    int64_t overdue = 0;
};

struct WorkOrderQuery {
    std::string tenant_id;
    std::optional<std::string> status;
    std::optional<std::string> hazard_id;
    std::optional<std::string> owner_id;
    std::optional<std::string> visible_to;  // not tenant-wide: only orders this user owns or is cc'd on
    std::optional<std::pair<int64_t, std::string>> after;
    int limit = 50;
};

struct ExtensionQuery {
    std::string tenant_id;
    std::optional<std::string> status;
    std::optional<std::string> approver_id;
    int limit = 50;
};

// What the metrics read: hazards relevant to [from, to) with their events, and work orders opened then.
struct MetricData {
    std::vector<MetricHazard> hazards;
    std::vector<MetricWorkOrder> work_orders;
};

// What the details of several hazards are read from, one statement per table. Each list is in the order a single
// hazard's detail reads it (events by seq, rectifications by round, extensions by request, work orders newest first).
struct DetailRows {
    std::vector<Hazard> hazards;                       // those of the ids the tenant has, in no particular order
    std::map<std::string, std::vector<Event>> events;  // by hazard id, as are the rest
    std::map<std::string, std::vector<Rectification>> rectifications;
    std::map<std::string, std::vector<Extension>> extensions;
    std::map<std::string, std::vector<WorkOrder>> work_orders;
    std::map<std::string, VoiceNote> voice_notes;
};

class HazardStore {
public:
    // ---- settings ----
    // The tenant's saved settings, or nullopt when it never saved any (the defaults apply).
    static std::optional<HazardConfig> LoadConfig(db::Connection& conn, const std::string& tenant_id);
    static void SaveConfig(db::Connection& conn, const std::string& tenant_id, const HazardConfig& config, int64_t now);
    static std::vector<Owner> ListOwners(db::Connection& conn, const std::string& tenant_id);
    static void ReplaceOwners(db::Connection& conn, const std::string& tenant_id, const std::vector<Owner>& owners,
                              int64_t now);
    static std::optional<std::string> FindOwner(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& kind, const std::string& key);

    // ---- codes ----
    // The next number of the tenant's year, under the counter row's lock until the transaction ends.
    static int64_t NextCodeSeq(db::Connection& conn, const std::string& tenant_id, int64_t year);
    // Makes sure the counter is at least `seq` (after bulk inserts).
    static void RaiseCodeSeq(db::Connection& conn, const std::string& tenant_id, int64_t year, int64_t seq);

    // ---- hazards ----
    static std::optional<Hazard> Find(db::Connection& conn, const std::string& tenant_id, const std::string& id);
    // The same, holding the row lock until the transaction ends (PostgreSQL; SQLite writers are serial).
    static std::optional<Hazard> FindForUpdate(db::Connection& conn, const std::string& tenant_id,
                                               const std::string& id);
    // True when any tenant has a hazard with this id.
    static bool IdTaken(db::Connection& conn, const std::string& id);
    // 409 already_exists when the id or code is taken. The inserts of hazards, rectifications and voice notes (bulk
    // ones too) also record in hazard_file_uses which files they name (hazard_files_store.hpp), for the files'
    // read rule.
    static Status Insert(db::Connection& conn, const Hazard& hazard);
    // Writes every mutable column and bumps the version; false when the row's version moved meanwhile. A hazard's
    // photos are fixed when it is reported: Update records no file uses.
    static bool Update(db::Connection& conn, const Hazard& hazard);
    static std::vector<Hazard> List(db::Connection& conn, const ListQuery& query);
    static std::vector<StatRow> Stats(db::Connection& conn, const StatsQuery& query);
    static BoardCounts Board(db::Connection& conn, const std::string& tenant_id, const HazardScope& scope, int64_t now);

    // ---- voice notes (one per hazard, attached when it is reported) ----
    static void InsertVoiceNote(db::Connection& conn, const VoiceNote& note);
    static std::optional<VoiceNote> FindVoiceNote(db::Connection& conn, const std::string& tenant_id,
                                                  const std::string& hazard_id);

    // ---- events ----
    static void InsertEvent(db::Connection& conn, const Event& event);
    // Several events in one statement (in order).
    static void InsertEvents(db::Connection& conn, const std::vector<Event>& events);
    // Records that an escalation happened; false when its key was recorded before (nothing added).
    static bool ClaimEscalation(db::Connection& conn, const std::string& key, const std::string& tenant_id,
                                const std::string& hazard_id, int64_t at);
    static std::vector<Event> Events(db::Connection& conn, const std::string& tenant_id, const std::string& hazard_id);

    // ---- rectifications ----
    static void InsertRectification(db::Connection& conn, const Rectification& r);
    static std::vector<Rectification> Rectifications(db::Connection& conn, const std::string& tenant_id,
                                                     const std::string& hazard_id);
    static void RecordVerification(db::Connection& conn, const std::string& tenant_id, const std::string& id,
                                   const std::string& result, const std::string& verified_by, int64_t at,
                                   const std::string& comment);

    // ---- extensions ----
    static void InsertExtension(db::Connection& conn, const Extension& x);
    static std::optional<Extension> FindExtension(db::Connection& conn, const std::string& tenant_id,
                                                  const std::string& id);
    static void DecideExtension(db::Connection& conn, const Extension& x);
    static std::vector<Extension> Extensions(db::Connection& conn, const std::string& tenant_id,
                                             const std::string& hazard_id);
    static std::vector<Extension> ListExtensions(db::Connection& conn, const ExtensionQuery& query);

    // ---- work orders ----
    // false when the dedupe key was used (the escalation already opened its order).
    static bool InsertWorkOrder(db::Connection& conn, const WorkOrder& w);
    static std::optional<WorkOrder> FindWorkOrder(db::Connection& conn, const std::string& tenant_id,
                                                  const std::string& id);
    static std::vector<WorkOrder> ListWorkOrders(db::Connection& conn, const WorkOrderQuery& query);

    static void CloseWorkOrder(db::Connection& conn, const WorkOrder& w);

    // ---- several hazards' details at once (the change feed) ----
    static DetailRows DetailsOf(db::Connection& conn, const std::string& tenant_id,
                                const std::vector<std::string>& ids);

    // ---- metrics ----
    static MetricData LoadMetricData(db::Connection& conn, const std::string& tenant_id, const HazardScope& scope,
                                     int64_t from, int64_t to, int64_t lookback_from);

    // ---- bulk writes (demo history, one multi-row statement per chunk) ----
    static void BulkInsertHazards(db::Connection& conn, const std::vector<Hazard>& hazards);
    static void BulkInsertEvents(db::Connection& conn, const std::vector<Event>& events);
    static void BulkInsertRectifications(db::Connection& conn, const std::vector<Rectification>& rs);
};

}  // namespace safeloop::hazards
