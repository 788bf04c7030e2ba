-- Issue 16: council meetings open to citizens. The schedule (announced in advance), seats for
-- the public, registrations by name and phone only, check-in at the door, the minutes.

CREATE TABLE council_meetings (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id               BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    title                TEXT    NOT NULL,   -- "การประชุมสภา… สมัยสามัญ สมัยที่ ๑ ครั้งที่ ๑/๒๕๖๙"
    starts_at            BIGINT  NOT NULL,   -- epoch seconds
    place                TEXT    NOT NULL,
    agenda               TEXT    NOT NULL DEFAULT '',
    seats                BIGINT  NOT NULL,   -- seats for the public; 0: no registration
    cancelled            BIGINT  NOT NULL DEFAULT 0,
    minutes_document_id  BIGINT  REFERENCES documents(id) ON DELETE SET NULL,
    created_by           TEXT    NOT NULL,
    created_at           BIGINT  NOT NULL,
    updated_by           TEXT    NOT NULL,
    updated_at           BIGINT  NOT NULL
);
CREATE INDEX council_meetings_org_starts ON council_meetings (org_id, starts_at);

-- A citizen's registration: a name and a phone number, nothing else. code: unguessable, what the
-- confirmation page, the QR at the door and a cancellation use. status: confirmed, waitlisted,
-- cancelled; a cancellation gives its seat to the first on the waiting list (lowest id).
-- client_key: a keyed hash of the address it came from (limits per address), not the address.
CREATE TABLE council_registrations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    meeting_id      BIGINT  NOT NULL REFERENCES council_meetings(id) ON DELETE CASCADE,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    phone           TEXT    NOT NULL,
    client_key      TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    cancelled_at    BIGINT,
    checked_in_at   BIGINT,
    checked_in_by   TEXT
);
CREATE INDEX council_registrations_meeting ON council_registrations (org_id, meeting_id, status);
-- One live registration per phone and meeting.
CREATE UNIQUE INDEX council_registrations_phone ON council_registrations (meeting_id, phone) WHERE status <> 'cancelled';
