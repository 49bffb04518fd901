#pragma once

// Outbound messages through a durable outbox: a message is a row first, written in the transaction of
// the event that causes it, and sent after commit by a scheduler task, retried with exponential
// backoff on the injected clock until delivered. The idempotency key makes an event produce one
// message however often it is processed.

#include "core/clock.hpp"
#include "db/db.hpp"

#include <optional>
#include <string>
#include <vector>

namespace safeloop::notify {

enum class Channel { kSms, kWeCom, kDingTalk, kApp };
std::string_view ChannelName(Channel channel);

struct Message {
    std::string tenant_id;
    Channel channel = Channel::kSms;
    std::string to_user_id;       // the person (for kApp, and to look up the mobile for kSms)
    std::string to_mobile;        // kSms: the number exactly as /users shows it
    std::string title;            // kApp and group robots
    std::string text;
    std::string ref_type;         // "hazard", "work_order", ...
    std::string ref_id;           // SMS "ref" = this id
    std::string idempotency_key;  // e.g. "hazard:<id>:escalate_unaccepted:sms:<user>"
};

// Enqueues in the caller's transaction; returns false when the key was already used (nothing added).
bool Enqueue(db::Connection& conn, const Clock& clock, const Message& message);

}  // namespace safeloop::notify
