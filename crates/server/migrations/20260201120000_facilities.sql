-- Facilities: municipal places with their opening hours (OSM syntax) and exceptional closures.
-- Portable SQL: the same migration is meant to run on PostgreSQL later.

CREATE TABLE facilities (
    id INTEGER PRIMARY KEY NOT NULL,
    -- Stable identity from the source: `osm:node/123`, `scdl:<EQUIP_UID>`, `geojson:<feature
    -- id>`, else `name:<folded name>|<category>`.
    source_key TEXT NOT NULL UNIQUE,
    -- Where it came from: a file path or URL, `demo`.
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The name folded (lowercase, no accents) for listing by name: "École" sorts among the E.
    sort_name TEXT NOT NULL,
    category TEXT NOT NULL,
    address TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    phone TEXT,
    email TEXT,
    website TEXT,
    description TEXT,
    -- As imported, even when it does not parse (the app then shows the status as unknown).
    opening_hours TEXT,
    -- JSON array of {from, to, reason} (local dates, inclusive), sorted by `from`. Set through
    -- the API (town-hall tools) or by a source that carries closures; an import without them
    -- keeps the stored ones.
    closures TEXT NOT NULL DEFAULT '[]',
    -- OSM's yes, limited or no.
    wheelchair TEXT,
    -- JSON array of strings.
    services TEXT NOT NULL DEFAULT '[]',
    photo_url TEXT,
    -- SHA-256 (hex) of what the source said: equal means unchanged.
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Change counter, like events.rev: `?since=` is a comparison.
    rev INTEGER NOT NULL UNIQUE
);

CREATE INDEX facilities_by_name ON facilities (sort_name, id);
