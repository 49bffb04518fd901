-- Foundation: tenants and organisation, identity, files, audit log, settings.
-- Portable SQL for SQLite and PostgreSQL (see server/src/db/db.hpp). Times are UTC milliseconds.

CREATE TABLE tenants (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    code            TEXT NOT NULL UNIQUE,
    logo_file_id    TEXT,
    created_at      BIGINT NOT NULL
);

CREATE TABLE sites (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    name            TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE departments (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    site_id         TEXT REFERENCES sites(id),
    parent_id       TEXT REFERENCES departments(id),
    name            TEXT NOT NULL,
    head_user_id    TEXT,
    sort_order      BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX departments_tenant ON departments (tenant_id, parent_id);

CREATE TABLE teams (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    department_id   TEXT NOT NULL REFERENCES departments(id),
    name            TEXT NOT NULL,
    leader_user_id  TEXT,
    created_at      BIGINT NOT NULL,
    UNIQUE (department_id, name)
);
CREATE INDEX teams_tenant ON teams (tenant_id);

CREATE TABLE positions (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    name            TEXT NOT NULL,
    roles           TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants(id),
    login                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    mobile               TEXT NOT NULL DEFAULT '',
    employee_no          TEXT,
    password_hash        TEXT NOT NULL DEFAULT '',
    site_id              TEXT REFERENCES sites(id),
    department_id        TEXT REFERENCES departments(id),
    team_id              TEXT REFERENCES teams(id),
    position_id          TEXT REFERENCES positions(id),
    supervisor_id        TEXT REFERENCES users(id),
    roles                TEXT NOT NULL DEFAULT '',
    disabled             BIGINT NOT NULL DEFAULT 0,
    password_changed_at  BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    UNIQUE (tenant_id, employee_no)
);
CREATE INDEX users_tenant_department ON users (tenant_id, department_id);
CREATE INDEX users_tenant_team ON users (tenant_id, team_id);
CREATE INDEX users_supervisor ON users (supervisor_id);

-- Bearer tokens are stored only as SHA-256 hashes.
CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    revoked_at      BIGINT,
    user_agent      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id              {{SERIAL_PK}},
    login           TEXT NOT NULL,
    at              BIGINT NOT NULL,
    remote          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_failures_login_at ON login_failures (login, at);

-- Content-addressed file store: one blob per SHA-256 (data inline in PostgreSQL mode, on disk in
-- SQLite mode), and a per-tenant reference so tenants never see each other's files.
CREATE TABLE file_blobs (
    id              TEXT PRIMARY KEY,
    size            BIGINT NOT NULL,
    content_type    TEXT NOT NULL,
    meta_json       TEXT NOT NULL DEFAULT '{}',
    thumbnail_id    TEXT,
    data            {{BLOB}},
    created_at      BIGINT NOT NULL
);

CREATE TABLE tenant_files (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    file_id         TEXT NOT NULL REFERENCES file_blobs(id),
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, file_id)
);

-- Append-only, hash-chained per tenant: hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE audit_log (
    seq             {{SERIAL_PK}},
    tenant_id       TEXT NOT NULL,
    chain_index     BIGINT NOT NULL,
    at              BIGINT NOT NULL,
    actor_id        TEXT,
    request_id      TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL,
    entity_type     TEXT NOT NULL DEFAULT '',
    entity_id       TEXT NOT NULL DEFAULT '',
    before_json     TEXT NOT NULL DEFAULT 'null',
    after_json      TEXT NOT NULL DEFAULT 'null',
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_log_tenant_chain ON audit_log (tenant_id, chain_index);

CREATE TABLE audit_heads (
    tenant_id       TEXT PRIMARY KEY,
    last_index      BIGINT NOT NULL,
    last_hash       TEXT NOT NULL
);

CREATE TABLE tenant_settings (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    key             TEXT NOT NULL,
    value_json      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
