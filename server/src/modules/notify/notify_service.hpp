#pragma once

// Outbound messaging's use cases and its two scheduler tasks.
//
// RunOutbox ("outbox" task): releases leases of senders that stopped mid-send, leases due messages
// (status sending, one process only), sends them concurrently OUTSIDE any transaction, then records each
// outcome in its own transaction: sent, pending again after RetryDelay(attempts), or dead.
// PollLive ("notifications.live" task): pushes notifications that any server wrote to the streams open
// on this one.

#include <boost/json/object.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"
#include "modules/notify/live_hub.hpp"
#include "modules/notify/notify.hpp"
#include "modules/notify/notify_http.hpp"
#include "modules/notify/notify_rules.hpp"
#include "modules/notify/notify_store.hpp"

namespace safeloop::notify {

struct NotifyOptions {
    HttpSenderOptions http;
    size_t batch = 50;  // messages leased and sent per pass (sent concurrently)
};

// PUT /settings/notify, validated for shape by the routes. A DingTalk secret of nullopt keeps the stored
// one (also when the client sends back the mask GET showed); "" means an unsigned robot.
struct DingTalkInput {
    std::string webhook;
    std::optional<std::string> secret;
};
struct SettingsInput {
    std::optional<SmsSettings> sms;
    std::optional<WeComSettings> wecom;
    std::optional<DingTalkInput> dingtalk;
};

struct OutboxItem {
    store::OutboxRow message;
    std::vector<store::AttemptRow> attempts;  // the delivery log, oldest first
};
struct OutboxPage {
    std::vector<OutboxItem> items;
    std::optional<std::string> next_cursor;
};
struct NotificationPage {
    std::vector<store::NotificationRow> items;
    std::optional<std::string> next_cursor;
    int64_t unread_count = 0;
};

// The JSON of one in-app notification (list items and live events).
boost::json::object NotificationJson(const store::NotificationRow& n);

class NotifyService {
public:
    NotifyService(NotifyOptions options, std::unique_ptr<HttpSender> sender);

    // ---- scheduler tasks ----
    size_t RunOutbox(db::Pool& pool, const Clock& clock);
    size_t PollLive(db::Pool& pool);

    // ---- settings ----
    boost::json::object GetSettings(api::RequestContext& ctx);
    Result<boost::json::object> PutSettings(api::RequestContext& ctx, const SettingsInput& input);
    // Enqueues a test message on a configured channel; answers its outbox id. `to`: a mobile (SMS: the
    // recipient, default the caller's own; robots: who is @mentioned).
    Result<std::string> SendTest(api::RequestContext& ctx, Channel channel, const std::optional<std::string>& to);

    // ---- delivery log ----
    OutboxPage ListOutbox(api::RequestContext& ctx, const store::OutboxFilter& filter);
    Result<OutboxItem> GetOutbox(api::RequestContext& ctx, const std::string& id);
    // A dead message back to pending, due now, with a fresh attempt budget.
    Result<OutboxItem> Retry(api::RequestContext& ctx, const std::string& id);

    // ---- in-app ----
    NotificationPage ListNotifications(api::RequestContext& ctx, const store::NotificationFilter& filter);
    Result<store::NotificationRow> MarkRead(api::RequestContext& ctx, const std::string& id);
    int64_t MarkAllRead(api::RequestContext& ctx);
    // A live stream for the caller; its first event is "ready" with the unread count.
    std::shared_ptr<http::EventStream> OpenStream(api::RequestContext& ctx);

    LiveHub& hub() { return hub_; }
    // Ends every open stream (server shutdown).
    void Shutdown() { hub_.CloseAll(); }

private:
    void Record(db::Connection& conn, const Clock& clock, const store::OutboxRow& message, const BuiltRequest& built,
                const HttpOutcome* outcome, const std::string& lease_token);
    std::vector<store::AttemptRow> AttemptsOf(db::Connection& conn, const store::OutboxRow& message);

    NotifyOptions options_;
    std::unique_ptr<HttpSender> sender_;
    LiveHub hub_;
    std::mutex live_mutex_;
    SeqTracker live_tracker_;
};

// The tenant's channel settings (none configured when the row is missing or unreadable).
NotifySettings LoadSettings(db::Connection& conn, const std::string& tenant_id);

}  // namespace safeloop::notify
