#include "modules/sync/sync_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>

#include "modules/audit/audit.hpp"
#include "modules/sync/sync_store.hpp"

namespace safeloop::sync {

namespace {

namespace json = boost::json;

constexpr std::string_view kApplied = "applied";
constexpr std::string_view kRejected = "rejected";

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

// Runs one piece of work on the request's own context under another request id, and puts the request id back
// afterwards. The request's one connection serves every mutation: a second one per request could deadlock the
// pool when as many batches arrive at once as it has connections.
class ScopedRequestId {
public:
    ScopedRequestId(api::RequestContext& ctx, std::string request_id)
        : request_(ctx.req()), saved_(std::move(request_.request_id)) {
        request_.request_id = std::move(request_id);
    }
    ~ScopedRequestId() { request_.request_id = std::move(saved_); }
    ScopedRequestId(const ScopedRequestId&) = delete;
    ScopedRequestId& operator=(const ScopedRequestId&) = delete;

private:
    http::Request& request_;
    std::string saved_;
};

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
            ScopedRequestId scoped(ctx, RequestIdFor(m.id));
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
    const auto& me = ctx.user();
    const auto& feeds = registry_.feeds();
    json::array changes;
    ChangeCursor next;
    bool has_more = false;

    if (!cursor || cursor->phase == ChangeCursor::Phase::kSnapshot) {
        // The full current set, feed after feed. Its watermark is taken first: whatever changes while it is read
        // is sent again from the change sequence afterwards, so nothing falls between the two.
        const int64_t watermark = cursor ? cursor->watermark : audit::LastChangeIndex(ctx.Db(), me.tenant_id);
        size_t feed = cursor ? cursor->feed : 0;
        std::string feed_cursor = cursor ? cursor->list_cursor : std::string();
        next.watermark = watermark;
        next.phase = ChangeCursor::Phase::kChanges;
        while (feed < feeds.size()) {
            auto page = feeds[feed]->Snapshot(ctx, feed_cursor, limit);
            if (!page.ok()) return page.error();
            for (auto& change : page->changes) changes.push_back(std::move(change));
            if (page->next) {
                next.phase = ChangeCursor::Phase::kSnapshot;
                next.feed = feed;
                next.list_cursor = std::move(*page->next);
                has_more = true;
                break;
            }
            ++feed;
            feed_cursor.clear();
            if (feed < feeds.size() && changes.size() >= static_cast<size_t>(limit)) {
                // This page is full: the next feed starts on the next one.
                next.phase = ChangeCursor::Phase::kSnapshot;
                next.feed = feed;
                has_more = true;
                break;
            }
        }
    } else {
        const int64_t last = audit::LastChangeIndex(ctx.Db(), me.tenant_id);
        const int64_t after = std::min(cursor->watermark, last);
        const int64_t upto = std::min(after + limit, last);
        auto entries = audit::ChangesSince(ctx.Db(), me.tenant_id, after, upto, registry_.FollowedTypes());
        for (const auto& feed : feeds) {
            const auto followed = feed->FollowedTypes();
            std::vector<audit::Change> mine;
            for (const auto& e : entries) {
                if (std::ranges::find(followed, e.entity_type) != followed.end()) mine.push_back(e);
            }
            if (mine.empty()) continue;
            for (auto& change : feed->Details(ctx, mine)) changes.push_back(std::move(change));
        }
        next.phase = ChangeCursor::Phase::kChanges;
        next.watermark = upto;
        has_more = upto < last;
    }
    return json::object{
        {"changes", std::move(changes)}, {"next_cursor", EncodeChangeCursor(next)}, {"has_more", has_more}};
}

}  // namespace safeloop::sync
