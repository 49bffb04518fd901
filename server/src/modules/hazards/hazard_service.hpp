#pragma once

// The hazard closed loop's use cases. Each write runs in one write transaction on the request's
// connection: the state change, its event, the jobs it schedules (escalation checks, archiving), the
// messages it causes (outbox) and its audit entry commit or roll back together. Inputs arrive checked
// for shape by hazard_routes; everything that needs the database (people, files, state, scope) is
// checked here. The escalation and archive job handlers live here too (RegisterJobs).

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"
#include "db/db.hpp"
#include "jobs/job_queue.hpp"
#include "modules/auth/roles.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_types.hpp"

namespace safeloop::files {
class FileService;
}

namespace safeloop::hazards {

// The module's permissions (the catalog and the grants per role are in modules/auth/roles.*).
namespace perm {
inline constexpr std::string_view kReport = auth::perm::kHazardsReport;
inline constexpr std::string_view kRead = auth::perm::kHazardsRead;
inline constexpr std::string_view kHandle = auth::perm::kHazardsHandle;
inline constexpr std::string_view kAssign = auth::perm::kHazardsAssign;
inline constexpr std::string_view kVerify = auth::perm::kHazardsVerify;
inline constexpr std::string_view kConfigure = auth::perm::kHazardsConfigure;
inline constexpr std::string_view kMetrics = auth::perm::kHazardsMetrics;
inline constexpr std::string_view kWorkOrdersRead = auth::perm::kWorkOrdersRead;
inline constexpr std::string_view kWorkOrdersClose = auth::perm::kWorkOrdersClose;
}  // namespace perm

struct CreateInput {
    std::optional<std::string> id;  // a client UUID (idempotent create)
    std::string title;
    std::string description;
    std::string category;
    Grade grade = Grade::kBlue;
    std::optional<std::string> assignee_id;
    std::vector<std::string> photos;
    std::optional<GeoPoint> position;
    std::string location;
    std::optional<std::string> asset_id;
    std::optional<std::string> area;
    std::optional<std::string> change_order_no;
    int64_t source = 1;
    int64_t manage_type = kManageDeadline;
    std::optional<int64_t> hazard_type;
    std::optional<int64_t> management_class;
    std::optional<int64_t> occurrence_link;
    std::optional<double> cost;
    std::optional<std::string> liable_person_id;
    std::optional<std::string> major_plan_json;
    std::optional<std::string> voice_note_file_id;  // a recorded description (audio, ≤ kMaxVoiceNoteS)
    // 即查即改 (manage_type 0): the rectification done on the spot.
    std::vector<EvidenceItem> evidence;
    std::optional<std::string> signature_file_id;
    std::string note;
};

struct RectifyInput {
    std::vector<EvidenceItem> evidence;
    std::optional<GeoPoint> position;
    std::optional<std::string> signature_file_id;
    std::string note;
};

struct Created {
    Hazard hazard;
    bool created = true;  // false: the client's id already existed (nothing new)
    // What a new report wrote besides the hazard (its answer is the detail, built without reading back).
    std::vector<Event> events;
    std::vector<Rectification> rectifications;
    std::optional<VoiceNote> voice_note;
    HazardConfig config;  // the tenant's settings the report was made under
};

struct Detail {
    Hazard hazard;
    std::vector<Event> events;
    std::vector<Rectification> rectifications;
    std::vector<Extension> extensions;
    std::vector<WorkOrder> work_orders;
    std::vector<std::string> required_evidence;
    double min_video_s = 0;
    std::optional<VoiceNote> voice_note;
    Names names;
    // Everyone the detail mentions (event actors, submitters, signers, verifiers, requesters, approvers,
    // work order owners): id -> name, so a timeline reads with names whatever the viewer's data scope.
    std::map<std::string, std::string> people;
    // What the caller may do on the hazard now (ActionsFor: the names of kCallerActions), for the screens'
    // buttons.
    std::vector<std::string> actions;
};

struct ListInput {
    std::vector<std::string> statuses;
    std::optional<std::string> grade;
    std::optional<std::string> category;
    std::optional<std::string> assignee_id;
    std::optional<std::string> reporter_id;
    std::optional<std::string> department_id;
    std::optional<std::string> code;  // a code or its start (ParseCodeSearch)
    bool overdue = false;
    bool mine = false;       // assigned to me
    bool to_verify = false;  // submitted, and not by me (what I may verify)
    SortOrder sort = SortOrder::kNewest;
    std::optional<ListCursor> after;
    int limit = 50;
};

struct ListPage {
    std::vector<Hazard> items;
    std::vector<Names> names;  // parallel to items
    std::optional<ListCursor> next;
};

struct StatsInput {
    std::vector<std::string> group_by;
    std::vector<std::string> statuses;
    std::optional<std::string> grade;
    bool overdue = false;
    std::optional<int64_t> from;
    std::optional<int64_t> to;
};

// The signed-in person as the rules see them.
Actor ActorOf(const api::Principal& principal);

class HazardService {
public:
    explicit HazardService(files::FileService& files) : files_(files) {}

