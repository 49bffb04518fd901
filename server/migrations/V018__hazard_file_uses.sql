-- Which hazards use a file (a report photo, a rectification's evidence or signature, a voice note), so that
-- GET /files/{id} finds the hazards whose read rule decides who may read it (docs/architecture.md, "Files: who may
-- read one") with one lookup of this key instead of a LIKE scan of every hazard and rectification of the tenant.
-- Written by the hazard store in the same transaction as the row that names the file; file ids are normalised
-- (lower case), as the files module looks them up. Rows are never removed: a hazard's files never change.
CREATE TABLE hazard_file_uses (
    tenant_id       TEXT NOT NULL,
    file_id         TEXT NOT NULL,
    hazard_id       TEXT NOT NULL REFERENCES hazards(id),
    PRIMARY KEY (tenant_id, file_id, hazard_id)
);

-- The rows the hazards stored before this migration use. The JSON arrays are unpacked per database
-- (photos_json: ["<id>", ...]; evidence_json: [{"kind", "file_id"}, ...]); the UNION drops a file named twice.
{{SQLITE_ONLY}} INSERT INTO hazard_file_uses (tenant_id, file_id, hazard_id) SELECT h.tenant_id, LOWER(p.value), h.id FROM hazards h, json_each(h.photos_json) p WHERE p.type = 'text' UNION SELECT r.tenant_id, LOWER(json_extract(e.value, '$.file_id')), r.hazard_id FROM hazard_rectifications r, json_each(r.evidence_json) e WHERE e.type = 'object' AND json_type(e.value, '$.file_id') = 'text' UNION SELECT tenant_id, LOWER(signature_file_id), hazard_id FROM hazard_rectifications WHERE signature_file_id IS NOT NULL UNION SELECT tenant_id, LOWER(file_id), hazard_id FROM hazard_voice_notes;
{{POSTGRES_ONLY}} INSERT INTO hazard_file_uses (tenant_id, file_id, hazard_id) SELECT h.tenant_id, LOWER(p.value), h.id FROM hazards h CROSS JOIN LATERAL json_array_elements_text(CASE WHEN json_typeof(h.photos_json::json) = 'array' THEN h.photos_json::json ELSE '[]'::json END) p WHERE p.value IS NOT NULL UNION SELECT r.tenant_id, LOWER(e.value ->> 'file_id'), r.hazard_id FROM hazard_rectifications r CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(r.evidence_json::json) = 'array' THEN r.evidence_json::json ELSE '[]'::json END) e WHERE json_typeof(e.value) = 'object' AND json_typeof(e.value -> 'file_id') = 'string' UNION SELECT tenant_id, LOWER(signature_file_id), hazard_id FROM hazard_rectifications WHERE signature_file_id IS NOT NULL UNION SELECT tenant_id, LOWER(file_id), hazard_id FROM hazard_voice_notes;
