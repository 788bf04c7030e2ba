-- Accounts as an operator expects (issue 10): usernames unique per organization, forced password
-- change, idle sessions, login throttling, server secrets.

-- Usernames were unique across the whole installation, so one organization's admin could learn
-- another's usernames by trying to create them. They are now unique per organization. SQLite
-- cannot drop a column's UNIQUE, so the table is rebuilt the way SQLite documents (the migration
-- runner applies SQLite migrations with foreign keys off and checks them before committing).
CREATE TABLE users_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id                BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    username              TEXT    NOT NULL,
    display_name          TEXT    NOT NULL,
    password_hash         TEXT    NOT NULL,
    role                  TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'executive')),
    division_id           BIGINT  REFERENCES divisions(id) ON DELETE SET NULL,
    active                BIGINT  NOT NULL DEFAULT 1,
    created_at            BIGINT  NOT NULL,
    duties                TEXT    NOT NULL DEFAULT '',
    email                 TEXT    NOT NULL DEFAULT '',
    -- 1 after the admin set a temporary password: staff pages lead to the change-password page.
    must_change_password  BIGINT  NOT NULL DEFAULT 0,
    CONSTRAINT users_org_username UNIQUE (org_id, username)
);
INSERT INTO users_new (id, org_id, username, display_name, password_hash, role, division_id, active, created_at, duties, email)
    SELECT id, org_id, username, display_name, password_hash, role, division_id, active, created_at, duties, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- Sessions end after an idle time as well as at their absolute expiry (auth::sessions).
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- Failed logins per account and per client address, in the database so that every server
-- process sharing it counts the same (auth::throttle). subject: 'account:SLUG:USERNAME' or 'address:IP'.
CREATE TABLE login_throttle (
    subject       TEXT    PRIMARY KEY,
    failures      BIGINT  NOT NULL,
    window_start  BIGINT  NOT NULL,
    -- Lock-outs in a row: each one doubles the next lock's length.
    lockouts      BIGINT  NOT NULL,
    locked_until  BIGINT  NOT NULL
);

-- Server-side secrets every process must agree on (e.g. the key binding the login form's CSRF
-- token to its cookie), created on first need.
CREATE TABLE server_secrets (
    name        TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
