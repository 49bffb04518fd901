-- Video-sized files stored as the chunks they were uploaded in (issue 5, PostgreSQL mode). A resumable upload's
-- chunks used to be rows of file_upload_chunks that were read back on completion, written again as one
-- file_blobs.data value and deleted: every byte reached the database (and its WAL) twice. Now a chunk row belongs
-- to its upload (upload_id) until the upload completes, and then to the blob (blob_id, same row, same stored
-- bytes: only the small row is rewritten), whose data stays NULL. SQLite mode keeps uploads in part files and blobs
-- on disk, so these rows exist only with PostgreSQL.
CREATE TABLE file_chunks (
    upload_id       TEXT REFERENCES file_uploads(id),
    blob_id         TEXT REFERENCES file_blobs(id),
    offset_bytes    BIGINT NOT NULL,
    data            {{BLOB}} NOT NULL,
    CHECK ((upload_id IS NULL) <> (blob_id IS NULL))
);
-- NULLs are distinct in a unique index (both databases): each index constrains only the rows that set its column.
CREATE UNIQUE INDEX file_chunks_upload ON file_chunks (upload_id, offset_bytes);
CREATE UNIQUE INDEX file_chunks_blob ON file_chunks (blob_id, offset_bytes);

-- Uploads in progress keep their chunks.
INSERT INTO file_chunks (upload_id, offset_bytes, data)
SELECT upload_id, offset_bytes, data FROM file_upload_chunks;
DROP TABLE file_upload_chunks;

-- Files are mostly JPEG, video and audio, already compressed: PostgreSQL's attempt to compress each value before
-- storing it out of line (pglz, which gives up only after reading most of it) cost as much CPU as the rest of
-- the insert. EXTERNAL stores them out of line as they are (rows stored before keep their form).
{{POSTGRES_ONLY}} ALTER TABLE file_blobs ALTER COLUMN data SET STORAGE EXTERNAL;
{{POSTGRES_ONLY}} ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
