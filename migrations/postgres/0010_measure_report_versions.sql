-- Issue 12, items 1 and 7: a year's measures register is the draft; an executive approves the
-- draft as it stands (its content hash is kept, so an edit after approval needs a new approval),
-- and publishing freezes a numbered version whose PDF, DOCX and HTML are rendered once and served
-- from here byte for byte. Corrections are new versions: rows of published versions are never
-- updated, except to store the files of a version recorded without them (the demo, seeded
-- without a renderer, prints on first request).
CREATE TABLE measure_report_approvals (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year        BIGINT  NOT NULL,  -- Buddhist era, e.g. 2566
    content_sha256     TEXT    NOT NULL,  -- the draft the executive approved
    approver_name      TEXT    NOT NULL,
    approver_position  TEXT    NOT NULL,
    approved_on        BIGINT  NOT NULL,  -- days since 1970-01-01
    recorded_by        TEXT    NOT NULL,
    recorded_at        BIGINT  NOT NULL
);
CREATE INDEX measure_report_approvals_org_year ON measure_report_approvals (org_id, fiscal_year);

CREATE TABLE measure_report_versions (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year        BIGINT  NOT NULL,
    version            BIGINT  NOT NULL,  -- 1, 2, … per organization and year
    approval_id        BIGINT  NOT NULL REFERENCES measure_report_approvals(id),
    content_sha256     TEXT    NOT NULL,
    published_by       TEXT    NOT NULL,
    published_at       BIGINT  NOT NULL,
    document           TEXT    NOT NULL,  -- the frozen report (docs::MeasuresReportDoc as JSON)
    pdf                BYTEA,
    pdf_sha256         TEXT,
    docx               BYTEA,
    docx_sha256        TEXT,
    html               BYTEA,
    html_sha256        TEXT,
    UNIQUE (org_id, fiscal_year, version)
);
