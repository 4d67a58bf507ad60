-- Web Push subscriptions, the themes each follows, and the deliveries already made.
-- Themes are referenced by slug without a foreign key: the handlers check them, and a theme
-- removed later simply stops matching articles.
CREATE TABLE push_subscriptions (
    -- base64url of SHA-256(endpoint), 22 characters: stable for a given endpoint.
    id TEXT PRIMARY KEY NOT NULL,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    locale TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE push_subscription_themes (
    subscription_id TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    PRIMARY KEY (subscription_id, theme)
);

CREATE INDEX push_subscription_themes_by_theme ON push_subscription_themes (theme);

-- One row per notification accepted by a push service: never send twice the same article to
-- the same subscription.
CREATE TABLE push_deliveries (
    article_id INTEGER NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    delivered_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    PRIMARY KEY (article_id, subscription_id)
);

CREATE INDEX push_deliveries_by_subscription ON push_deliveries (subscription_id);
