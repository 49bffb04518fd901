#include "modules/sync/sync_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "api/json_body.hpp"
#include "api/recorded_at.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"
#include "modules/sync/sync_store.hpp"

namespace safeloop::sync {

namespace {

namespace json = boost::json;

constexpr std::string_view kApplied = "applied";
constexpr std::string_view kRejected = "rejected";
// The hazards a phone needs before going offline: every one whose rectification or verification is
// outstanding and that the user sees (their data scope, exactly as GET /hazards shows it).
constexpr std::string_view kOpenStatuses = "reported,assigned,accepted,submitted,rework";
constexpr int kMaxTeamPeople = 1000;

json::object ErrorJson(const AppError& e) {
    json::object o;
    o["code"] = e.code;
    o["message"] = e.message;
    if (!e.fields.empty()) {
        json::object fields;
        for (const auto& [k, v] : e.fields) fields[k] = v;
        o["fields"] = std::move(fields);
    }
    for (const auto& [k, v] : e.extra) o[k] = v;
    o["retryable"] = IsRetryable(e.code);
    return o;
}

AppError ErrorFromJson(const std::string& text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    AppError e{"rejected", "", {}, {}};
    if (ec || !v.is_object()) return e;
    for (const auto& [k, val] : v.as_object()) {
        if (k == "code" && val.is_string()) {
            e.code = std::string(val.as_string());
        } else if (k == "message" && val.is_string()) {
            e.message = std::string(val.as_string());
        } else if (k == "fields" && val.is_object()) {
            for (const auto& [f, t] : val.as_object()) {
                if (t.is_string()) e.fields[std::string(f)] = std::string(t.as_string());
            }
        } else if (k != "retryable") {
            e.extra[k] = val;
        }
    }
    return e;
}

json::value ParseOrNull(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    return ec ? json::value(nullptr) : v;
}

// The answer a stored mutation gives when sent again.
Outcome Replay(const StoredMutation& stored) {
    if (stored.status == kApplied) return Outcome::Duplicate(ParseOrNull(stored.result_json));
    return Outcome::Rejected(ErrorFromJson(stored.error_json.value_or("{}")));
}

AppError IdConflict() {
    return AppError{
        "id_conflict", "此记录 id 已被其他用户使用 / This mutation id was already used by another user", {}, {}};
}

AppError UnknownType(const std::string& type) {
    return AppError{"unknown_type",
                    "服务器暂不支持此类记录（" + type + "），升级后会自动重试 / This server does not handle " + type +
                        " yet; it is retried after an upgrade",
                    {},
                    {}};
}

// Runs one piece of work on the request's own context under another request id, and puts the request
// back as the dispatcher gave it afterwards (routes replayed in-process rewrite method, path and body).
// The request's one connection serves every mutation: a second one per request could deadlock the pool
// when as many batches arrive at once as it has connections.
class ScopedRequest {
public:
    ScopedRequest(api::RequestContext& ctx, std::string request_id) : request_(ctx.req()) {
        // The body (a whole batch, up to megabytes) is moved aside, not copied; the rest is small.
        saved_.body = std::move(request_.body);
        request_.body.clear();
        saved_.method = request_.method;
        saved_.target = request_.target;
        saved_.path = request_.path;
        saved_.query = request_.query;
        saved_.headers = request_.headers;
        saved_.path_params = request_.path_params;
        saved_.request_id = request_.request_id;
        saved_.remote_addr = request_.remote_addr;
        request_.request_id = std::move(request_id);
    }
    ~ScopedRequest() { request_ = std::move(saved_); }
    ScopedRequest(const ScopedRequest&) = delete;
    ScopedRequest& operator=(const ScopedRequest&) = delete;

private:
    http::Request& request_;
    http::Request saved_;
};

json::object Person(const org::User& u) {
    return json::object{{"id", u.id},
                        {"name", u.name},
                        {"mobile", u.mobile},
                        {"team_id", api::OptionalToJson(u.team_id)},
                        {"department_id", api::OptionalToJson(u.department_id)},
                        {"position_id", api::OptionalToJson(u.position_id)}};
}

// The people a phone needs offline: the user's team (to pick an assignee, call a colleague), the team's
// leader and the user's direct supervisor.
json::object PeopleChange(api::RequestContext& ctx) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    std::map<std::string, org::User> people;
    if (me.team_id) {
        org::UserQuery q;
        q.tenant_id = me.tenant_id;
        q.visibility = org::Visibility{"tenant", me.user_id, std::nullopt, std::nullopt};
        q.team_id = me.team_id;
        q.limit = kMaxTeamPeople;
        for (auto& u : org::OrgStore::ListUsers(conn, q)) people.emplace(u.id, std::move(u));
        if (auto team = org::OrgStore::FindTeam(conn, me.tenant_id, *me.team_id); team && team->leader_user_id) {
            if (auto u = org::OrgStore::FindUser(conn, me.tenant_id, *team->leader_user_id)) {
                people.emplace(u->id, std::move(*u));
            }
        }
    }
    for (const auto& id : {std::optional<std::string>(me.user_id), me.supervisor_id}) {
        if (!id) continue;
        if (auto u = org::OrgStore::FindUser(conn, me.tenant_id, *id)) people.emplace(u->id, std::move(*u));
    }
    json::array list;
    for (const auto& [id, u] : people) {
        if (!u.disabled) list.push_back(Person(u));
    }
    return json::object{{"type", "people"}, {"data", std::move(list)}};
}

json::object SettingsChange(api::RequestContext& ctx, const api::Router& router) {
    auto r = CallRoute(ctx, router, "GET", "/api/v1/hazards/settings");
    return json::object{{"type", "hazard_settings"}, {"data", OutcomeOf(r).result}};
}

// A hazard's detail (as GET /hazards/{id} answers it) as the phone stores it.
json::object HazardChange(const std::string& id, json::object data) {
    return json::object{{"type", "hazard"}, {"id", id}, {"data", std::move(data)}};
}

bool WasAssignedTo(const std::string& before_json, const std::string& user_id) {
    boost::system::error_code ec;
    auto v = json::parse(before_json, ec);
    if (ec || !v.is_object()) return false;
    const auto* a = v.as_object().if_contains("assignee_id");
    return a != nullptr && a->is_string() && a->as_string() == user_id;
}

}  // namespace

