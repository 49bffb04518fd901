#pragma once

// What the hazard service's use-case files share (internal to modules/hazards, not a public face): the transaction
// frame's real ports (Transact), events, in-app and SMS messages, the escalation and archive jobs an assignment or a
// closure schedules, people lookups and the evidence check. The use cases themselves are split by what they do:
// hazard_report.cpp, hazard_assign.cpp, hazard_rectify.cpp, hazard_verify.cpp, hazard_extensions.cpp,
// hazard_work_orders.cpp, hazard_queries.cpp, hazard_jobs.cpp, and hazard_service.cpp (scope, settings).

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"
#include "db/db.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_transition.hpp"
#include "modules/hazards/hazard_types.hpp"
#include "modules/org/org_types.hpp"

namespace safeloop::files {
class FileService;
}

namespace safeloop::hazards {

int64_t NowMs(const api::RequestContext& ctx);
AppError HazardNotFound();
AppError ConcurrentUpdate();

Event MakeEvent(const Hazard& h, std::string type, int64_t at, std::optional<std::string> actor,
                std::optional<HazardStatus> from, std::optional<HazardStatus> to, boost::json::object data = {});
// An action applied from a phone's offline outbox carries the phone's time of recording (the sync passes it); the event
// keeps it as data (`recorded_at`) beside its own server time `at`.
Event Stamped(const std::optional<int64_t>& recorded_at, Event e);
// "15 分钟", "2 小时".
std::string Minutes(int64_t minutes);

// The user, when they exist in the tenant and are not disabled.
std::optional<org::User> ActiveUser(db::Connection& conn, const std::string& tenant_id,
                                    const std::optional<std::string>& id);
void MessageApp(db::Connection& conn, const Clock& clock, const Hazard& h, const std::string& user_id,
                std::string title, std::string text, std::string key);
void MessageSms(db::Connection& conn, const Clock& clock, const Hazard& h, const org::User& to, std::string text,
                std::string key);
void EnqueueStep(db::Connection& conn, const Clock& clock, const Hazard& h, const EscalationStep& step);
// Schedules the escalation checks of the hazard's current assignment and tells the assignee in the app.
void OnAssigned(db::Connection& conn, const Clock& clock, const HazardConfig& config, const Hazard& h);
// Cancels the escalation checks and schedules the archiving.
void OnClosed(db::Connection& conn, const Clock& clock, const HazardConfig& config, const Hazard& h);
// SHA-256 of what the signer signed: the hazard's content and this rectification.
std::string ContentHash(const Hazard& h, const Rectification& r, const std::string& signer_id, int64_t signed_at);
// The deputy GM(s) in charge: as configured, else the users holding the role "vp" as their own role, else all holders.
std::vector<org::User> DeputyGms(db::Connection& conn, const HazardConfig& config, const std::string& tenant_id);
// The people and department names a list of hazards shows, in two queries whatever its length.
std::vector<Names> NamesForAll(db::Connection& conn, const std::string& tenant_id, const std::vector<Hazard>& items);

struct EvidenceCheck {
    EvidenceVerdict verdict;
    bool signature_ok = true;
};
// Checks a rectification's evidence against the files module's metadata.
EvidenceCheck CheckRectification(db::Connection& conn, const files::FileService& files, const std::string& tenant_id,
                                 const std::vector<std::string>& required, const std::vector<EvidenceItem>& items,
                                 bool has_position, const std::optional<std::string>& signature_file_id,
                                 double min_video_s);
AppError SignatureError();

// Loads a hazard the caller reaches for `action`, holding its row for the transaction (`request`: the extension request
// being decided).
Result<Hazard> LoadForAction(db::Connection& conn, const api::Principal& me, const std::string& id,
                             const HazardScope& scope, Action action,
                             const std::optional<Extension>& request = std::nullopt);
// Saves a changed hazard (conflict when it changed meanwhile).
Status Save(db::Connection& conn, Hazard& h, int64_t now);

// Finds, inside the transaction, the extension request an action names (deciding one).
using RequestLookup = std::function<Result<std::optional<Extension>>(db::Connection&)>;
// One transition of hazard `id` by the signed-in caller, in one write transaction on the request's connection:
// RunTransition (hazard_transition.hpp) with the database, the audit log and the clock as its ports.
Result<Hazard> Transact(api::RequestContext& ctx, const std::string& id, Action action, const TransitionStepFn& step,
                        const RequestLookup& find_request = nullptr, std::optional<int64_t> recorded_at = std::nullopt);

}  // namespace safeloop::hazards
