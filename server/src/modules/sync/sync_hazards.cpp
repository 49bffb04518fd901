#include "modules/sync/sync_hazards.hpp"

#include <boost/json/array.hpp>

#include <vector>

#include "core/ids.hpp"
#include "modules/files/file_rules.hpp"
#include "modules/files/file_service.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::sync {

namespace {

namespace json = boost::json;

constexpr std::string_view kHazards = "/api/v1/hazards";

// Keys of an action's payload that the sync reads itself and does not pass on to the route.
const std::vector<std::string_view> kSyncKeys = {"hazard_id", "assignment_no", "round"};

std::optional<std::string> String(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

std::optional<int64_t> Int(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_int64()) return std::nullopt;
    return v->as_int64();
}

// File ids a hazard payload refers to: photos, evidence[].file_id, signature_file_id, voice_note_file_id.
std::vector<std::string> FileIds(const json::object& payload) {
    std::vector<std::string> ids;
    if (const auto* photos = payload.if_contains("photos"); photos != nullptr && photos->is_array()) {
        for (const auto& p : photos->as_array()) {
            if (p.is_string()) ids.emplace_back(p.as_string());
        }
    }
    if (const auto* evidence = payload.if_contains("evidence"); evidence != nullptr && evidence->is_array()) {
        for (const auto& e : evidence->as_array()) {
            if (const auto* o = e.if_object()) {
                if (auto id = String(*o, "file_id")) ids.push_back(*id);
            }
        }
    }
    if (auto id = String(payload, "signature_file_id")) ids.push_back(*id);
    if (auto id = String(payload, "voice_note_file_id")) ids.push_back(*id);
    return ids;
}

// Rejected with file_missing (retryable) when the payload names files the tenant does not have yet. An id
// that is no file id at all is left to the route's validation (a final rejection: it never will be there).
std::optional<Outcome> MissingFiles(api::RequestContext& ctx, const files::FileService& files,
                                    const json::object& payload) {
    std::vector<std::string> ids;
    for (const auto& id : FileIds(payload)) {
        if (auto normalized = files::NormalizeFileId(id)) ids.push_back(*normalized);
    }
    if (ids.empty()) return std::nullopt;
    auto missing = files.Missing(ctx.Db(), ctx.user().tenant_id, ids);
    if (missing.empty()) return std::nullopt;
    json::array list;
    for (const auto& id : missing) list.emplace_back(id);
    AppError e{"file_missing",
               "记录引用的照片或视频尚未上传，上传后会自动重试 / Photos or videos this record refers to are not "
               "uploaded yet; it is retried after they are",
               {},
               {{"missing", std::move(list)}}};
    return Outcome::Rejected(std::move(e));
}

json::object WithoutSyncKeys(const json::object& payload) {
    json::object body = payload;
    for (auto key : kSyncKeys) body.erase(key);
    return body;
}

std::string UserName(api::RequestContext& ctx, const std::string& id) {
    auto user = org::OrgStore::FindUser(ctx.Db(), ctx.user().tenant_id, id);
    return user ? user->name : id;
}

HazardView ViewOf(api::RequestContext& ctx, const json::object& detail) {
    HazardView v;
    v.code = String(detail, "code").value_or("");
    v.status = String(detail, "status").value_or("");
    v.assignee_id = String(detail, "assignee_id");
    v.assignee_name = String(detail, "assignee_name").value_or("");
    v.assignment_no = Int(detail, "assignment_no").value_or(0);
    if (const auto* rects = detail.if_contains("rectifications"); rects != nullptr && rects->is_array()) {
        const auto& arr = rects->as_array();
        if (!arr.empty() && arr.back().is_object()) v.latest_round = Int(arr.back().as_object(), "round");
        // Newest round first. (An index, not std::ranges::reverse_view: clang-tidy's clang 14 cannot
        // parse libstdc++ 12's ranges over boost::json::array.)
        for (size_t i = arr.size(); i-- > 0;) {
            const auto* r = arr[i].if_object();
            if (r == nullptr) continue;
            auto result = String(*r, "result");
            if (!result) continue;
            v.verified_result = result;
            v.verified_at = String(*r, "verified_at");
            if (auto by = String(*r, "verified_by")) v.verified_by_name = UserName(ctx, *by);
            break;
        }
    }
    return v;
}

// The hazard as the phone should now hold it (its detail), for answers that do not come from a route.
json::value CurrentHazard(api::RequestContext& ctx, const api::Router& router, const std::string& id) {
    auto r = CallRoute(ctx, router, "GET", std::string(kHazards) + "/" + id);
    return OutcomeOf(r).result;
}

Outcome Reject(AppError error) { return Outcome::Rejected(std::move(error)); }

// accept, rectify, verify, extension: the offline checks, then the route.
Outcome ApplyAction(api::RequestContext& ctx, const api::Router& router, const files::FileService& files,
                    const Mutation& m, HazardAction action, std::string_view suffix) {
    auto raw_id = String(m.payload, "hazard_id");
    if (!raw_id || !IsUuid(*raw_id)) {
        return Reject(AppError::Validation("hazard_id", "必填，应为隐患 id / required: the hazard's id"));
    }
    const std::string id = NormalizeUuid(*raw_id);
    HazardExpectation expected;
    expected.assignment_no = Int(m.payload, "assignment_no");
    expected.round = Int(m.payload, "round");

    const std::string path = std::string(kHazards) + "/" + id + std::string(suffix);
    if (auto forbidden = CheckPermission(ctx, router, "POST", path)) return Reject(std::move(*forbidden));

    auto rejected = [&](AppError error) {
        // The answer to an earlier attempt may have been lost after the change committed (the server
        // stopped, the connection dropped): that attempt's audit entry carries this mutation's id.
        if (AppliedEarlier(ctx, "hazard", id, m.id)) return Outcome::Duplicate(CurrentHazard(ctx, router, id));
        return Reject(std::move(error));
    };

    if (action == HazardAction::kRectify) {
        if (auto missing = MissingFiles(ctx, files, m.payload)) return *missing;
    }
    auto current = CallRoute(ctx, router, "GET", std::string(kHazards) + "/" + id);
    auto read = OutcomeOf(current);
    if (read.kind == Outcome::Kind::kRejected) {
        // Out of the user's sight is not "not there yet": it exists, it was handed to someone they do not see.
        if (read.error.code == "not_found" && HasHistory(ctx, "hazard", id)) return rejected(ReassignedOutOfSight());
        return Reject(std::move(read.error));
    }
    if (!read.result.is_object()) return Reject(AppError{"internal_error", "hazard unreadable", {}, {}});
    if (auto conflict = HazardConflict(action, ViewOf(ctx, read.result.as_object()), expected, ctx.user().user_id)) {
        return rejected(std::move(*conflict));
    }
    auto r = CallRoute(ctx, router, "POST", path, WithoutSyncKeys(m.payload));
    auto outcome = OutcomeOf(r);
    if (outcome.kind == Outcome::Kind::kRejected) return rejected(std::move(outcome.error));
    return outcome;
}

}  // namespace

