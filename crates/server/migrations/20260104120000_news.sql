-- News: themes (synced from the configuration at start-up), articles and their themes.
-- Portable SQL: the same migration is meant to run on PostgreSQL later.

CREATE TABLE themes (
    slug TEXT PRIMARY KEY NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    color TEXT NOT NULL,
    icon TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    -- Order of the configuration; NULL once a theme is no longer configured (kept because
    -- articles may still carry it).
    position INTEGER
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY NOT NULL,
    -- The feed entry's id (GUID), else its link: what makes a re-import an update.
    guid TEXT NOT NULL UNIQUE,
    link TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_html TEXT NOT NULL,
    image_url TEXT,
    image_alt TEXT,
    published_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    source_url TEXT,
    feed_url TEXT,
    -- SHA-256 of what the feed said (hex): equal means unchanged.
    content_hash TEXT NOT NULL,
    -- Change counter: set to the highest value plus one on each insert or update, so
    -- `?since=` is a simple comparison and sync tokens never depend on clocks.
    rev INTEGER NOT NULL UNIQUE
);

CREATE INDEX articles_by_published ON articles (published_at, id);

CREATE TABLE article_themes (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    theme_slug TEXT NOT NULL REFERENCES themes (slug),
    PRIMARY KEY (article_id, theme_slug)
);

CREATE INDEX article_themes_by_theme ON article_themes (theme_slug, article_id);
