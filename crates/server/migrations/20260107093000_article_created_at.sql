-- When each article was first stored on this server (RFC 3339 UTC with milliseconds,
-- like push_subscriptions.created_at from then on).
-- Web Push sends an article only to the subscriptions that existed by then, and the catch-up
-- sweep pushes recent articles nobody announced. Articles stored before this column existed
-- keep NULL: the sweep leaves them alone.
-- Portable SQL: the same migration is meant to run on PostgreSQL later.
ALTER TABLE articles ADD COLUMN created_at TEXT;

CREATE INDEX articles_by_created ON articles (created_at);
