-- Issue 16, item 5: public participation. An announcement inviting opinions (a public hearing,
-- a plan consultation) open for a period; opinions sent without an account; the summary of what
-- was received, published when the staff are ready.
CREATE TABLE consultations (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id                BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    title                 TEXT    NOT NULL,
    description           TEXT    NOT NULL,
    opens_on              BIGINT  NOT NULL,   -- yyyymmdd, first day opinions are taken
    closes_on             BIGINT  NOT NULL,   -- yyyymmdd, last day
    summary               TEXT    NOT NULL DEFAULT '',
    summary_published_at  BIGINT,
    created_by            TEXT    NOT NULL,
    created_at            BIGINT  NOT NULL,
    updated_by            TEXT    NOT NULL,
    updated_at            BIGINT  NOT NULL
);
CREATE INDEX consultations_org_closes ON consultations (org_id, closes_on);

-- An opinion: its text, and a name and contact only if the sender gave them (both optional).
-- client_key: a keyed hash of the address it came from (a limit per address), not the address.
CREATE TABLE opinions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    consultation_id  BIGINT  NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    name             TEXT    NOT NULL DEFAULT '',
    contact          TEXT    NOT NULL DEFAULT '',
    body             TEXT    NOT NULL,
    client_key       TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX opinions_consultation ON opinions (org_id, consultation_id, client_key);
