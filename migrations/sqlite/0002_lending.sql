-- Lending of government property by the SOP (MoF regulation B.E. 2560, clauses 207–211).
-- Dates of a loan are calendar days (days since 1970-01-01, local date of the office), not times:
-- "borrow on 3 March, return by 10 March" is what the form says and what overlap checks compare.

-- Duties a user holds beyond their role: who may approve which loans.
ALTER TABLE users ADD COLUMN duties TEXT NOT NULL DEFAULT '';
-- Where reminders are e-mailed when SMTP is configured (empty: in-app only).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- The organization's rule set (data, not code): lending::rules::LendingRules as TOML.
CREATE TABLE lending_rules (
    org_id      BIGINT  PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    rules_toml  TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE items (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    asset_number   TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    category       TEXT    NOT NULL DEFAULT '',
    class          TEXT    NOT NULL CHECK (class IN ('durable', 'consumable')),
    location       TEXT    NOT NULL DEFAULT '',
    division_id    BIGINT  REFERENCES divisions(id) ON DELETE SET NULL,
    condition      TEXT    NOT NULL DEFAULT '',
    lendable       BIGINT  NOT NULL DEFAULT 1,
    photo          BLOB,
    photo_type     TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    UNIQUE (org_id, asset_number)
);

CREATE TABLE loans (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id              BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    item_id             BIGINT  NOT NULL REFERENCES items(id),
    borrower_user_id    BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    borrower_name       TEXT    NOT NULL,
    borrower_position   TEXT    NOT NULL DEFAULT '',
    borrower_unit       TEXT    NOT NULL DEFAULT '',
    borrower_is_agency  BIGINT  NOT NULL DEFAULT 0,
    urgent_need         BIGINT  NOT NULL DEFAULT 0,
    use_type            TEXT    NOT NULL CHECK (use_type IN ('inside', 'outside', 'agency')),
    purpose             TEXT    NOT NULL,
    place_of_use        TEXT    NOT NULL,
    quantity            BIGINT  NOT NULL DEFAULT 1,
    start_day           BIGINT  NOT NULL,
    due_day             BIGINT  NOT NULL,
    status              TEXT    NOT NULL,
    required_duty       TEXT    NOT NULL,
    requested_by        BIGINT  NOT NULL REFERENCES users(id),
    requested_at        BIGINT  NOT NULL,
    decided_by          BIGINT  REFERENCES users(id),
    decided_at          BIGINT,
    decision_note       TEXT    NOT NULL DEFAULT '',
    handed_over_by      BIGINT  REFERENCES users(id),
    handed_over_at      BIGINT,
    handover_condition  TEXT    NOT NULL DEFAULT '',
    returned_at         BIGINT,
    return_received_by  BIGINT  REFERENCES users(id),
    return_condition    TEXT    NOT NULL DEFAULT '',
    damage              TEXT    NOT NULL DEFAULT 'none',
    settlement          TEXT,
    settlement_note     TEXT    NOT NULL DEFAULT '',
    settled_by          BIGINT  REFERENCES users(id),
    settled_at          BIGINT
);
CREATE INDEX loans_by_item ON loans (item_id, start_day, due_day);
CREATE INDEX loans_by_org_status ON loans (org_id, status, due_day);

-- Each follow-up of an overdue loan (ข้อ 211: within 7 days of the due date).
CREATE TABLE loan_follow_ups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    loan_id     BIGINT  NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
    day         BIGINT  NOT NULL,
    by_user     BIGINT  NOT NULL REFERENCES users(id),
    note        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- In-app notifications (the reminder job writes them; e-mail goes out when SMTP is configured).
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id     BIGINT  REFERENCES users(id) ON DELETE CASCADE,
    loan_id     BIGINT  REFERENCES loans(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    day         BIGINT  NOT NULL,
    message     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    read_at     BIGINT,
    UNIQUE (loan_id, user_id, kind, day)
);

-- Live figures a measure cites (e.g. 'lending.summary'): computed when the report is rendered,
-- so the report states what the system shows, not a number typed once.
CREATE TABLE measure_figures (
    measure_id  BIGINT  NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    org_id      BIGINT  NOT NULL,
    figure      TEXT    NOT NULL,
    PRIMARY KEY (measure_id, figure)
);
