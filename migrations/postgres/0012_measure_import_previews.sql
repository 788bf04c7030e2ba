-- An uploaded report file between its preview and the confirmation that applies it. The file is
-- kept as uploaded (with its SHA-256) and read again on confirmation, so what is applied is what
-- was previewed; register_sha256 fingerprints the year's register at preview time, and the
-- confirmation is refused (the preview shown again) when the register changed since. Rows are
-- scoped to the organization and the user who uploaded, and expire after an hour.
CREATE TABLE measure_import_previews (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id          BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    fiscal_year      BIGINT  NOT NULL,
    file_name        TEXT    NOT NULL,
    sha256           TEXT    NOT NULL,
    content          BYTEA   NOT NULL,
    register_sha256  TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX measure_import_previews_by_org ON measure_import_previews (org_id, created_at);
