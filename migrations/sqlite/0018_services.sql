-- Issue 14: the service catalogue (คู่มือสำหรับประชาชน, Licensing Facilitation Act B.E. 2558 s.7).
-- One row per service the office gives. The queue (tickets per service) and the statistics that
-- compare service times with the published time standard refer to this row; the manual's full
-- content (criteria, steps, documents, fees, forms, …) is kept as versions by the catalogue.
CREATE TABLE services (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
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
