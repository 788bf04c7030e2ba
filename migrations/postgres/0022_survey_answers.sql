-- Issue 15: answers to satisfaction surveys, and the per-visit links that allow one answer each.
--
-- A per-visit link is a queue ticket's code (the ticket's page offers the survey once served) or a
-- token printed by staff on a receipt or at a loan's return (survey_tokens, kept only as its
-- SHA-256). An answer names its visit ('ticket:ID'; for a token its receipt or loan, 'receipt:NUMBER'
-- or 'loan:ID', else 'token:ID'), unique per organization, so a visit is answered once; an answer
-- from the open poster QR has a key of its own ('poster:' and 32 random hex digits) and is limited
-- per device and address instead (survey::ingest). Answers are never updated or deleted by the product.
CREATE TABLE survey_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    survey_id     BIGINT  NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    token_hash    TEXT    NOT NULL UNIQUE,
    source        TEXT    NOT NULL CHECK (source IN ('receipt', 'loan')),
    source_ref    TEXT    NOT NULL DEFAULT '',
    point_id      BIGINT  NULL,
    service_id    BIGINT  NULL,
    counter_id    BIGINT  NULL,
    created_by    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX survey_tokens_org ON survey_tokens (org_id, created_at);

-- scores: one digit per item of the version answered, in the questionnaire's order (1–5; 0 when
-- the item was left out). facts: the chosen option's index per fact, JSON. device and client_key
-- are keyed hashes (a cookie, the address; IPv6 by its /64): enough to count, not to identify.
-- burst: the answer came in a burst from one address and is shown as such in the reports, never
-- dropped.
CREATE TABLE survey_answers (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    survey_id     BIGINT  NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    version       BIGINT  NOT NULL,
    channel       TEXT    NOT NULL CHECK (channel IN ('poster', 'ticket', 'token')),
    visit         TEXT    NULL,
    point_id      BIGINT  NULL,
    service_id    BIGINT  NULL,
    counter_id    BIGINT  NULL,
    scores        TEXT    NOT NULL,
    facts         TEXT    NOT NULL DEFAULT '{}',
    comment       TEXT    NOT NULL DEFAULT '',
    device        TEXT    NOT NULL DEFAULT '',
    client_key    TEXT    NOT NULL DEFAULT '',
    burst         INTEGER NOT NULL DEFAULT 0,
    answered_at   BIGINT  NOT NULL,
    UNIQUE (org_id, visit)
);
CREATE INDEX survey_answers_survey ON survey_answers (org_id, survey_id, answered_at);
CREATE INDEX survey_answers_client ON survey_answers (org_id, client_key, answered_at);
CREATE INDEX survey_answers_device ON survey_answers (org_id, device, answered_at);
