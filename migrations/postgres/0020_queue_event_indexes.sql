-- Issue 14: a board's feed and every reconnecting board read an organization's events after an
-- id (queue::board::store::events_after). With only (org_id, at), PostgreSQL's generic plan for
-- that prepared statement read all of the organization's events once per ticket of the join
-- (20 ms with 900 events, growing with every day of history); entered by (org_id, id) the read
-- starts at the id and stops at the page's end.
CREATE INDEX queue_events_org_id ON queue_events (org_id, id);
-- A ticket's events: deleting a ticket (an organization's removal cascades) and the statistics'
-- legs read them by ticket.
CREATE INDEX queue_events_ticket ON queue_events (ticket_id, id);
