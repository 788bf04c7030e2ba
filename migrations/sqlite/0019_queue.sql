-- Issue 14: the fair queue (บัตรคิว). Times are epoch milliseconds (waits and service times are
-- reported in minutes, the board's latency in milliseconds); days are days since 1970-01-01 in
-- Thailand's time, the day a ticket number belongs to.

-- A service point (จุดบริการ): one hall with its kiosk, board and counters, and its published rule.
CREATE TABLE queue_points (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    -- The priority rule the public reads: when priority tickets wait, every `priority_every`-th
    -- call goes to the oldest of them (1: a priority ticket always goes first; 2: every other call;
    -- 0: no priority line, everyone in order of arrival). See src/queue/rules.rs.
    priority_every     BIGINT  NOT NULL DEFAULT 2,
    -- How many times a called ticket may be called again before it can only be skipped.
    recall_limit       BIGINT  NOT NULL DEFAULT 2,
    rule_note          TEXT    NOT NULL DEFAULT '',  -- the office's own words about the rule
    -- The secret in the entrance QR poster's link: a citizen must be at the office to read it
    -- (a stranger elsewhere cannot take tickets); staff print a new poster to change it. '' (a
    -- point made without one) takes no ticket by QR.
    entrance_key       TEXT    NOT NULL DEFAULT '',
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    UNIQUE (org_id, name)
);

-- The services a point gives, with the letter of their tickets (ก, A, …).
CREATE TABLE queue_point_services (
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id           BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    service_id         BIGINT  NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    prefix             TEXT    NOT NULL,
    PRIMARY KEY (point_id, service_id),
    UNIQUE (point_id, prefix)
);

CREATE TABLE queue_counters (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id           BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,   -- as announced: "ช่องบริการ ๑"
    position           BIGINT  NOT NULL DEFAULT 0,
    active             BIGINT  NOT NULL DEFAULT 1,
    UNIQUE (point_id, name)
);

-- Which services each counter serves.
CREATE TABLE queue_counter_services (
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    counter_id         BIGINT  NOT NULL REFERENCES queue_counters(id) ON DELETE CASCADE,
    service_id         BIGINT  NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (counter_id, service_id)
);

-- The last number given per point, service and day: raised in the transaction that inserts the
-- ticket, so numbers have no gap and no duplicate whichever process issues them.
CREATE TABLE queue_numbers (
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id           BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    service_id         BIGINT  NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    day                BIGINT  NOT NULL,
    last_number        BIGINT  NOT NULL,
    PRIMARY KEY (point_id, service_id, day)
);

CREATE TABLE queue_tickets (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id           BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    service_id         BIGINT  NOT NULL REFERENCES services(id),
    day                BIGINT  NOT NULL,
    number             BIGINT  NOT NULL,
    label              TEXT    NOT NULL,   -- prefix and number as printed: "A012"
    code               TEXT    NOT NULL UNIQUE,  -- unguessable: the ticket's status page
    -- '' or the priority group: 'elderly', 'disabled', 'pregnant', 'monk' (the office may add).
    priority_group     TEXT    NOT NULL DEFAULT '',
    channel            TEXT    NOT NULL CHECK (channel IN ('kiosk', 'staff', 'qr')),
    status             TEXT    NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'skipped', 'cancelled')),
    counter_id         BIGINT  REFERENCES queue_counters(id) ON DELETE SET NULL,
    -- Place in line: the issue time, or for a transferred ticket the time it entered its new line.
    queued_at          BIGINT  NOT NULL,
    issued_at          BIGINT  NOT NULL,
    called_at          BIGINT,             -- first call
    started_at         BIGINT,
    finished_at        BIGINT,
    recalls            BIGINT  NOT NULL DEFAULT 0,
    transferred_from   BIGINT  REFERENCES queue_tickets(id),
    -- Tickets taken through the entrance QR: a keyed hash of the phone's address, so one address
    -- can hold only a few (no address is stored); '' for kiosk and staff tickets.
    client_key         TEXT    NOT NULL DEFAULT '',
    UNIQUE (point_id, service_id, day, number)
);
CREATE INDEX queue_tickets_waiting ON queue_tickets (point_id, status, service_id, queued_at);
CREATE INDEX queue_tickets_org_day ON queue_tickets (org_id, day);

-- Everything that happened at a point, in order: the board's stream (an SSE client resumes from
-- the last id it saw) and the fairness log. Out-of-order calls carry their reason.
CREATE TABLE queue_events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id           BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    ticket_id          BIGINT  NOT NULL REFERENCES queue_tickets(id) ON DELETE CASCADE,
    counter_id         BIGINT  REFERENCES queue_counters(id) ON DELETE SET NULL,
    -- The service the ticket was in line for when this happened (for a transfer: the new one):
    -- the statistics split a visit into its services by these rows. NULL: the ticket's service.
    service_id         BIGINT  REFERENCES services(id),
    -- 'issue', 'call', 'recall', 'start', 'finish', 'skip', 'transfer', 'cancel'
    kind               TEXT    NOT NULL,
    -- '' for a call in turn; else why this ticket went before others: 'priority', 'recall',
    -- 'transfer', 'skip', 'chosen' (a ticket picked by hand).
    out_of_order       TEXT    NOT NULL DEFAULT '',
    reason             TEXT    NOT NULL DEFAULT '',  -- the officer's words, required when out of order
    actor              TEXT    NOT NULL,
    at                 BIGINT  NOT NULL
);
CREATE INDEX queue_events_point ON queue_events (point_id, id);
CREATE INDEX queue_events_org_at ON queue_events (org_id, at);

-- Kiosk screens staff authorised (a cookie holding a random token whose hash is kept here):
-- only these issue tickets from the kiosk page, so a stranger cannot flood the line.
CREATE TABLE queue_kiosks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    point_id           BIGINT  NOT NULL REFERENCES queue_points(id) ON DELETE CASCADE,
    token_hash         TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    created_by         TEXT    NOT NULL,
    created_at         BIGINT  NOT NULL,
    revoked_at         BIGINT
);
CREATE INDEX queue_kiosks_point ON queue_kiosks (point_id, org_id);
