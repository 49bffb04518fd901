-- Hazard closed loop (issue 4): hazards, their event history, rectifications with evidence and
-- signature, extension requests, cross-department work orders, responsibility owners, per-tenant
-- settings and the per-year code counter. Portable SQL (server/src/db/db.hpp); times are UTC ms.

CREATE TABLE hazards (
    id                      TEXT PRIMARY KEY,
    tenant_id               TEXT NOT NULL REFERENCES tenants(id),
    code                    TEXT NOT NULL,
    code_year               BIGINT NOT NULL,
    code_seq                BIGINT NOT NULL,
    title                   TEXT NOT NULL,
    description             TEXT NOT NULL DEFAULT '',
    category                TEXT NOT NULL DEFAULT '',
    grade                   TEXT NOT NULL,
    status                  TEXT NOT NULL,
    source                  BIGINT NOT NULL DEFAULT 1,
    manage_type             BIGINT NOT NULL DEFAULT 1,
    hazard_type             BIGINT,
    management_class        BIGINT,
    occurrence_link         BIGINT,
    cost                    DOUBLE PRECISION,
    liable_person_id        TEXT,
    major_plan_json         TEXT,
    site_id                 TEXT,
    department_id           TEXT,
    team_id                 TEXT,
    location                TEXT NOT NULL DEFAULT '',
    lat                     DOUBLE PRECISION,
    lng                     DOUBLE PRECISION,
    accuracy_m              DOUBLE PRECISION,
    asset_id                TEXT,
    area                    TEXT,
    photos_json             TEXT NOT NULL DEFAULT '[]',
    change_order_no         TEXT,
    reporter_id             TEXT NOT NULL,
    reporter_team_id        TEXT,
    reporter_department_id  TEXT,
    assignee_id             TEXT,
    assignment_no           BIGINT NOT NULL DEFAULT 0,
    reported_at             BIGINT NOT NULL,
    due_at                  BIGINT NOT NULL,
    original_due_at         BIGINT NOT NULL,
    assigned_at             BIGINT,
    accepted_at             BIGINT,
    submitted_at            BIGINT,
    last_submitted_by       TEXT,
    closed_at               BIGINT,
    archived_at             BIGINT,
    acceptance_by           TEXT,
    acceptance_at           BIGINT,
    acceptance_comment      TEXT,
    rework_rounds           BIGINT NOT NULL DEFAULT 0,
    extension_count         BIGINT NOT NULL DEFAULT 0,
    escalation_count        BIGINT NOT NULL DEFAULT 0,
    pending_extension_id    TEXT,
    version                 BIGINT NOT NULL DEFAULT 1,
    updated_at              BIGINT NOT NULL
);
CREATE UNIQUE INDEX hazards_tenant_code ON hazards (tenant_id, code);
-- Lists, newest first; with a status filter. Ties (hazards reported in the same
-- millisecond, common under a test clock) are broken by the code's year and number, i.e. creation order.
CREATE INDEX hazards_tenant_reported ON hazards (tenant_id, reported_at, code_year, code_seq);
CREATE INDEX hazards_tenant_status_reported ON hazards (tenant_id, status, reported_at, code_year, code_seq);
-- The board counts active hazards by status and grade from the index alone.
CREATE INDEX hazards_tenant_status_grade ON hazards (tenant_id, status, grade);
-- The overdue list (逾期未整改清单): only hazards whose rectification is outstanding, by deadline. Queries
-- repeat this predicate word for word so both databases use the partial index.
CREATE INDEX hazards_outstanding_due ON hazards (tenant_id, due_at, code_year, code_seq)
    WHERE status IN ('reported', 'assigned', 'accepted', 'rework');
-- Data scope: what I reported or hold, my team's, my department's.
CREATE INDEX hazards_tenant_assignee ON hazards (tenant_id, assignee_id, reported_at);
CREATE INDEX hazards_tenant_reporter ON hazards (tenant_id, reporter_id, reported_at);
CREATE INDEX hazards_tenant_team ON hazards (tenant_id, team_id, reported_at);
CREATE INDEX hazards_tenant_department ON hazards (tenant_id, department_id, reported_at);

