-- Resumable chunked uploads (issue 5): a session per tenant and content hash, its chunks stored as they
-- arrive (in the database, so partial data survives a restart and every node sharing PostgreSQL sees it).
-- On completion the bytes are checked against sha256, stored through the files service and the session
-- is deleted.
CREATE TABLE file_uploads (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    user_id         TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            BIGINT NOT NULL,
    content_type    TEXT NOT NULL,
    received        BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX file_uploads_tenant_sha ON file_uploads (tenant_id, sha256);
CREATE INDEX file_uploads_updated ON file_uploads (updated_at);

CREATE TABLE file_upload_chunks (
    upload_id       TEXT NOT NULL REFERENCES file_uploads(id),
    offset_bytes    BIGINT NOT NULL,
    data            {{BLOB}} NOT NULL,
    PRIMARY KEY (upload_id, offset_bytes)
);
