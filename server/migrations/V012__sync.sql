-- Offline-first sync (issue 5): every mutation a phone sent, under its client id, with its outcome, so a
-- batch sent again applies nothing twice and answers what it answered the first time. Rejections that may
-- succeed later unchanged (file_missing, unknown_type, ...) are not stored (docs/sync.md).
-- recorded_at is the phone's clock when the record was made; received_at the server's when it arrived.
CREATE TABLE sync_mutations (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    id              TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    type            TEXT NOT NULL,
    status          TEXT NOT NULL,
    result_json     TEXT,
    error_json      TEXT,
    recorded_at     BIGINT,
    received_at     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- A device's history (the sync status screen, support).
CREATE INDEX sync_mutations_device ON sync_mutations (tenant_id, device_id, received_at);
