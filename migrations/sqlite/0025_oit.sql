-- Issue 16: the OIT disclosure index. Each open-data item the ITA asks for in a fiscal year
-- (data/oit/YEAR.toml) is answered by links: a document of the library, or a page of the site
-- (a path under /o/SLUG/) or another https address. An item without links is missing.
CREATE TABLE oit_links (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year   BIGINT  NOT NULL,
    item_code     TEXT    NOT NULL,
    document_id   BIGINT  REFERENCES documents(id) ON DELETE CASCADE,
    url           TEXT,
    label         TEXT    NOT NULL,
    created_by    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX oit_links_org_year ON oit_links (org_id, fiscal_year, item_code);
