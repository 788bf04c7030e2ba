-- Issue 11, item 7: the SOP manual is issued as a version (fiscal year, approval date, approver),
-- and the public URL serves the newest approved version exactly as it was issued, instead of
-- rendering a live view with today's date and the loans still out. `document` keeps the manual
-- as the template's data (so a version can be printed again unchanged); `pdf` keeps the issued
-- bytes (NULL only until a version seeded without a renderer is first printed, then never again).
CREATE TABLE lending_manuals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year        BIGINT  NOT NULL,  -- Buddhist era, e.g. 2566
    approved_on        BIGINT  NOT NULL,  -- days since 1970-01-01
    approver_name      TEXT    NOT NULL,
    approver_position  TEXT    NOT NULL,
    issued_by          TEXT    NOT NULL,
    issued_at          BIGINT  NOT NULL,
    document           TEXT    NOT NULL,
    pdf                BLOB,
    pdf_sha256         TEXT
);
CREATE INDEX lending_manuals_org_year ON lending_manuals (org_id, fiscal_year);
