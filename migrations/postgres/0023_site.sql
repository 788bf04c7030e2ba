-- Issue 16: the organization's public site. What its frame shows (contact details, the emblem),
-- its news and announcements, and its documents library.

-- One row per organization once its staff fill in the site's details; the site shows only what
-- is filled in. The emblem is an uploaded PNG or JPEG, served at a URL named by its SHA-256.
CREATE TABLE org_sites (
    org_id         BIGINT  PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    name_en        TEXT    NOT NULL DEFAULT '',
    address        TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    office_hours   TEXT    NOT NULL DEFAULT '',
    map_url        TEXT    NOT NULL DEFAULT '',
    emblem         BYTEA,
    emblem_type    TEXT,
    emblem_sha256  TEXT,
    updated_by     TEXT    NOT NULL,
    updated_at     BIGINT  NOT NULL
);

-- News (ข่าวประชาสัมพันธ์) and announcements (ประกาศ). A post is public from published_at
-- (NULL: a draft). search_words: title and body as dictionary words separated by spaces, with a
-- space at each end, so a Thai word inside unspaced text is found as ' word '.
CREATE TABLE news_posts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    search_words   TEXT    NOT NULL,
    published_at   BIGINT,
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_by     TEXT    NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX news_posts_org_published ON news_posts (org_id, published_at);

-- The documents library: one row per document (its stable URL), its files kept as numbered
-- versions that are never changed. latest_version is the version its URL serves.
CREATE TABLE documents (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    category        TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    fiscal_year     BIGINT,
    issued_on       BIGINT  NOT NULL,   -- yyyymmdd, the date on the document
    search_words    TEXT    NOT NULL,
    latest_version  BIGINT  NOT NULL,
    for_staff       BIGINT  NOT NULL DEFAULT 0,   -- staff acknowledge it ("read and understood")
    created_by      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_by      TEXT    NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX documents_org_issued ON documents (org_id, issued_on);

CREATE TABLE document_versions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    document_id    BIGINT  NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version        BIGINT  NOT NULL,
    file_name      TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size_bytes     BIGINT  NOT NULL,
    sha256         TEXT    NOT NULL,
    content        BYTEA    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    UNIQUE (document_id, version)
);
CREATE INDEX document_versions_org ON document_versions (org_id, document_id);

-- Staff acknowledgments of a document meant for them (the conflict-of-interest manual, the SOP
-- manuals): "read and understood", dated, per person and per version (a new version is read
-- again).
CREATE TABLE document_acks (
    org_id          BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    document_id     BIGINT  NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version         BIGINT  NOT NULL,
    user_id         BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    acknowledged_at BIGINT  NOT NULL,
    PRIMARY KEY (org_id, user_id, document_id, version)
);
CREATE INDEX document_acks_document ON document_acks (document_id, version);
