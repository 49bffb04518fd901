-- A resumable upload's SHA-256 state after the bytes received so far (files::UploadDigest::Save), advanced with each
-- chunk in the same UPDATE that counts it. Completing an upload then checks the hash without reading the bytes
-- back (a video's chunks came out of PostgreSQL again only to be hashed). NULL: a session begun before this
-- migration, whose completion hashes the bytes as before.
ALTER TABLE file_uploads ADD COLUMN sha_state {{BLOB}};
