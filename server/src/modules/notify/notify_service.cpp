#include "modules/notify/notify_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <map>

#include "api/json_body.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "modules/audit/audit.hpp"
#include "modules/org/org_directory.hpp"

namespace safeloop::notify {

namespace {

constexpr size_t kLeaseTokenBytes = 16;
constexpr size_t kLivePollLimit = 500;
constexpr int64_t kDenseSpanFactor = 4;

boost::json::value OptTime(const std::optional<int64_t>& ms) {
    if (!ms) return nullptr;
    return boost::json::value(FormatRfc3339(FromUnixMillis(*ms)));
}

OutboundMessage ToOutbound(const store::OutboxRow& row) {
    OutboundMessage m;
    m.id = row.id;
    m.channel = ParseChannel(row.channel).value_or(Channel::kSms);
    m.to_mobile = row.to_mobile;
    m.title = row.title;
    m.text = row.text;
    m.ref_id = row.ref_id;
    m.idempotency_key = row.idempotency_key;
    return m;
}

bool IsConfigured(const NotifySettings& settings, Channel channel) {
    switch (channel) {
        case Channel::kSms: return settings.sms.has_value();
        case Channel::kWeCom: return settings.wecom.has_value();
        case Channel::kDingTalk: return settings.dingtalk.has_value();
        case Channel::kApp: return true;
    }
    return false;
}

AppError NotFound() { return AppError{"not_found", "消息不存在 / No such message", {}, {}}; }

}  // namespace

boost::json::object NotificationJson(const store::NotificationRow& n) {
    boost::json::object o;
    o["id"] = n.id;
    o["title"] = n.title;
    o["text"] = n.text;
    o["ref_type"] = n.ref_type;
    o["ref_id"] = n.ref_id;
    o["created_at"] = FormatRfc3339(FromUnixMillis(n.created_at));
    o["read_at"] = OptTime(n.read_at);
    return o;
}

NotifySettings LoadSettings(db::Connection& conn, const std::string& tenant_id) {
    auto text = store::LoadSettingsJson(conn, tenant_id);
    if (!text) return {};
    auto parsed = api::ParseJson(*text);
    if (!parsed.ok()) {
        spdlog::warn("tenant {}: stored notify settings are not JSON; treating every channel as unconfigured",
                     tenant_id);
        return {};
    }
    return SettingsFromStored(parsed.value());
}

NotifyService::NotifyService(NotifyOptions options, std::unique_ptr<HttpSender> sender)
    : options_(options), sender_(std::move(sender)) {}

// ---- scheduler tasks ----

size_t NotifyService::RunOutbox(db::Pool& pool, const Clock& clock) {
    const std::string token = HexEncode(RandomBytes(kLeaseTokenBytes));
    std::vector<store::OutboxRow> claimed;
    std::map<std::string, NotifySettings> settings;  // by tenant
    size_t released = 0;
    {
        auto lease = pool.Acquire();
        db::Connection& conn = *lease;
        const TimePoint now = clock.Now();
        const int64_t now_ms = ToUnixMillis(now);
        db::Transaction tx(conn, db::TxMode::kWrite);
        for (const auto& stale : store::ReleaseExpiredLeases(conn, now_ms)) {
            spdlog::warn("outbox {}: the sender's lease expired mid-send; outcome unknown, sending again", stale.id);
            store::InsertAttempt(conn, {0, stale.id, stale.tenant_id, now_ms, std::nullopt, stale.last_error, "", 0});
            ++released;
        }
        claimed = store::ClaimDue(conn, now_ms, ToUnixMillis(now + kSendLease), token, options_.batch);
        for (auto& message : claimed) {
            if (message.to_mobile.empty() && message.to_user_id && message.channel != ChannelName(Channel::kApp)) {
                message.to_mobile = org::UserMobile(conn, message.tenant_id, *message.to_user_id).value_or("");
            }
            if (!settings.contains(message.tenant_id))
                settings[message.tenant_id] = LoadSettings(conn, message.tenant_id);
        }
        tx.Commit();
    }
    if (claimed.empty()) return released;

    // Build every request, then send them together, outside any transaction.
    const TimePoint send_time = clock.Now();
    std::vector<BuiltRequest> built;
    std::vector<HttpPost> posts;
    std::vector<size_t> post_of(claimed.size(), SIZE_MAX);
    built.reserve(claimed.size());
    for (size_t i = 0; i < claimed.size(); ++i) {
        built.push_back(BuildRequest(ToOutbound(claimed[i]), settings[claimed[i].tenant_id], send_time));
        if (built.back().post) {
            post_of[i] = posts.size();
            posts.push_back(*built.back().post);
        }
    }
    std::vector<HttpOutcome> outcomes = sender_->PostAll(posts);

    auto lease = pool.Acquire();
    for (size_t i = 0; i < claimed.size(); ++i) {
        const HttpOutcome* outcome = post_of[i] == SIZE_MAX ? nullptr : &outcomes[post_of[i]];
        try {
            Record(*lease, clock, claimed[i], built[i], outcome, token);
        } catch (const std::exception& e) {
            // The lease runs out and the message is tried again: at least once, never lost.
            spdlog::error("outbox {}: could not record the outcome ({}); it is retried after its lease", claimed[i].id,
                          e.what());
        }
    }
    return claimed.size() + released;
}

void NotifyService::Record(db::Connection& conn, const Clock& clock, const store::OutboxRow& message,
                           const BuiltRequest& built, const HttpOutcome* outcome, const std::string& lease_token) {
    const TimePoint now = clock.Now();
    const int64_t now_ms = ToUnixMillis(now);
    store::AttemptRow attempt{0, message.id, message.tenant_id, now_ms, std::nullopt, "", "", 0};
    Judgement judgement;
    bool permanent = false;
    if (outcome == nullptr) {
        judgement = {false, built.error};
        permanent = built.permanent;
    } else {
        if (outcome->status != 0) attempt.http_status = outcome->status;
        attempt.response = LogExcerpt(outcome->body, kMaxLoggedResponseBytes);
        attempt.duration_ms = outcome->duration_ms;
        judgement = Judge(ParseChannel(message.channel).value_or(Channel::kSms),
                          Answer{outcome->status, outcome->body, outcome->error});
    }
    attempt.error = LogExcerpt(judgement.error, kMaxLoggedErrorBytes);

    db::Transaction tx(conn, db::TxMode::kWrite);
    store::InsertAttempt(conn, attempt);
    bool ours = false;
    if (judgement.accepted) {
        ours = store::MarkSent(conn, message.id, lease_token, now_ms);
    } else if (AfterFailure(message.attempts, permanent) == Verdict::kDead) {
        spdlog::warn("outbox {} ({}) is dead after {} attempt(s): {}", message.id, message.channel, message.attempts,
                     attempt.error);
        ours = store::MarkDead(conn, message.id, lease_token, attempt.error, now_ms);
    } else {
        const TimePoint next = now + RetryDelay(message.attempts);
        ours = store::MarkRetry(conn, message.id, lease_token, ToUnixMillis(next), attempt.error, now_ms);
    }
    if (!ours) spdlog::warn("outbox {}: lease lost before the outcome was recorded", message.id);
    tx.Commit();
}

size_t NotifyService::PollLive(db::Pool& pool) {
    std::lock_guard lock(live_mutex_);
    auto lease = pool.Acquire();
    if (!live_tracker_.started()) {
        // Streams carry what is new from now on; what came before is in GET /notifications.
        live_tracker_.Start(store::MaxNotificationSeq(*lease));
        return 0;
    }
    hub_.Prune();
    const auto now = std::chrono::steady_clock::now();
    for (const auto& n : store::NotificationsAfter(*lease, live_tracker_.QueryAfter(), kLivePollLimit)) {
        if (!live_tracker_.Accept(n.seq, now)) continue;
        hub_.Publish(n.user_id, SseFrame("notification", boost::json::serialize(NotificationJson(n))));
    }
    live_tracker_.Expire(now);
    return 0;  // pushing is not due work: it never asks the scheduler for another pass
}

// ---- settings ----

boost::json::object NotifyService::GetSettings(api::RequestContext& ctx) {
    return SettingsToPublic(LoadSettings(ctx.Db(), ctx.user().tenant_id));
}

Result<boost::json::object> NotifyService::PutSettings(api::RequestContext& ctx, const SettingsInput& input) {
    db::Connection& conn = ctx.Db();
    const std::string& tenant = ctx.user().tenant_id;
    db::Transaction tx(conn, db::TxMode::kWrite);
    NotifySettings before = LoadSettings(conn, tenant);
    NotifySettings after;
    after.sms = input.sms;
    after.wecom = input.wecom;
    if (input.dingtalk) {
        std::string secret;
        const std::string stored = before.dingtalk ? before.dingtalk->secret : "";
        if (!input.dingtalk->secret || (!stored.empty() && *input.dingtalk->secret == MaskSecret(stored))) {
            secret = stored;  // kept: not sent, or sent back as shown
        } else {
            secret = *input.dingtalk->secret;
        }
        after.dingtalk = DingTalkSettings{input.dingtalk->webhook, secret};
    }
    store::SaveSettingsJson(conn, tenant, boost::json::serialize(SettingsToStored(after)), ToUnixMillis(ctx.Now()));
    audit::Record(ctx, "notify.settings.update", "tenant_settings", "notify", SettingsToPublic(before),
                  SettingsToPublic(after));
    tx.Commit();
    return SettingsToPublic(after);
}

Result<std::string> NotifyService::SendTest(api::RequestContext& ctx, Channel channel,
                                            const std::optional<std::string>& to) {
    db::Connection& conn = ctx.Db();
    const auto& user = ctx.user();
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (!IsConfigured(LoadSettings(conn, user.tenant_id), channel)) {
        return AppError{"channel_not_configured",
                        fmt::format("此渠道尚未配置 / The {} channel is not configured", ChannelName(channel)),
                        {},
                        {}};
    }
    Message message;
    message.tenant_id = user.tenant_id;
    message.channel = channel;
    if (channel == Channel::kApp) {
        message.to_user_id = user.user_id;  // an in-app test goes to the caller
    } else if (to) {
        message.to_mobile = *to;
    } else if (channel == Channel::kSms) {
        message.to_user_id = user.user_id;
        if (org::UserMobile(conn, user.tenant_id, user.user_id).value_or("").empty()) {
            return AppError::Validation("to",
                                        "您的账号没有手机号，请填写接收号码 / Your account has no mobile; give one");
        }
    }
    const std::string test_id = NewUuidV7(ctx.clock());
    message.title = "SafeLoop 测试消息 / Test message";
    message.text = fmt::format(
        "【安全闭环】这是一条测试消息，通知渠道工作正常。 / This is a SafeLoop test message: the "
        "channel works. ({})",
        FormatRfc3339(ctx.Now()));
    message.ref_type = "notify_test";
    message.ref_id = test_id;
    message.idempotency_key = "notify.test:" + test_id;
    auto id = EnqueueReturningId(conn, ctx.clock(), message);
    if (!id) throw std::logic_error("a fresh test message key was already used");
    boost::json::object after{{"outbox_id", *id}, {"channel", ChannelName(channel)}};
    audit::Record(ctx, "notify.test", "outbox", *id, nullptr, std::move(after));
    tx.Commit();
    return *id;
}

// ---- delivery log ----

std::vector<store::AttemptRow> NotifyService::AttemptsOf(db::Connection& conn, const store::OutboxRow& message) {
    return store::AttemptsOf(conn, message.tenant_id, message.id);
}

OutboxPage NotifyService::ListOutbox(api::RequestContext& ctx, const store::OutboxFilter& filter) {
    db::Connection& conn = ctx.Db();
    store::OutboxFilter query = filter;
    query.tenant_id = ctx.user().tenant_id;
    query.limit = filter.limit + 1;  // one more tells whether there is a next page
    auto rows = store::ListOutbox(conn, query);
    OutboxPage page;
    if (static_cast<int64_t>(rows.size()) > filter.limit) {
        rows.resize(static_cast<size_t>(filter.limit));
        page.next_cursor = std::to_string(rows.back().seq);
    }
    if (rows.empty()) return page;
    // The page spans [last seq, first seq]. When the filter kept most of that range, one query reads the
    // whole page's log (rows the filter left out are ignored); a sparse page reads each message's log.
    const int64_t span = rows.front().seq - rows.back().seq + 1;
    if (span > kDenseSpanFactor * static_cast<int64_t>(rows.size())) {
        for (auto& row : rows) {
            auto attempts = AttemptsOf(conn, row);
            page.items.push_back({std::move(row), std::move(attempts)});
        }
        return page;
    }
    std::map<std::string, std::vector<store::AttemptRow>> log;
    for (auto& a : store::AttemptsForSeqRange(conn, query.tenant_id, rows.back().seq, rows.front().seq)) {
        log[a.outbox_id].push_back(std::move(a));
    }
    for (auto& row : rows) {
        auto it = log.find(row.id);
        page.items.push_back(
            {std::move(row), it == log.end() ? std::vector<store::AttemptRow>{} : std::move(it->second)});
    }
    return page;
}

Result<OutboxItem> NotifyService::GetOutbox(api::RequestContext& ctx, const std::string& id) {
    db::Connection& conn = ctx.Db();
    auto row = store::FindOutbox(conn, ctx.user().tenant_id, id);
    if (!row) return NotFound();
    auto attempts = AttemptsOf(conn, *row);
    return OutboxItem{std::move(*row), std::move(attempts)};
}

Result<OutboxItem> NotifyService::Retry(api::RequestContext& ctx, const std::string& id) {
    db::Connection& conn = ctx.Db();
    const std::string& tenant = ctx.user().tenant_id;
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = store::FindOutbox(conn, tenant, id);
    if (!before) return NotFound();
    if (!store::Requeue(conn, tenant, id, ToUnixMillis(ctx.Now()))) {
        return AppError::Conflict(
            "invalid_transition",
            "只有已放弃（dead）的消息可以重发 / Only a dead message can be retried (this one is " + before->status +
                ")");
    }
    audit::Record(ctx, "notify.retry", "outbox", id, boost::json::object{{"status", before->status}},
                  boost::json::object{{"status", "pending"}});
    auto after = store::FindOutbox(conn, tenant, id);
    auto attempts = AttemptsOf(conn, *after);
    tx.Commit();
    return OutboxItem{std::move(*after), std::move(attempts)};
}

// ---- in-app ----

NotificationPage NotifyService::ListNotifications(api::RequestContext& ctx, const store::NotificationFilter& filter) {
    db::Connection& conn = ctx.Db();
    store::NotificationFilter query = filter;
    query.tenant_id = ctx.user().tenant_id;
    query.user_id = ctx.user().user_id;
    query.limit = filter.limit + 1;
    NotificationPage page;
    page.items = store::ListNotifications(conn, query);
    if (static_cast<int64_t>(page.items.size()) > filter.limit) {
        page.items.resize(static_cast<size_t>(filter.limit));
        page.next_cursor = std::to_string(page.items.back().seq);
    }
    page.unread_count = store::CountUnread(conn, query.tenant_id, query.user_id);
    return page;
}

Result<store::NotificationRow> NotifyService::MarkRead(api::RequestContext& ctx, const std::string& id) {
    db::Connection& conn = ctx.Db();
    const auto& user = ctx.user();
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (!store::MarkNotificationRead(conn, user.tenant_id, user.user_id, id, ToUnixMillis(ctx.Now()))) {
        return AppError{"not_found", "通知不存在 / No such notification", {}, {}};
    }
    auto row = store::FindNotification(conn, user.tenant_id, user.user_id, id);
    tx.Commit();
    return std::move(*row);
}

int64_t NotifyService::MarkAllRead(api::RequestContext& ctx) {
    db::Connection& conn = ctx.Db();
    const auto& user = ctx.user();
    db::Transaction tx(conn, db::TxMode::kWrite);
    int64_t n = store::MarkAllNotificationsRead(conn, user.tenant_id, user.user_id, ToUnixMillis(ctx.Now()));
    tx.Commit();
    return n;
}

std::shared_ptr<http::EventStream> NotifyService::OpenStream(api::RequestContext& ctx) {
    const auto& user = ctx.user();
    const int64_t unread = store::CountUnread(ctx.Db(), user.tenant_id, user.user_id);
    auto stream = hub_.Subscribe(user.user_id);
    stream->Push("retry: 3000\n\n");
    stream->Push(SseFrame("ready", boost::json::serialize(boost::json::object{{"unread_count", unread}})));
    return stream;
}

}  // namespace safeloop::notify
