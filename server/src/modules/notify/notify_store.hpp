#pragma once

// Every SQL statement of outbound messaging: tables outbox, outbox_attempts and notifications (V010),
// the tenant_settings row with key "notify", and one read of another module's table: users.mobile (and
// users.tenant_id) by user id, so that an SMS enqueued for a person goes to the number /users shows.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"

namespace safeloop::notify::store {

struct OutboxRow {
    int64_t seq = 0;  // creation order (set by the database)
    std::string id;
    std::string tenant_id;
    std::string channel;
    std::optional<std::string> to_user_id;
    std::string to_mobile;
    std::string title;
    std::string text;
    std::string ref_type;
    std::string ref_id;
    std::string idempotency_key;
    std::string status;  // pending, sending, sent, dead
    int attempts = 0;
    int64_t next_attempt_at = 0;
    std::optional<int64_t> locked_until;
    std::string last_error;
    int64_t created_at = 0;
    int64_t updated_at = 0;
    std::optional<int64_t> sent_at;
};

struct AttemptRow {
    int64_t id = 0;
    std::string outbox_id;
    std::string tenant_id;
    int64_t at = 0;
    std::optional<int64_t> http_status;
    std::string error;
    std::string response;
    int64_t duration_ms = 0;
};

struct NotificationRow {
    int64_t seq = 0;
    std::string id;
    std::string tenant_id;
    std::string user_id;
    std::optional<std::string> outbox_id;
    std::string title;
    std::string text;
    std::string ref_type;
    std::string ref_id;
    int64_t created_at = 0;
    std::optional<int64_t> read_at;
};

// ---- outbox ----

// ON CONFLICT (idempotency_key) DO NOTHING; true when the row was added.
bool InsertOutbox(db::Connection& conn, const OutboxRow& row);
void InsertAttempt(db::Connection& conn, const AttemptRow& row);

// Messages whose sender's lease ran out while `sending` (the process stopped mid-send): back to pending,
// due now. Returns them, so the caller can log an attempt with an unknown outcome.
std::vector<OutboxRow> ReleaseExpiredLeases(db::Connection& conn, int64_t now_ms);

// Leases up to `limit` due pending messages to `lease_token` (status sending, attempts + 1), oldest due
// first. PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent senders take different rows.
std::vector<OutboxRow> ClaimDue(db::Connection& conn, int64_t now_ms, int64_t lease_until_ms,
                                const std::string& lease_token, size_t limit);

// Outcome of a send, applied only while the lease is still ours (false otherwise).
bool MarkSent(db::Connection& conn, const std::string& id, const std::string& lease_token, int64_t now_ms);
bool MarkRetry(db::Connection& conn, const std::string& id, const std::string& lease_token, int64_t next_attempt_ms,
               const std::string& error, int64_t now_ms);
bool MarkDead(db::Connection& conn, const std::string& id, const std::string& lease_token, const std::string& error,
              int64_t now_ms);

// A dead message back to pending (due now, attempts from zero); false when it is not dead.
bool Requeue(db::Connection& conn, const std::string& tenant_id, const std::string& id, int64_t now_ms);

std::optional<OutboxRow> FindOutbox(db::Connection& conn, const std::string& tenant_id, const std::string& id);

struct OutboxFilter {
    std::string tenant_id;
    std::optional<std::string> status;
    std::optional<std::string> channel;
    std::optional<std::string> ref_id;
    std::optional<int64_t> before_seq;  // cursor
    int64_t limit = 50;
};
// Newest first.
std::vector<OutboxRow> ListOutbox(db::Connection& conn, const OutboxFilter& filter);
// The attempts of one message, oldest first.
std::vector<AttemptRow> AttemptsOf(db::Connection& conn, const std::string& tenant_id, const std::string& outbox_id);
// The attempts of the tenant's messages whose seq lies in [min_seq, max_seq] (a list page), oldest first.
std::vector<AttemptRow> AttemptsForSeqRange(db::Connection& conn, const std::string& tenant_id, int64_t min_seq,
                                            int64_t max_seq);

// ---- settings ----

std::optional<std::string> LoadSettingsJson(db::Connection& conn, const std::string& tenant_id);
void SaveSettingsJson(db::Connection& conn, const std::string& tenant_id, const std::string& json, int64_t now_ms);

// ---- notifications ----

void InsertNotification(db::Connection& conn, const NotificationRow& row);

struct NotificationFilter {
    std::string tenant_id;
    std::string user_id;
    bool unread_only = false;
    std::optional<int64_t> before_seq;  // cursor
    int64_t limit = 50;
};
// Newest first.
std::vector<NotificationRow> ListNotifications(db::Connection& conn, const NotificationFilter& filter);
int64_t CountUnread(db::Connection& conn, const std::string& tenant_id, const std::string& user_id);
std::optional<NotificationRow> FindNotification(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& user_id, const std::string& id);
// Marks one read (keeps the first read time); false when it is not the user's.
bool MarkNotificationRead(db::Connection& conn, const std::string& tenant_id, const std::string& user_id,
                          const std::string& id, int64_t now_ms);
int64_t MarkAllNotificationsRead(db::Connection& conn, const std::string& tenant_id, const std::string& user_id,
                                 int64_t now_ms);

// For the live poller: every tenant's notifications after `seq`, in seq order.
std::vector<NotificationRow> NotificationsAfter(db::Connection& conn, int64_t seq, size_t limit);
int64_t MaxNotificationSeq(db::Connection& conn);

}  // namespace safeloop::notify::store