json::object SyncService::Apply(api::RequestContext& ctx, const Batch& batch) {
    // Every applied mutation is audited by its feature under its own request id; the batch itself
    // changes nothing else.
    ctx.MarkAudited();
    const int64_t received_at = ToUnixMillis(ctx.Now());
    json::array results;
    results.reserve(batch.mutations.size());
    for (const auto& m : batch.mutations) {
        Outcome out;
        {
            ScopedRequest scoped(ctx, RequestIdFor(m.id));
            // The phone's time of recording goes with the replayed action (and only the sync sets it).
            auto& headers = ctx.req().headers;
            if (m.recorded_at) {
                headers[std::string(api::kRecordedAtHeader)] = std::to_string(*m.recorded_at);
            } else {
                headers.erase(std::string(api::kRecordedAtHeader));
            }
            out = ApplyOne(ctx, batch.device_id, m, received_at);
        }
        json::object item;
        item["id"] = m.id;
        switch (out.kind) {
            case Outcome::Kind::kApplied: item["status"] = "applied"; break;
            case Outcome::Kind::kDuplicate: item["status"] = "duplicate"; break;
            case Outcome::Kind::kRejected: item["status"] = "rejected"; break;
        }
        if (out.kind == Outcome::Kind::kRejected) {
            item["error"] = ErrorJson(out.error);
        } else {
            item["result"] = std::move(out.result);
        }
        results.push_back(std::move(item));
    }
    return json::object{{"results", std::move(results)}};
}

Outcome SyncService::ApplyOne(api::RequestContext& ctx, const std::string& device_id, const Mutation& m,
                              int64_t received_at) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    if (auto stored = SyncStore::Find(conn, me.tenant_id, m.id)) {
        if (stored->user_id != me.user_id) return Outcome::Rejected(IdConflict());
        return Replay(*stored);
    }
    Outcome out;
    if (m.invalid) {
        out = Outcome::Rejected(*m.invalid);
    } else if (const auto* handler = registry_.Find(m.type); handler == nullptr) {
        out = Outcome::Rejected(UnknownType(m.type));
    } else {
        try {
            out = (*handler)(ctx, m);
        } catch (const AppErrorException& e) {
            out = Outcome::Rejected(e.error());
        } catch (const std::exception& e) {
            spdlog::error("[{}] sync mutation {} ({}) failed: {}", ctx.request_id(), m.id, m.type, e.what());
            out = Outcome::Rejected(AppError{
                "internal_error", "服务器内部错误，稍后自动重试 / Internal server error; it is retried later", {}, {}});
        }
    }
    if (out.kind == Outcome::Kind::kRejected && !IsRemembered(out.error.code)) return out;

    StoredMutation row;
    row.tenant_id = me.tenant_id;
    row.id = m.id;
    row.user_id = me.user_id;
    row.device_id = device_id;
    row.type = m.type;
    row.recorded_at = m.recorded_at;
    row.received_at = received_at;
    if (out.kind == Outcome::Kind::kRejected) {
        row.status = kRejected;
        row.error_json = json::serialize(ErrorJson(out.error));
    } else {
        row.status = kApplied;
        row.result_json = json::serialize(out.result);
    }
    bool inserted = false;
    {
        db::Transaction tx(conn, db::TxMode::kWrite);
        inserted = SyncStore::Insert(conn, row);
        tx.Commit();
    }
    if (!inserted) {
        // A concurrent request with the same mutation stored its outcome first. If this one applied the change
        // (the other found it done and stored "duplicate"'s answer), it says so: the batch that applied a mutation
        // answers `applied`, every other `duplicate`. Otherwise answer what was stored.
        if (auto stored = SyncStore::Find(conn, me.tenant_id, m.id)) {
            if (stored->user_id != me.user_id) return Outcome::Rejected(IdConflict());
            if (out.kind == Outcome::Kind::kApplied) return out;
            return Replay(*stored);
        }
    }
    return out;
}

