#include "modules/notify/notify_store.hpp"

#include <algorithm>

namespace safeloop::notify::store {

namespace {

// ---- outbox ----

#define SAFELOOP_OUTBOX_COLUMNS                                                                               \
    "id, tenant_id, channel, to_user_id, to_mobile, title, text, ref_type, ref_id, idempotency_key, status, " \
    "attempts, next_attempt_at, locked_until, last_error, created_at, updated_at, sent_at, seq"

constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (id, tenant_id, channel, to_user_id, to_mobile, title, text, ref_type, ref_id, "
    "idempotency_key, status, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
    "ON CONFLICT (idempotency_key) DO NOTHING";

constexpr std::string_view kInsertAttempt =
    "INSERT INTO outbox_attempts (outbox_id, tenant_id, at, http_status, error, response, duration_ms) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";

constexpr std::string_view kReleaseExpiredLeases =
    "UPDATE outbox SET status = 'pending', locked_until = NULL, lease_token = NULL, next_attempt_at = $1, "
    "last_error = $2, updated_at = $1 WHERE status = 'sending' AND locked_until < $1 "
    "RETURNING " SAFELOOP_OUTBOX_COLUMNS;

// $1 now, $2 lease until, $3 lease token, $4 limit.
constexpr std::string_view kClaimSqlite =
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, locked_until = $2, lease_token = $3, "
    "updated_at = $1 WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 "
    "ORDER BY next_attempt_at, seq LIMIT $4) RETURNING " SAFELOOP_OUTBOX_COLUMNS;
constexpr std::string_view kClaimPostgres =
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, locked_until = $2, lease_token = $3, "
    "updated_at = $1 WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 "
    "ORDER BY next_attempt_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING " SAFELOOP_OUTBOX_COLUMNS;

constexpr std::string_view kMarkSent =
    "UPDATE outbox SET status = 'sent', sent_at = $3, last_error = '', locked_until = NULL, lease_token = NULL, "
    "updated_at = $3 WHERE id = $1 AND lease_token = $2 AND status = 'sending'";
constexpr std::string_view kMarkRetry =
    "UPDATE outbox SET status = 'pending', next_attempt_at = $3, last_error = $4, locked_until = NULL, "
    "lease_token = NULL, updated_at = $5 WHERE id = $1 AND lease_token = $2 AND status = 'sending'";
constexpr std::string_view kMarkDead =
    "UPDATE outbox SET status = 'dead', last_error = $3, locked_until = NULL, lease_token = NULL, updated_at = $4 "
    "WHERE id = $1 AND lease_token = $2 AND status = 'sending'";
constexpr std::string_view kRequeue =
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $3, updated_at = $3 "
    "WHERE tenant_id = $1 AND id = $2 AND status = 'dead'";

constexpr std::string_view kFindOutbox =
    "SELECT " SAFELOOP_OUTBOX_COLUMNS " FROM outbox WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kListOutbox =
    "SELECT " SAFELOOP_OUTBOX_COLUMNS
    " FROM outbox WHERE tenant_id = $1 "
    "AND (CAST($2 AS TEXT) IS NULL OR status = $2) AND (CAST($3 AS TEXT) IS NULL OR channel = $3) "
    "AND (CAST($4 AS TEXT) IS NULL OR ref_id = $4) AND (CAST($5 AS BIGINT) IS NULL OR seq < $5) "
    "ORDER BY seq DESC LIMIT $6";
constexpr std::string_view kAttemptsOf =
    "SELECT id, outbox_id, tenant_id, at, http_status, error, response, duration_ms FROM outbox_attempts "
    "WHERE outbox_id = $2 AND tenant_id = $1 ORDER BY id";
constexpr std::string_view kAttemptsForSeqRange =
    "SELECT a.id, a.outbox_id, a.tenant_id, a.at, a.http_status, a.error, a.response, a.duration_ms "
    "FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id "
    "WHERE o.tenant_id = $1 AND o.seq >= $2 AND o.seq <= $3 ORDER BY a.id";

#undef SAFELOOP_OUTBOX_COLUMNS

// ---- settings ----

constexpr std::string_view kLoadSettings =
    "SELECT value_json FROM tenant_settings WHERE tenant_id = $1 AND key = 'notify'";
constexpr std::string_view kSaveSettings =
    "INSERT INTO tenant_settings (tenant_id, key, value_json, updated_at) VALUES ($1, 'notify', $2, $3) "
    "ON CONFLICT (tenant_id, key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at";

// ---- notifications ----

constexpr std::string_view kInsertNotification =
    "INSERT INTO notifications (id, tenant_id, user_id, outbox_id, title, text, ref_type, ref_id, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kListNotifications =
    "SELECT seq, id, tenant_id, user_id, outbox_id, title, text, ref_type, ref_id, created_at, read_at "
    "FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND ($3 = 0 OR read_at IS NULL) "
    "AND (CAST($4 AS BIGINT) IS NULL OR seq < $4) ORDER BY seq DESC LIMIT $5";
constexpr std::string_view kCountUnread =
    "SELECT COUNT(*) FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL";
constexpr std::string_view kFindNotification =
    "SELECT seq, id, tenant_id, user_id, outbox_id, title, text, ref_type, ref_id, created_at, read_at "
    "FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND id = $3";
constexpr std::string_view kMarkNotificationRead =
    "UPDATE notifications SET read_at = COALESCE(read_at, $4) WHERE tenant_id = $1 AND user_id = $2 AND id = $3";
constexpr std::string_view kMarkAllRead =
    "UPDATE notifications SET read_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL";
constexpr std::string_view kNotificationsAfter =
    "SELECT seq, id, tenant_id, user_id, outbox_id, title, text, ref_type, ref_id, created_at, read_at "
    "FROM notifications WHERE seq > $1 ORDER BY seq LIMIT $2";
constexpr std::string_view kMaxNotificationSeq = "SELECT COALESCE(MAX(seq), 0) FROM notifications";

OutboxRow ReadOutbox(const db::Row& r) {
    OutboxRow o;
    o.id = r.Text(0);
    o.tenant_id = r.Text(1);
    o.channel = r.Text(2);
    o.to_user_id = r.OptText(3);
    o.to_mobile = r.Text(4);
    o.title = r.Text(5);
    o.text = r.Text(6);
    o.ref_type = r.Text(7);
    o.ref_id = r.Text(8);
    o.idempotency_key = r.Text(9);
    o.status = r.Text(10);
    o.attempts = static_cast<int>(r.Int(11));
    o.next_attempt_at = r.Int(12);
    o.locked_until = r.OptInt(13);
    o.last_error = r.Text(14);
    o.created_at = r.Int(15);
    o.updated_at = r.Int(16);
    o.sent_at = r.OptInt(17);
    o.seq = r.Int(18);
    return o;
}

std::vector<OutboxRow> ReadOutboxRows(const std::vector<db::Row>& rows) {
    std::vector<OutboxRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(ReadOutbox(r));
    return out;
}

NotificationRow ReadNotification(const db::Row& r) {
    NotificationRow n;
    n.seq = r.Int(0);
    n.id = r.Text(1);
    n.tenant_id = r.Text(2);
    n.user_id = r.Text(3);
    n.outbox_id = r.OptText(4);
    n.title = r.Text(5);
    n.text = r.Text(6);
    n.ref_type = r.Text(7);
    n.ref_id = r.Text(8);
    n.created_at = r.Int(9);
    n.read_at = r.OptInt(10);
    return n;
}

std::vector<NotificationRow> ReadNotifications(const std::vector<db::Row>& rows) {
    std::vector<NotificationRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(ReadNotification(r));
    return out;
}

}  // namespace

bool InsertOutbox(db::Connection& conn, const OutboxRow& row) {
    return conn.Exec(kInsertOutbox,
                     {row.id, row.tenant_id, row.channel, row.to_user_id, row.to_mobile, row.title, row.text,
                      row.ref_type, row.ref_id, row.idempotency_key, row.status, row.attempts, row.next_attempt_at,
                      row.last_error, row.created_at, row.updated_at, row.sent_at}) > 0;
}

void InsertAttempt(db::Connection& conn, const AttemptRow& row) {
    conn.Exec(kInsertAttempt,
              {row.outbox_id, row.tenant_id, row.at, row.http_status, row.error, row.response, row.duration_ms});
}

std::vector<OutboxRow> ReleaseExpiredLeases(db::Connection& conn, int64_t now_ms) {
    static const std::string kError =
        "发送方未回报结果（进程停止？），结果未知，将重试 / The sender did not report back (stopped?); outcome "
        "unknown, retrying";
    return ReadOutboxRows(conn.Query(kReleaseExpiredLeases, {now_ms, kError}));
}

std::vector<OutboxRow> ClaimDue(db::Connection& conn, int64_t now_ms, int64_t lease_until_ms,
                                const std::string& lease_token, size_t limit) {
    auto sql = conn.dialect() == db::Dialect::kPostgres ? kClaimPostgres : kClaimSqlite;
    auto rows = ReadOutboxRows(conn.Query(sql, {now_ms, lease_until_ms, lease_token, limit}));
    // RETURNING does not keep the subquery's order.
    std::sort(rows.begin(), rows.end(), [](const OutboxRow& a, const OutboxRow& b) {
        return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at : a.seq < b.seq;
    });
    return rows;
}

bool MarkSent(db::Connection& conn, const std::string& id, const std::string& lease_token, int64_t now_ms) {
    return conn.Exec(kMarkSent, {id, lease_token, now_ms}) > 0;
}

bool MarkRetry(db::Connection& conn, const std::string& id, const std::string& lease_token, int64_t next_attempt_ms,
               const std::string& error, int64_t now_ms) {
    return conn.Exec(kMarkRetry, {id, lease_token, next_attempt_ms, error, now_ms}) > 0;
}

bool MarkDead(db::Connection& conn, const std::string& id, const std::string& lease_token, const std::string& error,
              int64_t now_ms) {
    return conn.Exec(kMarkDead, {id, lease_token, error, now_ms}) > 0;
}

bool Requeue(db::Connection& conn, const std::string& tenant_id, const std::string& id, int64_t now_ms) {
    return conn.Exec(kRequeue, {tenant_id, id, now_ms}) > 0;
}

std::optional<OutboxRow> FindOutbox(db::Connection& conn, const std::string& tenant_id, const std::string& id) {
    auto row = conn.QueryOne(kFindOutbox, {tenant_id, id});
    if (!row) return std::nullopt;
    return ReadOutbox(*row);
}

std::vector<OutboxRow> ListOutbox(db::Connection& conn, const OutboxFilter& f) {
    return ReadOutboxRows(conn.Query(kListOutbox, {f.tenant_id, f.status, f.channel, f.ref_id, f.before_seq, f.limit}));
}

namespace {

std::vector<AttemptRow> ReadAttempts(const std::vector<db::Row>& rows) {
    std::vector<AttemptRow> out;
    for (const auto& r : rows) {
        AttemptRow a;
        a.id = r.Int(0);
        a.outbox_id = r.Text(1);
        a.tenant_id = r.Text(2);
        a.at = r.Int(3);
        a.http_status = r.OptInt(4);
        a.error = r.Text(5);
        a.response = r.Text(6);
        a.duration_ms = r.Int(7);
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

std::vector<AttemptRow> AttemptsOf(db::Connection& conn, const std::string& tenant_id, const std::string& outbox_id) {
    return ReadAttempts(conn.Query(kAttemptsOf, {tenant_id, outbox_id}));
}

std::vector<AttemptRow> AttemptsForSeqRange(db::Connection& conn, const std::string& tenant_id, int64_t min_seq,
                                            int64_t max_seq) {
    return ReadAttempts(conn.Query(kAttemptsForSeqRange, {tenant_id, min_seq, max_seq}));
}

std::optional<std::string> LoadSettingsJson(db::Connection& conn, const std::string& tenant_id) {
    auto row = conn.QueryOne(kLoadSettings, {tenant_id});
    if (!row) return std::nullopt;
    return row->Text(0);
}

void SaveSettingsJson(db::Connection& conn, const std::string& tenant_id, const std::string& json, int64_t now_ms) {
    conn.Exec(kSaveSettings, {tenant_id, json, now_ms});
}

void InsertNotification(db::Connection& conn, const NotificationRow& row) {
    conn.Exec(kInsertNotification, {row.id, row.tenant_id, row.user_id, row.outbox_id, row.title, row.text,
                                    row.ref_type, row.ref_id, row.created_at});
}

std::vector<NotificationRow> ListNotifications(db::Connection& conn, const NotificationFilter& f) {
    return ReadNotifications(
        conn.Query(kListNotifications, {f.tenant_id, f.user_id, f.unread_only ? 1 : 0, f.before_seq, f.limit}));
}

int64_t CountUnread(db::Connection& conn, const std::string& tenant_id, const std::string& user_id) {
    return conn.QueryOne(kCountUnread, {tenant_id, user_id})->Int(0);
}

std::optional<NotificationRow> FindNotification(db::Connection& conn, const std::string& tenant_id,
                                                const std::string& user_id, const std::string& id) {
    auto row = conn.QueryOne(kFindNotification, {tenant_id, user_id, id});
    if (!row) return std::nullopt;
    return ReadNotification(*row);
}

bool MarkNotificationRead(db::Connection& conn, const std::string& tenant_id, const std::string& user_id,
                          const std::string& id, int64_t now_ms) {
    return conn.Exec(kMarkNotificationRead, {tenant_id, user_id, id, now_ms}) > 0;
}

int64_t MarkAllNotificationsRead(db::Connection& conn, const std::string& tenant_id, const std::string& user_id,
                                 int64_t now_ms) {
    return conn.Exec(kMarkAllRead, {tenant_id, user_id, now_ms});
}

std::vector<NotificationRow> NotificationsAfter(db::Connection& conn, int64_t seq, size_t limit) {
    return ReadNotifications(conn.Query(kNotificationsAfter, {seq, limit}));
}

int64_t MaxNotificationSeq(db::Connection& conn) { return conn.QueryOne(kMaxNotificationSeq)->Int(0); }

}  // namespace safeloop::notify::store
