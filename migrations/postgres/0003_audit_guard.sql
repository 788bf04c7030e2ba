-- Closes the gaps 0001's append-only triggers left in the audit tables (issue 10, finding 10).
-- TRUNCATE fires no row triggers, so `TRUNCATE audit_log, audit_chain` emptied both and verify
-- then found nothing to check: statement-level BEFORE TRUNCATE triggers refuse it. The chain head
-- (audit_chain) is never deleted by the application and only moves forward (a longer chain, a new
-- last hash); deleting or rewinding it would hide tampering, so both are refused too. Someone with
-- the owner's rights can still drop these triggers, which is why `prongsai audit verify` also
-- checks every organization and compares chains with heads recorded from the public site.

CREATE FUNCTION audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only (audit guard: % refused)', TG_TABLE_NAME, TG_OP; END $$;

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_guard();

-- Db::write's `SET last_seq = last_seq` (the write lock) changes nothing and passes.
CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE ON audit_chain
    FOR EACH ROW
    WHEN (NEW.org_id <> OLD.org_id OR NEW.last_seq < OLD.last_seq
          OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash <> OLD.last_hash))
    EXECUTE FUNCTION audit_guard();
