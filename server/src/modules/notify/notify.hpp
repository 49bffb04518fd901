#pragma once

// Outbound messages through a durable outbox: a message is a row first, written in the transaction of
// the event that causes it, and sent after commit by a scheduler task, retried with exponential
// backoff on the injected clock until delivered. The idempotency key makes an event produce one
// message however often it is processed.
//
// Use from any module, inside the write transaction of the event (a job handler's transaction counts):
//     notify::Enqueue(conn, clock, notify::Message{.tenant_id = t, .channel = notify::Channel::kSms,
//                     .to_user_id = supervisor, .text = "...", .ref_type = "hazard", .ref_id = hazard_id,
//                     .idempotency_key = "hazard:" + hazard_id + ":escalate_unaccepted:sms:" + supervisor});
// * kSms with an empty to_mobile: the number is read from users.mobile of to_user_id (at enqueue, and
//   again at send time if it was empty then). SMS waits with backoff while no gateway is configured.
// * kWeCom / kDingTalk: the tenant's group robot; to_mobile (or to_user_id's mobile) is @mentioned.
//   A robot that is not configured makes the message dead at once (visible in the delivery log).
// * kApp: delivered at once, in the caller's transaction: a `notifications` row for to_user_id, pushed
//   live to the user's open streams within a scheduler tick.
// Delivery is at least once per key with a narrow window (docs/notifications.md):
// a crash after the gateway accepted but before the result is recorded sends again after the lease
// expires; every request carries `Idempotency-Key: <key>` so a gateway can drop the repeat.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/db.hpp"

namespace safeloop::notify {

enum class Channel { kSms, kWeCom, kDingTalk, kApp };
std::string_view ChannelName(Channel channel);

struct Message {
    std::string tenant_id;
    Channel channel = Channel::kSms;
    std::string to_user_id;  // the person (for kApp, and to look up the mobile for kSms)
    std::string to_mobile;   // kSms: the number exactly as /users shows it
    std::string title;       // kApp and group robots
    std::string text;
    std::string ref_type;         // "hazard", "work_order", ...
    std::string ref_id;           // SMS "ref" = this id
    std::string idempotency_key;  // e.g. "hazard:<id>:escalate_unaccepted:sms:<user>"
};

// Enqueues in the caller's transaction; returns false when the key was already used (nothing added).
bool Enqueue(db::Connection& conn, const Clock& clock, const Message& message);

// The same, answering the new message's id (its outbox row), or nullopt when the key was already used.
std::optional<std::string> EnqueueReturningId(db::Connection& conn, const Clock& clock, const Message& message);

}  // namespace safeloop::notify
