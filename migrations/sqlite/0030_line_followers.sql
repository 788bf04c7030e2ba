-- Issue 17, publishing item 3: complaint status pushed to the complainant's LINE. LINE gives a
-- user's userId only to the organization's webhook, when the user writes to its Official Account;
-- so the LINE channel gets the channel secret (to check the webhook's signature; sealed like the
-- token) and the account's LINE ID shown to citizens (e.g. @maekhatuan).
ALTER TABLE publishing_channels ADD COLUMN secret_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_channels ADD COLUMN secret_key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_channels ADD COLUMN secret_last4 TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_channels ADD COLUMN oa_id TEXT NOT NULL DEFAULT '';

-- A LINE user who sent a complaint's tracking code to the official account (their own act of
-- agreeing to be told of its progress); "หยุด"/"stop" removes the row.
CREATE TABLE complaint_line_followers (
    org_id        BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    complaint_id  BIGINT NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    line_user_id  TEXT   NOT NULL,   -- LINE's userId (U + 32 hex), needed to push
    linked_at     BIGINT NOT NULL,
    PRIMARY KEY (org_id, complaint_id, line_user_id)
);
-- "stop" without a code: every link of one user in the organization.
CREATE INDEX complaint_line_followers_user ON complaint_line_followers (org_id, line_user_id);
