-- A recorded voice note attached to a hazard report (issue 4: the fallback when dictation is not
-- available). Its own table rather than a column of hazards: most reports have none, and the hazards
-- row and its insert stay as they are. The length is what the files module measured with libavformat.
CREATE TABLE hazard_voice_notes (
    hazard_id       TEXT PRIMARY KEY REFERENCES hazards(id),
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    file_id         TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    duration_s      DOUBLE PRECISION NOT NULL,
    created_at      BIGINT NOT NULL
);

-- `GET /hazards?code=` searches ranges of the code's number (digits alone match any year): "000123",
-- "YH-2026-0001".
CREATE INDEX hazards_tenant_code_seq ON hazards (tenant_id, code_seq, code_year);
