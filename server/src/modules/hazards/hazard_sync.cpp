#include "modules/hazards/hazard_sync.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <set>
#include <vector>

#include "api/paging.hpp"
#include "core/ids.hpp"
#include "modules/files/file_rules.hpp"
#include "modules/files/file_service.hpp"
#include "modules/hazards/hazard_routes.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_sync_rules.hpp"
#include "modules/org/org_directory.hpp"

namespace safeloop::hazards {

namespace {

namespace json = boost::json;
using sync::Mutation;
using sync::Outcome;

// Keys of an action's payload that the sync reads itself and does not pass on to the action's reader.
const std::vector<std::string_view> kSyncKeys = {"hazard_id", "assignment_no", "round"};
// The hazards a phone needs before going offline: every one whose rectification or verification is
// outstanding and that the user sees (their data scope, exactly as GET /hazards shows it).
const std::vector<std::string> kOpenStatuses = {"reported", "assigned", "accepted", "submitted", "rework"};

int64_t NowMs(const api::RequestContext& ctx) { return ToUnixMillis(ctx.Now()); }

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
// that is no file id at all is left to the reader's validation (a final rejection: it never will be there).
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
    auto names = org::UserNames(ctx.Db(), ctx.user().tenant_id, {id});
    auto it = names.find(id);
    return it != names.end() ? it->second : id;
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

// The hazard as GET /hazards/{id} answers it (its permission, then the caller's scope).
Result<json::object> ReadDetail(api::RequestContext& ctx, HazardService& service, const std::string& id) {
    if (auto forbidden = sync::RequirePermission(ctx, perm::kRead)) return *forbidden;
    auto d = service.Get(ctx, id);
    if (!d.ok()) return d.error();
    return DetailJson(*d, NowMs(ctx));
}

// The hazard as the phone should now hold it, for answers that do not come from the action (null when unreadable).
json::value CurrentHazard(api::RequestContext& ctx, HazardService& service, const std::string& id) {
    auto d = ReadDetail(ctx, service, id);
    if (!d.ok()) return nullptr;
    return std::move(d).value();
}

Outcome Reject(AppError error) { return Outcome::Rejected(std::move(error)); }

// An action's answer: the hazard as GET /hazards/{id} shows it, as the route answers.
Outcome HazardOutcome(api::RequestContext& ctx, HazardService& service, const Result<Hazard>& r) {
    if (!r.ok()) return Reject(r.error());
    return Outcome::Applied(DetailJson(service.DetailAfterWrite(ctx, r.value()), NowMs(ctx)));
}

// The permission of the route each action stands for (POST /hazards/{id}/accept, …).
std::string_view PermissionOf(HazardAction action) {
    return action == HazardAction::kVerify ? perm::kVerify : perm::kHandle;
}

// The action itself, with the body read by the route's reader.
Outcome Act(api::RequestContext& ctx, HazardService& service, HazardAction action, const std::string& id,
            const json::object& body, std::optional<int64_t> recorded_at) {
    switch (action) {
        case HazardAction::kAccept: return HazardOutcome(ctx, service, service.Accept(ctx, id, recorded_at));
        case HazardAction::kRectify: {
            auto in = ReadRectify(body);
            if (!in.ok()) return Reject(in.error());
            return HazardOutcome(ctx, service, service.Rectify(ctx, id, *in, recorded_at));
        }
        case HazardAction::kVerify: {
            auto in = ReadVerify(body);
            if (!in.ok()) return Reject(in.error());
            return HazardOutcome(ctx, service, service.Verify(ctx, id, in->pass, in->comment, recorded_at));
        }
        case HazardAction::kExtension: {
            auto in = ReadExtensionRequest(body);
            if (!in.ok()) return Reject(in.error());
            auto r = service.RequestExtension(ctx, id, in->reason, in->new_due_at, recorded_at);
            if (!r.ok()) return Reject(r.error());
            return Outcome::Applied(ToJson(*r));
        }
    }
    return Reject(AppError{"internal_error", "unknown hazard action", {}, {}});
}

// accept, rectify, verify, extension: the offline checks, then the action.
Outcome ApplyAction(api::RequestContext& ctx, HazardService& service, const files::FileService& files,
                    const Mutation& m, HazardAction action) {
    auto raw_id = String(m.payload, "hazard_id");
    if (!raw_id || !IsUuid(*raw_id)) {
        return Reject(AppError::Validation("hazard_id", "必填，应为隐患 id / required: the hazard's id"));
    }
    const std::string id = NormalizeUuid(*raw_id);
    HazardExpectation expected;
    expected.assignment_no = Int(m.payload, "assignment_no");
    expected.round = Int(m.payload, "round");

    if (auto forbidden = sync::RequirePermission(ctx, PermissionOf(action))) return Reject(std::move(*forbidden));

    auto rejected = [&](AppError error) {
        // The answer to an earlier attempt may have been lost after the change committed (the server
        // stopped, the connection dropped): that attempt's audit entry carries this mutation's id.
        if (sync::AppliedEarlier(ctx, "hazard", id, m.id)) return Outcome::Duplicate(CurrentHazard(ctx, service, id));
        return Reject(std::move(error));
    };

    if (action == HazardAction::kRectify) {
        if (auto missing = MissingFiles(ctx, files, m.payload)) return *missing;
    }
    auto read = ReadDetail(ctx, service, id);
    if (!read.ok()) {
        // Out of the user's sight is not "not there yet": it exists, it was handed to someone they do not see.
        if (read.error().code == "not_found" && sync::HasHistory(ctx, "hazard", id)) {
            return rejected(ReassignedOutOfSight());
        }
        return Reject(read.error());
    }
    if (auto conflict = HazardConflict(action, ViewOf(ctx, *read), expected, ctx.user().user_id)) {
        return rejected(std::move(*conflict));
    }
    auto outcome = Act(ctx, service, action, id, WithoutSyncKeys(m.payload), m.recorded_at);
    if (outcome.kind == Outcome::Kind::kRejected) return rejected(std::move(outcome.error));
    return outcome;
}

Outcome ApplyCreate(api::RequestContext& ctx, HazardService& service, const files::FileService& files,
                    const Mutation& m) {
    // The hazard's id is the phone's (later mutations of the same outbox refer to it); without one the
    // mutation's id serves.
    json::object body = m.payload;
    if (!body.contains("id")) body["id"] = m.id;
    if (auto missing = MissingFiles(ctx, files, body)) return *missing;
    if (auto forbidden = sync::RequirePermission(ctx, perm::kReport)) return Reject(std::move(*forbidden));
    auto input = ReadCreate(body);
    if (!input.ok()) return Reject(input.error());
    auto r = service.Create(ctx, *input, m.recorded_at);
    if (!r.ok()) return Reject(r.error());
    auto detail = DetailJson(service.DetailAfterCreate(ctx, *r), NowMs(ctx));
    // Created now; or the id already existed (an earlier attempt, or the same report made online).
    return r->created ? Outcome::Applied(std::move(detail)) : Outcome::Duplicate(std::move(detail));
}

// ---- the change feed ----

std::optional<int64_t> ToInt(const std::string& text) {
    int64_t v = 0;
    if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), v).ec != std::errc()) {
        return std::nullopt;
    }
    return v;
}

