-- Issue 14: the service catalogue (คู่มือสำหรับประชาชน, Licensing Facilitation Act B.E. 2558 s.7).
-- One row per service the office gives. The queue (tickets per service) and the statistics that
-- compare service times with the published time standard refer to this row; the manual's full
-- content (criteria, steps, documents, fees, forms, …) is kept as versions by the catalogue.
CREATE TABLE services (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    division_id        BIGINT  REFERENCES divisions(id) ON DELETE SET NULL,
    position           BIGINT  NOT NULL DEFAULT 0,   -- order in the catalogue, the kiosk and the booklet
    -- The time a citizen is served at the counter by the published manual, in minutes: what the
    -- queue's statistics measure service against. NULL: no published standard at the counter.
    standard_minutes   BIGINT,
    archived           BIGINT  NOT NULL DEFAULT 0,   -- no longer offered; kept for history
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX services_org_position ON services (org_id, position);

-- The manual being edited: one draft per service, the whole manual as JSON
-- (services::manual::Manual). A draft is never public.
CREATE TABLE service_drafts (
    service_id   BIGINT  PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    manual       TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    updated_at   BIGINT  NOT NULL
);

-- Published versions, numbered per service from 1 and never changed: the manual as published, the
-- minutes at the counter it promises, and its PDF (printed when published; NULL only for the demo's
-- version 1, printed on its first request and then kept).
CREATE TABLE service_versions (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    service_id         BIGINT  NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    version            BIGINT  NOT NULL,
    manual             TEXT    NOT NULL,
    standard_minutes   BIGINT,
    published_by       TEXT    NOT NULL,
    published_at       BIGINT  NOT NULL,
    pdf                BYTEA,
    pdf_sha256         TEXT,
    UNIQUE (service_id, version)
);
CREATE INDEX service_versions_org ON service_versions (org_id, service_id);

-- Forms citizens download (แบบฟอร์ม), uploaded per service. A row is never changed: a draft or a
-- version lists the forms it offers by id, so an older version's form stays downloadable.
CREATE TABLE service_forms (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    service_id     BIGINT  NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    file_name      TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size_bytes     BIGINT  NOT NULL,
    sha256         TEXT    NOT NULL,
    content        BYTEA   NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX service_forms_org ON service_forms (org_id, service_id);