void RegisterHazardMutations(Registry& registry, const api::Router& router, const files::FileService& files) {
    registry.Register("hazard.create", [&router, &files](api::RequestContext& ctx, const Mutation& m) {
        // The hazard's id is the phone's (later mutations of the same outbox refer to it); without one the
        // mutation's id serves.
        json::object body = m.payload;
        if (!body.contains("id")) body["id"] = m.id;
        if (auto missing = MissingFiles(ctx, files, body)) return *missing;
        // 201 created now; 200 the id already existed (an earlier attempt, or the same report made online).
        return OutcomeOf(CallRoute(ctx, router, "POST", std::string(kHazards), body), Outcome::Kind::kDuplicate);
    });
    registry.Register("hazard.accept", [&router, &files](api::RequestContext& ctx, const Mutation& m) {
        return ApplyAction(ctx, router, files, m, HazardAction::kAccept, "/accept");
    });
    registry.Register("hazard.rectify", [&router, &files](api::RequestContext& ctx, const Mutation& m) {
        return ApplyAction(ctx, router, files, m, HazardAction::kRectify, "/rectify");
    });
    registry.Register("hazard.verify", [&router, &files](api::RequestContext& ctx, const Mutation& m) {
        return ApplyAction(ctx, router, files, m, HazardAction::kVerify, "/verify");
    });
    registry.Register("hazard.extension", [&router, &files](api::RequestContext& ctx, const Mutation& m) {
        return ApplyAction(ctx, router, files, m, HazardAction::kExtension, "/extensions");
    });
}

}  // namespace safeloop::sync
