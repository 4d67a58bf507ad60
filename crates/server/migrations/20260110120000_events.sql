-- Agenda: one row per occurrence of an event (recurring events are expanded at import).
-- Portable SQL: the same migration is meant to run on PostgreSQL later.

CREATE TABLE events (
    id INTEGER PRIMARY KEY NOT NULL,
    -- The iCalendar UID (or OpenAgenda uid) and, for an occurrence of a recurring event, its
    -- original start (`20261205T183000Z`, or `20261205` for an all-day one); '' otherwise.
    uid TEXT NOT NULL,
    recurrence_id TEXT NOT NULL DEFAULT '',
    -- Where it came from: a feed URL or file, `openagenda:<agenda>`, `demo`.
    source TEXT NOT NULL,
    -- Incremented at each change, exported as the iCalendar SEQUENCE.
    sequence INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- RFC 3339 UTC with a Z (text order is time order); end exclusive, NULL when unknown.
    start_at TEXT NOT NULL,
    end_at TEXT,
    -- Wall-clock times in the commune's time zone (YYYY-MM-DDTHH:MM:SS) and the last local day.
    local_start TEXT NOT NULL,
    local_end TEXT,
    local_last_date TEXT NOT NULL,
    all_day INTEGER NOT NULL DEFAULT 0,
    location_name TEXT,
    address TEXT,
    lat REAL,
    lon REAL,
    facility_id INTEGER,
    category TEXT NOT NULL,
    -- Audience slugs separated by commas.
    audiences TEXT NOT NULL,
    free INTEGER NOT NULL DEFAULT 0,
    price TEXT,
    registration_url TEXT,
    image_url TEXT,
    accessibility TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0,
    url TEXT,
    -- When the source last changed the event (OpenAgenda's updatedAt, iCalendar's
    -- LAST-MODIFIED), for incremental imports.
    source_updated_at TEXT,
    -- SHA-256 of what the source said (hex): equal means unchanged.
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Change counter, like articles.rev: `?since=` is a comparison.
    rev INTEGER NOT NULL UNIQUE,
    UNIQUE (uid, recurrence_id)
);

CREATE INDEX events_by_start ON events (start_at, id);
CREATE INDEX events_by_last_date ON events (local_last_date);
CREATE INDEX events_by_source ON events (source, start_at);