Result<json::object> SyncService::Changes(api::RequestContext& ctx, const std::optional<ChangeCursor>& cursor,
                                          int limit) {
    ScopedRequest scoped(ctx, ctx.request_id());
    const auto& me = ctx.user();
    json::array changes;
    ChangeCursor next;
    bool has_more = false;

    if (!cursor || cursor->phase == ChangeCursor::Phase::kSnapshot) {
        // The full current set. Its watermark is taken first: whatever changes while it is read is sent
        // again from the change sequence afterwards, so nothing falls between the two.
        const int64_t watermark = cursor ? cursor->watermark : SyncStore::LastChangeIndex(ctx.Db(), me.tenant_id);
        if (!cursor) {
            changes.push_back(SettingsChange(ctx, router_));
            changes.push_back(PeopleChange(ctx));
        }
        std::string path = "/api/v1/hazards?status=" + std::string(kOpenStatuses) + "&limit=" + std::to_string(limit);
        if (cursor && !cursor->list_cursor.empty()) path += "&cursor=" + cursor->list_cursor;
        auto list = CallRoute(ctx, router_, "GET", path);
        auto page = OutcomeOf(list);
        if (page.kind == Outcome::Kind::kRejected) return page.error;
        const auto& body = page.result.as_object();
        std::vector<std::string> ids;
        for (const auto& item : body.at("items").as_array()) ids.emplace_back(item.at("id").as_string());
        auto details = hazard_details_(ctx, ids);
        for (const auto& id : ids) {
            if (auto it = details.find(id); it != details.end())
                changes.push_back(HazardChange(id, std::move(it->second)));
        }
        next.watermark = watermark;
        const auto& list_next = body.at("next_cursor");
        if (list_next.is_string()) {
            next.phase = ChangeCursor::Phase::kSnapshot;
            next.list_cursor = std::string(list_next.as_string());
            has_more = true;
        } else {
            next.phase = ChangeCursor::Phase::kChanges;
        }
    } else {
        const int64_t last = SyncStore::LastChangeIndex(ctx.Db(), me.tenant_id);
        const int64_t after = std::min(cursor->watermark, last);
        const int64_t upto = std::min(after + limit, last);
        auto entries = SyncStore::ChangesBetween(ctx.Db(), me.tenant_id, after, upto);
        // One change per hazard however often it changed in the window, in the order of its last change.
        std::vector<std::string> hazards;
        std::set<std::string> removed_candidates;
        bool settings = false;
        bool people = false;
        for (const auto& e : entries) {
            if (e.entity_type == "hazard") {
                hazards.erase(std::remove(hazards.begin(), hazards.end(), e.entity_id), hazards.end());
                hazards.push_back(e.entity_id);
                if (WasAssignedTo(e.before_json, me.user_id)) removed_candidates.insert(e.entity_id);
            } else if (e.entity_type == "hazard_settings") {
                settings = true;
            } else if (e.entity_type == "user") {
                people = true;
            }
        }
        if (settings) changes.push_back(SettingsChange(ctx, router_));
        if (people) changes.push_back(PeopleChange(ctx));
        auto details = hazard_details_(ctx, hazards);
        for (const auto& id : hazards) {
            if (auto it = details.find(id); it != details.end()) {
                changes.push_back(HazardChange(id, std::move(it->second)));
            } else if (removed_candidates.contains(id)) {
                // It was the user's and is out of their sight now (reassigned to another team): drop it.
                changes.push_back(json::object{{"type", "hazard_removed"}, {"id", id}});
            }
        }
        next.phase = ChangeCursor::Phase::kChanges;
        next.watermark = upto;
        has_more = upto < last;
    }
    return json::object{
        {"changes", std::move(changes)}, {"next_cursor", EncodeChangeCursor(next)}, {"has_more", has_more}};
}

}  // namespace safeloop::sync
