-- Durable jobs, the outbound message outbox with its delivery log, and in-app notifications.
-- Portable SQL for SQLite and PostgreSQL (see server/src/db/db.hpp). Times are UTC milliseconds.

-- A job is due work on the injected clock (jobs/job_queue.hpp). One row per (kind, dedupe_key), so an
-- event that is processed twice schedules one job. status: pending, done, failed, cancelled.
CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    kind            TEXT NOT NULL,
    ref_id          TEXT NOT NULL DEFAULT '',
    dedupe_key      TEXT NOT NULL,
    payload_json    TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'pending',
    due_at          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    lease_token     TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    UNIQUE (kind, dedupe_key)
);
CREATE INDEX jobs_due ON jobs (status, due_at);
CREATE INDEX jobs_ref ON jobs (kind, ref_id);

-- One row per outbound message (modules/notify/notify.hpp), written in the transaction of the event.
-- status: pending -> sending (leased by one sender) -> sent, or back to pending with a later
-- next_attempt_at, or dead after too many attempts / an unusable channel.
-- seq orders the delivery log (ids share a millisecond under a manual clock) and is its list cursor.
CREATE TABLE outbox (
    seq              {{SERIAL_PK}},
    id               TEXT NOT NULL UNIQUE,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    channel          TEXT NOT NULL,
    to_user_id       TEXT,
    to_mobile        TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL DEFAULT '',
    text             TEXT NOT NULL,
    ref_type         TEXT NOT NULL DEFAULT '',
    ref_id           TEXT NOT NULL DEFAULT '',
    idempotency_key  TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL DEFAULT 'pending',
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT,
    lease_token      TEXT,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_tenant ON outbox (tenant_id, seq);
CREATE INDEX outbox_tenant_ref ON outbox (tenant_id, ref_id);

-- The delivery log: one row per try, with what the gateway answered.
CREATE TABLE outbox_attempts (
    id               {{SERIAL_PK}},
    outbox_id        TEXT NOT NULL REFERENCES outbox(id),
    tenant_id        TEXT NOT NULL,
    at               BIGINT NOT NULL,
    http_status      BIGINT,
    error            TEXT NOT NULL DEFAULT '',
    response         TEXT NOT NULL DEFAULT '',
    duration_ms      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (outbox_id, id);

-- In-app messages (channel "app"). seq orders them for the live poller and the list cursor.
CREATE TABLE notifications (
    seq              {{SERIAL_PK}},
    id               TEXT NOT NULL UNIQUE,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    user_id          TEXT NOT NULL,
    outbox_id        TEXT,
    title            TEXT NOT NULL DEFAULT '',
    text             TEXT NOT NULL,
    ref_type         TEXT NOT NULL DEFAULT '',
    ref_id           TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    read_at          BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, seq);
