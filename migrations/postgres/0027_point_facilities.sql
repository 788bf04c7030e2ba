-- Issue 16, item 2: what a service point offers its citizens (seating, drinking water, free
-- Wi-Fi, an accessible toilet, a ramp, parking), as codes separated by commas
-- (queue::facilities), and photos of them.
ALTER TABLE queue_points ADD COLUMN facilities TEXT NOT NULL DEFAULT '';

CREATE TABLE point_photos (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id       BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    caption        TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    content        BYTEA    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX point_photos_org_point ON point_photos (org_id, point_id, id);
-- The organization's points, read by the public page of service points; the points that give a
-- service, read by that service's public page.
CREATE INDEX queue_points_org ON queue_points (org_id, id);
CREATE INDEX queue_point_services_service ON queue_point_services (service_id, org_id, point_id);
