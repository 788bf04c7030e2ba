-- Issue 17, second half: publishing through an outbox. Each publication (a news post, a report
-- version, the SOP manual, a council meeting notice) gets one row per channel in the same
-- transaction; a worker sends the rows to LINE and Facebook, retrying with back-off, and marks
-- them. The web channel is the site itself: its row is sent when it is written.
CREATE TABLE publishing_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    channel          TEXT    NOT NULL,   -- 'web', 'line', 'facebook', 'line_push'
    source           TEXT    NOT NULL,   -- what is published, e.g. 'news_post:12', 'measure_report:2568'
    revision         BIGINT  NOT NULL,   -- which publication of it (a re-publish is a new one)
    title            TEXT    NOT NULL,   -- what, in Thai, for the staff's list
    message          TEXT    NOT NULL,   -- the text sent
    link             TEXT    NOT NULL DEFAULT '',  -- public page (path under the site); Facebook's marker
    recipient        TEXT    NOT NULL DEFAULT '',  -- line_push: the LINE user id
    retry_key        TEXT    NOT NULL,   -- a UUID: LINE's X-Line-Retry-Key, and the link's marker
    status           TEXT    NOT NULL,   -- 'waiting', 'sending', 'sent', 'cancelled'
    attempts         BIGINT  NOT NULL DEFAULT 0,
    -- When a worker should look at the row next: the next attempt (waiting) or the end of the
    -- sender's lease (sending); NULL once sent or cancelled, so the due index holds only live rows.
    due_at           BIGINT,
    claim_token      TEXT,               -- who holds the lease (a random token per claim)
    -- 1 when an attempt may have reached the API without an answer (a lease ran out, a
    -- connection dropped): Facebook's feed is read before posting again.
    uncertain        BIGINT  NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    remote_id        TEXT    NOT NULL DEFAULT '',  -- the API's id of the post, when it gave one
    sent_at          BIGINT,
    created_by       TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    UNIQUE (org_id, channel, source, revision)
);
-- The staff's list, newest first.
CREATE INDEX publishing_outbox_org ON publishing_outbox (org_id, id);
-- The worker's look across organizations for what is due (the only cross-organization read: a
-- row's lease and attempt are then taken within its organization's write).
CREATE INDEX publishing_outbox_due ON publishing_outbox (due_at);

-- The organization's channels besides its own site: the LINE Official Account and the Facebook
-- Page. The token is sealed (ChaCha20-Poly1305) with a key kept outside the database; key_id
-- names that key (a short hash of it) so a wrong key is reported, never used.
CREATE TABLE publishing_channels (
    org_id           BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    channel          TEXT    NOT NULL,   -- 'line' or 'facebook'
    enabled          BIGINT  NOT NULL DEFAULT 1,
    target           TEXT    NOT NULL DEFAULT '',  -- Facebook: the page id
    token_sealed     TEXT    NOT NULL DEFAULT '',  -- hex: nonce then ciphertext
    token_key_id     TEXT    NOT NULL DEFAULT '',
    token_last4      TEXT    NOT NULL DEFAULT '',
    updated_by       TEXT    NOT NULL,
    updated_at       BIGINT  NOT NULL,
    PRIMARY KEY (org_id, channel)
);

-- News already published before this migration was on the site: listed as such.
INSERT INTO publishing_outbox (org_id, channel, source, revision, title, message, link, retry_key, status,
    sent_at, created_by, created_at, updated_at)
SELECT n.org_id, 'web', 'news_post:' || n.id, n.published_at,
       CASE WHEN n.kind = 'announcement' THEN 'ประกาศ: ' ELSE 'ข่าวประชาสัมพันธ์: ' END || n.title, n.title,
       '/o/' || o.slug || '/news/' || n.id, 'migrated-news-' || n.id, 'sent', n.published_at, 'migration 0029',
       n.published_at, n.published_at
FROM news_posts n JOIN orgs o ON o.id = n.org_id WHERE n.published_at IS NOT NULL;