std::string EncodeListCursor(const ListCursor& c) {
    return api::EncodeCursor({std::to_string(c.key), std::to_string(c.year), std::to_string(c.seq)});
}

std::optional<ListCursor> DecodeListCursor(const std::string& text) {
    auto parts = api::DecodeCursor(text);
    if (!parts || parts->size() != 3) return std::nullopt;
    auto key = ToInt((*parts)[0]);
    auto year = ToInt((*parts)[1]);
    auto seq = ToInt((*parts)[2]);
    if (!key || !year || !seq) return std::nullopt;
    return ListCursor{*key, *year, *seq};
}

bool WasAssignedTo(const std::string& before_json, const std::string& user_id) {
    boost::system::error_code ec;
    auto v = json::parse(before_json, ec);
    if (ec || !v.is_object()) return false;
    const auto* a = v.as_object().if_contains("assignee_id");
    return a != nullptr && a->is_string() && a->as_string() == user_id;
}

class HazardFeed : public sync::ChangeFeed {
public:
    explicit HazardFeed(HazardService& service) : service_(service) {}

    std::vector<std::string> FollowedTypes() const override { return {"hazard", "hazard_settings"}; }

    Result<SnapshotPage> Snapshot(api::RequestContext& ctx, const std::string& cursor, int limit) override {
        SnapshotPage page;
        if (cursor.empty()) page.changes.push_back(SettingsChange(ctx));
        // GET /hazards?status=<open>&limit=&cursor=: its permission, the caller's scope.
        if (auto forbidden = sync::RequirePermission(ctx, perm::kRead)) return *forbidden;
        ListInput in;
        in.statuses = kOpenStatuses;
        in.limit = limit;
        if (!cursor.empty()) {
            auto after = DecodeListCursor(cursor);
            if (!after) return AppError{"invalid_query", "分页游标无效 / The cursor is not valid", {}, {}};
            in.after = *after;
        }
        auto list = service_.List(ctx, in);
        if (!list.ok()) return list.error();
        std::vector<std::string> ids;
        ids.reserve(list->items.size());
        for (const auto& h : list->items) ids.push_back(h.id);
        auto details = DetailsJson(ctx, service_, ids);
        for (const auto& id : ids) {
            if (auto it = details.find(id); it != details.end())
                page.changes.push_back(HazardChange(id, std::move(it->second)));
        }
        if (list->next) page.next = EncodeListCursor(*list->next);
        return page;
    }

