-- Issue 13, finding 1: tables that grow with every organization's use were read by full scans, so
-- one organization's pages slowed down as the others' data grew (the public item page fell from
-- 6,400 to 71 requests/s with 336,000 follow-ups of other organizations). Each index starts with
-- the organization or the parent row that the queries filter by.

-- A loan's latest follow-up (every loan query) and its follow-up history.
CREATE INDEX loan_follow_ups_by_loan ON loan_follow_ups (loan_id, day);
-- A user's notifications, newest first (/app/notifications).
CREATE INDEX notifications_by_user ON notifications (org_id, user_id, day, id);
-- "Log out everywhere" and deactivation end a user's sessions; every login clears expired ones.
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