-- Every state change and escalation. seq orders events that share a millisecond.
CREATE TABLE hazard_events (
    seq             {{SERIAL_PK}},
    tenant_id       TEXT NOT NULL,
    hazard_id       TEXT NOT NULL REFERENCES hazards(id),
    type            TEXT NOT NULL,
    at              BIGINT NOT NULL,
    actor_id        TEXT,
    from_status     TEXT,
    to_status       TEXT,
    data_json       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX hazard_events_hazard ON hazard_events (hazard_id, seq);

-- One row per escalation (hazard, assignment, kind), claimed by its job handler before it acts: a
-- repeat (another server, a retried job) finds the key taken and does nothing.
CREATE TABLE hazard_escalations (
    dedupe_key      TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    hazard_id       TEXT NOT NULL,
    at              BIGINT NOT NULL
);

CREATE TABLE hazard_rectifications (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL,
    hazard_id           TEXT NOT NULL REFERENCES hazards(id),
    round               BIGINT NOT NULL,
    submitted_by        TEXT NOT NULL,
    submitted_at        BIGINT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    lat                 DOUBLE PRECISION,
    lng                 DOUBLE PRECISION,
    accuracy_m          DOUBLE PRECISION,
    evidence_json       TEXT NOT NULL DEFAULT '[]',
    signature_file_id   TEXT,
    signed_by           TEXT,
    signed_at           BIGINT,
    content_sha256      TEXT,
    result              TEXT,
    verified_by         TEXT,
    verified_at         BIGINT,
    verify_comment      TEXT,
    UNIQUE (hazard_id, round)
);

-- Waiting for parts or budget is an extension request the assignee's supervisor decides; never a pause.
CREATE TABLE hazard_extensions (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    hazard_id       TEXT NOT NULL REFERENCES hazards(id),
    requested_by    TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    old_due_at      BIGINT NOT NULL,
    new_due_at      BIGINT NOT NULL,
    approver_id     TEXT,
    status          TEXT NOT NULL DEFAULT 'pending',
    decided_by      TEXT,
    decided_at      BIGINT,
    comment         TEXT
);
CREATE INDEX hazard_extensions_hazard ON hazard_extensions (hazard_id, requested_at);
CREATE INDEX hazard_extensions_approver ON hazard_extensions (tenant_id, status, approver_id);

-- Cross-department coordination work orders opened by the 2-hour escalation.
CREATE TABLE hazard_work_orders (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    hazard_id       TEXT NOT NULL REFERENCES hazards(id),
    hazard_code     TEXT NOT NULL,
    title           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    owner_id        TEXT NOT NULL,
    cc_json         TEXT NOT NULL DEFAULT '[]',
    department_id   TEXT,
    status          TEXT NOT NULL DEFAULT 'open',
    opened_at       BIGINT NOT NULL,
    closed_at       BIGINT,
    closed_by       TEXT,
    resolution      TEXT,
    dedupe_key      TEXT NOT NULL UNIQUE
);
CREATE INDEX hazard_work_orders_tenant ON hazard_work_orders (tenant_id, opened_at, id);
CREATE INDEX hazard_work_orders_hazard ON hazard_work_orders (hazard_id);

-- Who answers for an asset or an area; new hazards reported there are assigned to them.
CREATE TABLE hazard_owners (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    kind            TEXT NOT NULL,
    key             TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
);

-- YH-<year>-<seq>: one counter row per tenant and year, incremented under its row lock.
CREATE TABLE hazard_code_counters (
    tenant_id       TEXT NOT NULL,
    year            BIGINT NOT NULL,
    last_seq        BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

-- Per-tenant settings. A tenant without rows uses the defaults of hazard_rules.cpp (DefaultConfig);
-- saving the settings writes the whole set.
CREATE TABLE hazard_settings (
    tenant_id            TEXT PRIMARY KEY REFERENCES tenants(id),
    archive_after_days   BIGINT NOT NULL,
    min_video_s          DOUBLE PRECISION NOT NULL,
    repeat_window_days   BIGINT NOT NULL,
    code_utc_offset_min  BIGINT NOT NULL,
    deputy_gm_ids        TEXT NOT NULL DEFAULT '[]',
    updated_at           BIGINT NOT NULL
);

CREATE TABLE hazard_grade_settings (
    tenant_id               TEXT NOT NULL REFERENCES tenants(id),
    grade                   TEXT NOT NULL,
    deadline_min            BIGINT NOT NULL,
    accept_escalation_min   BIGINT NOT NULL,
    submit_escalation_min   BIGINT NOT NULL,
    closure_target_pct      DOUBLE PRECISION NOT NULL,
    on_the_spot_allowed     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, grade)
);

CREATE TABLE hazard_evidence_rules (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    grade           TEXT NOT NULL,
    category        TEXT NOT NULL,
    kinds           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, grade, category)
);