    std::vector<json::object> Details(api::RequestContext& ctx, const std::vector<audit::Change>& changed) override {
        const auto& me = ctx.user();
        // One change per hazard however often it changed in the window, in the order of its last change.
        std::vector<std::string> hazards;
        std::set<std::string> removed_candidates;
        bool settings = false;
        for (const auto& e : changed) {
            if (e.entity_type == "hazard") {
                hazards.erase(std::remove(hazards.begin(), hazards.end(), e.entity_id), hazards.end());
                hazards.push_back(e.entity_id);
                if (WasAssignedTo(e.before_json, me.user_id)) removed_candidates.insert(e.entity_id);
            } else if (e.entity_type == "hazard_settings") {
                settings = true;
            }
        }
        std::vector<json::object> out;
        if (settings) out.push_back(SettingsChange(ctx));
        auto details = DetailsJson(ctx, service_, hazards);
        for (const auto& id : hazards) {
            if (auto it = details.find(id); it != details.end()) {
                out.push_back(HazardChange(id, std::move(it->second)));
            } else if (removed_candidates.contains(id)) {
                // It was the user's and is out of their sight now (reassigned to another team): drop it.
                out.push_back(json::object{{"type", "hazard_removed"}, {"id", id}});
            }
        }
        return out;
    }

private:
    // GET /hazards/settings (grades, deadlines, required evidence, min_video_s) for the offline evidence slots; null
    // when the user may not read it.
    json::object SettingsChange(api::RequestContext& ctx) {
        json::value data = nullptr;
        if (ctx.user().Has(perm::kRead)) {
            if (auto config = service_.GetConfig(ctx); config.ok()) data = ToJson(*config);
        }
        return json::object{{"type", "hazard_settings"}, {"data", std::move(data)}};
    }

    // A hazard's detail (as GET /hazards/{id} answers it) as the phone stores it.
    static json::object HazardChange(const std::string& id, json::object data) {
        return json::object{{"type", "hazard"}, {"id", id}, {"data", std::move(data)}};
    }

    HazardService& service_;
};

}  // namespace

void RegisterHazardSync(sync::Registry& registry, HazardService& service, const files::FileService& files) {
    registry.Register("hazard.create", [&service, &files](api::RequestContext& ctx, const Mutation& m) {
        return ApplyCreate(ctx, service, files, m);
    });
    for (const auto& [type, action] :
         {std::pair{"hazard.accept", HazardAction::kAccept}, std::pair{"hazard.rectify", HazardAction::kRectify},
          std::pair{"hazard.verify", HazardAction::kVerify}, std::pair{"hazard.extension", HazardAction::kExtension}}) {
        registry.Register(type, [&service, &files, action = action](api::RequestContext& ctx, const Mutation& m) {
            return ApplyAction(ctx, service, files, m, action);
        });
    }
    registry.AddFeed(std::make_unique<HazardFeed>(service));
}

}  // namespace safeloop::hazards
