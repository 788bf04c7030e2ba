-- Issue 17: complaints (เรื่องร้องเรียน/ร้องทุกข์) filed by citizens without an account, and the
-- office's holiday calendar their deadline is counted against.

-- The office's own holidays (public holidays and its local ones): a deadline in working days
-- skips them as it skips Saturdays and Sundays. day: yyyymmdd.
CREATE TABLE org_holidays (
    org_id      BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    day         BIGINT  NOT NULL,
    name        TEXT    NOT NULL,
    PRIMARY KEY (org_id, day)
);

-- Working days to finish a complaint, per category (service, corruption, other); a category
-- without a row takes the default (15).
CREATE TABLE complaint_reply_days (
    org_id      BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    category    TEXT    NOT NULL,
    days        BIGINT  NOT NULL,
    PRIMARY KEY (org_id, category)
);

-- The officers the admin designated for corruption and misconduct complaints: only they see
-- those (and not the ones naming their own division).
CREATE TABLE complaint_officers (
    org_id      BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, user_id)
);

-- A complaint. code: the tracking code (12 symbols of Crockford's base 32, 60 random bits),
-- unique per organization. Identity (name, phone, email, line_id) is empty when anonymous.
-- status: new, received, assigned, replied, closed, reopened. clock_from: the day (yyyymmdd)
-- the deadline counts from (filing or reopening); due_on: its last day; due_note: how it was
-- counted, as shown. resolved: the citizen's answer after closing (NULL: not answered).
-- client_key: a keyed hash of the address it came from (a limit per address), not the address.
CREATE TABLE complaints (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id               BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    code                 TEXT    NOT NULL,
    category             TEXT    NOT NULL,
    subject              TEXT    NOT NULL,
    body                 TEXT    NOT NULL,
    accused_division_id  BIGINT  REFERENCES divisions(id) ON DELETE SET NULL,
    anonymous            BIGINT  NOT NULL,
    name                 TEXT    NOT NULL DEFAULT '',
    phone                TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    line_id              TEXT    NOT NULL DEFAULT '',
    line_consent         BIGINT  NOT NULL DEFAULT 0,
    status               TEXT    NOT NULL,
    division_id          BIGINT  REFERENCES divisions(id) ON DELETE SET NULL,
    officer_id           BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    reply_days           BIGINT  NOT NULL,
    clock_from           BIGINT  NOT NULL,
    due_on               BIGINT  NOT NULL,
    due_note             TEXT    NOT NULL,
    filed_at             BIGINT  NOT NULL,
    closed_at            BIGINT,
    resolved             BIGINT,
    client_key           TEXT    NOT NULL,
    updated_at           BIGINT  NOT NULL
);
CREATE UNIQUE INDEX complaints_code ON complaints (org_id, code);
CREATE INDEX complaints_org_status ON complaints (org_id, status, due_on);
CREATE INDEX complaints_org_filed ON complaints (org_id, filed_at);
CREATE INDEX complaints_org_closed ON complaints (org_id, closed_at);
CREATE INDEX complaints_org_client ON complaints (org_id, client_key, filed_at);

-- Every step of a complaint, dated: filed, received, assigned, replied, closed, info (the
-- citizen added information), resolved, reopened. public: shown on the tracking page.
CREATE TABLE complaint_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    complaint_id  BIGINT  NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    body          TEXT    NOT NULL DEFAULT '',
    public        BIGINT  NOT NULL,
    client_key    TEXT    NOT NULL DEFAULT '',
    at            BIGINT  NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (org_id, complaint_id, id);

-- Photos sent with a complaint or with information added later (PNG or JPEG, checked by content).
CREATE TABLE complaint_photos (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    complaint_id  BIGINT  NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    event_id      BIGINT  NOT NULL REFERENCES complaint_events(id) ON DELETE CASCADE,
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size_bytes    BIGINT  NOT NULL,
    sha256        TEXT    NOT NULL,
    bytes         BLOB  NOT NULL
);
CREATE INDEX complaint_photos_complaint ON complaint_photos (org_id, complaint_id, id);