    Result<Created> Create(api::RequestContext& ctx, const CreateInput& input);
    Result<Detail> Get(api::RequestContext& ctx, const std::string& id);
    // The details of those of `ids` the caller may see (as Get would give them), in the order given; the others are
    // left out. A fixed number of statements however many ids: the change feed sends hundreds at once.
    std::vector<Detail> GetMany(api::RequestContext& ctx, const std::vector<std::string>& ids);
    // The answer of a write: the hazard as GET /hazards/{id} shows it. No scope check: the caller just
    // acted on it (a reassignment may take it out of their sight).
    Detail DetailAfterWrite(api::RequestContext& ctx, const Hazard& hazard);
    Detail DetailAfterCreate(api::RequestContext& ctx, const Created& created);
    Result<ListPage> List(api::RequestContext& ctx, const ListInput& input);
    Result<boost::json::array> Stats(api::RequestContext& ctx, const StatsInput& input);
    Result<boost::json::object> Board(api::RequestContext& ctx);

    Result<Hazard> Assign(api::RequestContext& ctx, const std::string& id, const std::string& assignee_id,
                          const std::optional<std::string>& reason);
    Result<Hazard> Reassign(api::RequestContext& ctx, const std::string& id, const std::string& assignee_id,
                            const std::string& reason);
    Result<Hazard> Accept(api::RequestContext& ctx, const std::string& id);
    Result<Hazard> Rectify(api::RequestContext& ctx, const std::string& id, const RectifyInput& input);
    Result<Hazard> Verify(api::RequestContext& ctx, const std::string& id, bool pass, const std::string& comment);

    Result<Extension> RequestExtension(api::RequestContext& ctx, const std::string& id, const std::string& reason,
                                       int64_t new_due_at);
    Result<Extension> DecideExtension(api::RequestContext& ctx, const std::string& hazard_id,
                                      const std::string& extension_id, bool approve,
                                      const std::optional<std::string>& comment);
    // Pending (or all) extension requests; `mine`: those I am to decide.
    Result<std::vector<Extension>> ListExtensions(api::RequestContext& ctx, const std::optional<std::string>& status,
                                                  bool mine, int limit);

    Result<std::vector<WorkOrder>> ListWorkOrders(api::RequestContext& ctx, const std::optional<std::string>& status,
                                                  const std::optional<std::string>& hazard_id, bool mine,
                                                  const std::optional<std::pair<int64_t, std::string>>& after,
                                                  int limit);
    Result<WorkOrder> GetWorkOrder(api::RequestContext& ctx, const std::string& id);
    Result<WorkOrder> CloseWorkOrder(api::RequestContext& ctx, const std::string& id, const std::string& resolution);

    Result<HazardConfig> GetConfig(api::RequestContext& ctx);
    Result<HazardConfig> SaveConfig(api::RequestContext& ctx, const HazardConfig& config);
    Result<std::vector<Owner>> GetOwners(api::RequestContext& ctx);
    Result<std::vector<Owner>> SaveOwners(api::RequestContext& ctx, const std::vector<Owner>& owners);

    Result<boost::json::object> Metrics(api::RequestContext& ctx, int64_t from, int64_t to);

    // The escalation checks and the archive job (kinds kJobUnaccepted, kJobUnsubmitted, kJobArchive).
    void RegisterJobs(jobs::JobQueue& queue);

    // The tenant's settings, or the defaults when it saved none.
    static HazardConfig ConfigFor(db::Connection& conn, const std::string& tenant_id);
    // How far the signed-in person sees hazards.
    static HazardScope ScopeOf(db::Connection& conn, const api::Principal& principal);

private:
    void Escalate(db::Connection& conn, const jobs::Job& job, const Clock& clock, Escalation kind);
    void Archive(db::Connection& conn, const jobs::Job& job, const Clock& clock);
    // Fills required evidence, names and people of a detail whose records are loaded.
    static void Complete(db::Connection& conn, const HazardConfig& config, Detail& d);
    // Complete's work for several details, with everyone's names read in one statement and the department names
    // in another.
    static void CompleteMany(db::Connection& conn, const HazardConfig& config, std::vector<Detail>& details);
    // Fills what the caller may do on the detail's hazard (`scope`: the caller's, ScopeOf).
    static void SetActions(const api::Principal& me, const HazardScope& scope, Detail& d);

    files::FileService& files_;
};

}  // namespace safeloop::hazards
