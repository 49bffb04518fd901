#include "modules/notify/notify.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "core/ids.hpp"
#include "modules/notify/notify_store.hpp"
#include "modules/org/org_directory.hpp"

namespace safeloop::notify {

namespace {

bool NeedsMobile(Channel channel) { return channel != Channel::kApp; }

}  // namespace

bool Enqueue(db::Connection& conn, const Clock& clock, const Message& message) {
    return EnqueueReturningId(conn, clock, message).has_value();
}

std::optional<std::string> EnqueueReturningId(db::Connection& conn, const Clock& clock, const Message& message) {
    if (message.tenant_id.empty()) throw std::invalid_argument("notify::Enqueue: tenant_id is required");
    const int64_t now = ToUnixMillis(clock.Now());

    store::OutboxRow row;
    row.id = NewUuidV7(clock);
    row.tenant_id = message.tenant_id;
    row.channel = std::string(ChannelName(message.channel));
    if (!message.to_user_id.empty()) row.to_user_id = message.to_user_id;
    row.to_mobile = message.to_mobile;
    row.title = message.title;
    row.text = message.text;
    row.ref_type = message.ref_type;
    row.ref_id = message.ref_id;
    row.idempotency_key = message.idempotency_key.empty() ? "outbox:" + row.id : message.idempotency_key;
    row.status = "pending";
    row.next_attempt_at = now;
    row.created_at = now;
    row.updated_at = now;

    std::optional<std::string> user_mobile;  // set when to_user_id names a user of the tenant
    if (!message.to_user_id.empty()) user_mobile = org::UserMobile(conn, message.tenant_id, message.to_user_id);
    if (NeedsMobile(message.channel) && row.to_mobile.empty() && user_mobile) row.to_mobile = *user_mobile;

    const bool in_app = message.channel == Channel::kApp;
    if (in_app) {
        if (!user_mobile) {
            // Not the caller's fault to be rolled back for: the message is kept, dead, with the reason.
            row.status = "dead";
            row.last_error = "站内消息的收件人不存在 / The in-app recipient is not a user of this tenant";
        } else {
            row.status = "sent";
            row.attempts = 1;
            row.sent_at = now;
        }
    }
    if (!store::InsertOutbox(conn, row)) return std::nullopt;
    if (row.status == "dead") spdlog::warn("outbox {}: {}", row.id, row.last_error);
    if (in_app && row.status == "sent") {
        store::NotificationRow n;
        n.id = NewUuidV7(clock);
        n.tenant_id = row.tenant_id;
        n.user_id = message.to_user_id;
        n.outbox_id = row.id;
        n.title = row.title;
        n.text = row.text;
        n.ref_type = row.ref_type;
        n.ref_id = row.ref_id;
        n.created_at = now;
        store::InsertNotification(conn, n);
        store::InsertAttempt(conn, store::AttemptRow{0, row.id, row.tenant_id, now, std::nullopt, "", "", 0});
    }
    return row.id;
}

}  // namespace safeloop::notify
