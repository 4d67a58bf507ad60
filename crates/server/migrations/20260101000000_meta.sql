-- Key/value facts about this installation (e.g. when the demo content was loaded).
-- Portable SQL: the same migration is meant to run on PostgreSQL later.
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
