-- Closes the gaps 0001's append-only triggers left in the audit tables (issue 10, finding 10).
-- SQLite has no TRUNCATE: `DELETE FROM audit_log` without WHERE would be its truncate
-- optimization, which SQLite skips for tables with triggers, so 0001's BEFORE DELETE trigger
-- already refuses it. The chain head (audit_chain) is never deleted by the application and only
-- moves forward (a longer chain, a new last hash); deleting or rewinding it would hide tampering,
-- so both are refused. Someone with write access to the file can still drop these triggers, which
-- is why `prongsai audit verify` also checks every organization and compares chains with heads
-- recorded from the public site.

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only (audit guard: DELETE refused)'); END;

-- Db::write's `SET last_seq = last_seq` (the write lock) changes nothing and passes.
CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE ON audit_chain
WHEN NEW.org_id <> OLD.org_id OR NEW.last_seq < OLD.last_seq
     OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash <> OLD.last_hash)
BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only (audit guard: UPDATE refused)'); END;
