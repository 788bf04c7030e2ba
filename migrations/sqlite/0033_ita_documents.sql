-- Issue 18: the ITA documents O42 (the analysis of year N-1 and the measures of year N) and O43
-- (the measures' progress at six months and at year end) are approved and published like the
-- measures report (0010): an approval keeps the draft's content hash, so an edit after it needs
-- a new approval; publishing freezes a numbered version whose PDF and DOCX are rendered once and
-- served from here byte for byte. `kind` is o42, o43-6m or o43-12m; `fiscal_year` is N.
CREATE TABLE ita_document_approvals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL,
    fiscal_year        BIGINT  NOT NULL,  -- Buddhist era, the measures' year N
    content_sha256     TEXT    NOT NULL,  -- the draft the executive approved
    approver_name      TEXT    NOT NULL,
    approver_position  TEXT    NOT NULL,
    approved_on        BIGINT  NOT NULL,  -- days since 1970-01-01
    recorded_by        TEXT    NOT NULL,
    recorded_at        BIGINT  NOT NULL
);
-- With id last, "the last approval" is the index's last entry of the kind and year.
CREATE INDEX ita_document_approvals_org_kind_year ON ita_document_approvals (org_id, kind, fiscal_year, id);

CREATE TABLE ita_document_versions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL,
    fiscal_year        BIGINT  NOT NULL,
    version            BIGINT  NOT NULL,  -- 1, 2, … per organization, kind and year
    approval_id        BIGINT  NOT NULL REFERENCES ita_document_approvals(id),
    content_sha256     TEXT    NOT NULL,
    published_by       TEXT    NOT NULL,
    published_at       BIGINT  NOT NULL,
    document           TEXT    NOT NULL,  -- the frozen document (ita::documents::draft::Document as JSON)
    pdf                BLOB    NOT NULL,
    pdf_sha256         TEXT    NOT NULL,
    docx               BLOB    NOT NULL,
    docx_sha256        TEXT    NOT NULL,
    UNIQUE (org_id, kind, fiscal_year, version)
);
