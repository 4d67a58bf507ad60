-- Images of imported articles, mirrored on the server (same origin, readable offline).
-- Portable SQL: the same migration is meant to run on PostgreSQL later.

CREATE TABLE media (
    -- The external URL the image was downloaded from: a re-import finds it here instead of
    -- downloading it again.
    source_url TEXT PRIMARY KEY NOT NULL,
    -- Below the media directory, e.g. `news/<sha256 hex>.png` (served at `/media/<path>`).
    path TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE INDEX media_path ON media (path);
