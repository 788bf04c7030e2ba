-- Issue 11: a request whose regular approver (ข้อ 208) is its own requester or borrower goes to
-- the head of the agency by itself; this keeps why ('' when it did not, else a code of
-- lending::approvers::Escalation), for the request page and the audit log.
ALTER TABLE loans ADD COLUMN escalation TEXT NOT NULL DEFAULT '';
