-- Reports (« signalements »): street incidents sent by residents (the app) or Open311 clients,
-- their photos, their status history, who follows them and who supports them.
-- Portable SQL: the same migration is meant to run on PostgreSQL later.

CREATE TABLE reports (
    id INTEGER PRIMARY KEY NOT NULL,
    -- The request's Idempotency-Key (the app's outbox UUID; a random one for an Open311 client
    -- that sends none). UNIQUE: two racing copies of one request make one report.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- SHA-256 (hex) of what was sent: the same key with other content is refused.
    request_hash TEXT NOT NULL,
    -- `app` or `open311`.
    source TEXT NOT NULL,
    -- A configured category's service_code (kept if the category is removed later).
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    address TEXT,
    -- Private: the town hall's only, never in a public answer.
    email TEXT,
    phone TEXT,
    reporter_name TEXT,
    device_id TEXT,
    -- The current status and its companions (also the last row of report_updates).
    status TEXT NOT NULL,
    status_note TEXT,
    scheduled_for TEXT,
    duplicate_of INTEGER REFERENCES reports (id),
    supporters INTEGER NOT NULL DEFAULT 0,
    -- RFC 3339 UTC with a Z (text order is time order).
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX reports_by_created ON reports (created_at, id);
CREATE INDEX reports_nearby ON reports (category, lat, lon);

-- Re-encoded photos, written to the photo store before the report's commit.
CREATE TABLE report_photos (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- Names in the photo store, served at /media/reports/<name>.
    name TEXT NOT NULL UNIQUE,
    thumbnail_name TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (report_id, position)
);

-- Every status a report went through, the first one `submitted`, each with a public note.
CREATE TABLE report_updates (
    id INTEGER PRIMARY KEY NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    note TEXT,
    scheduled_for TEXT,
    duplicate_of INTEGER,
    created_at TEXT NOT NULL
);

CREATE INDEX report_updates_by_report ON report_updates (report_id, id);
CREATE INDEX report_updates_by_time ON report_updates (created_at, id);

-- Tracking tokens (the reporter's and each supporter's), by SHA-256: the tokens themselves
-- are derived again from the idempotency key when a receipt is replayed.
CREATE TABLE report_trackers (
    token_hash TEXT PRIMARY KEY NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    -- `reporter` or `supporter`.
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX report_trackers_by_report ON report_trackers (report_id);

-- « Moi aussi »: one row per supporter (their device id, else their Idempotency-Key).
CREATE TABLE report_supports (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    supporter_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (report_id, supporter_key)
);
