-- Foundation schema: organizations, users, sessions, the audit chain, the ITA catalogue and the
-- measures register. Times are UTC epoch seconds (BIGINT) so SQLite and PostgreSQL agree; booleans
-- are 0/1 integers for the same reason. Every tenant row carries org_id, even child rows, so that
-- every query can be scoped by organization without a join.

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    short_name  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    province    TEXT    NOT NULL DEFAULT '',
    district    TEXT    NOT NULL DEFAULT '',
    digits      TEXT    NOT NULL DEFAULT 'thai',
    created_at  BIGINT  NOT NULL
);

CREATE TABLE divisions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id    BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    position  BIGINT  NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    username       TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'executive')),
    division_id    BIGINT  REFERENCES divisions(id) ON DELETE SET NULL,
    active         BIGINT  NOT NULL DEFAULT 1,
    created_at     BIGINT  NOT NULL
);

-- Only a hash of the session token is stored: a leaked database does not leak live sessions.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

-- One hash chain per organization; its row is also the per-organization write lock (see db::Db::write).
CREATE TABLE audit_chain (
    org_id     BIGINT  PRIMARY KEY REFERENCES orgs(id),
    last_seq   BIGINT  NOT NULL,
    last_hash  TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       BIGINT  NOT NULL,
    seq          BIGINT  NOT NULL,
    at           BIGINT  NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    entity       TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    UNIQUE (org_id, seq)
);

-- Append-only: the application never updates or deletes audit rows. Someone with direct database
-- access can drop these triggers, which is why `prongsai audit verify` checks the hash chain too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The ITA indicator catalogue, versioned by fiscal year (loaded from data/ita/*.toml).
CREATE TABLE ita_indicators (
    fiscal_year  BIGINT  NOT NULL,
    number       BIGINT  NOT NULL,
    name_th      TEXT    NOT NULL,
    name_en      TEXT    NOT NULL,
    tool         TEXT    NOT NULL CHECK (tool IN ('IIT', 'EIT', 'OIT')),
    PRIMARY KEY (fiscal_year, number)
);

-- Per organization and fiscal year: the report's introduction paragraph.
CREATE TABLE measure_reports (
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year  BIGINT  NOT NULL,
    intro        TEXT    NOT NULL,
    PRIMARY KEY (org_id, fiscal_year)
);

CREATE TABLE measures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year   BIGINT  NOT NULL,
    position      BIGINT  NOT NULL,
    title         TEXT    NOT NULL,
    responsible   TEXT    NOT NULL,
    -- Planned period as BE year * 100 + month, e.g. 256603 = มี.ค. ๒๕๖๖; NULL when not planned yet.
    period_start  BIGINT,
    period_end    BIGINT,
    status        TEXT    NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    progress      BIGINT  NOT NULL CHECK (progress BETWEEN 0 AND 100),
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX measures_by_org_year ON measures (org_id, fiscal_year, position);

CREATE TABLE measure_indicators (
    measure_id        BIGINT  NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    org_id            BIGINT  NOT NULL,
    indicator_number  BIGINT  NOT NULL CHECK (indicator_number BETWEEN 1 AND 10),
    PRIMARY KEY (measure_id, indicator_number)
);

CREATE TABLE measure_divisions (
    measure_id   BIGINT  NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    org_id       BIGINT  NOT NULL,
    division_id  BIGINT  NOT NULL REFERENCES divisions(id) ON DELETE CASCADE,
    PRIMARY KEY (measure_id, division_id)
);

-- Methods, results and outcomes: ordered lists of items; `numbered` keeps the office's choice of
-- whether an item carries a number in the printed report.
CREATE TABLE measure_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    measure_id  BIGINT  NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    org_id      BIGINT  NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('method', 'result', 'outcome')),
    position    BIGINT  NOT NULL,
    text        TEXT    NOT NULL,
    numbered    BIGINT  NOT NULL
);
CREATE INDEX measure_items_by_measure ON measure_items (measure_id, kind, position);

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    measure_id    BIGINT  NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    url           TEXT,
    file_name     TEXT,
    content_type  TEXT,
    size_bytes    BIGINT,
    sha256        TEXT,
    content       BLOB,
    created_at    BIGINT  NOT NULL,
    created_by    TEXT    NOT NULL
);
CREATE INDEX evidence_by_measure ON evidence (measure_id);
