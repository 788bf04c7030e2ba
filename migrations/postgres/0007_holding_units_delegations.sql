-- Issue 11: who approves by the regulation (ข้อ 208) and by delegation orders.
--
-- Use inside the premises is approved by the head of the supplies unit that holds the item
-- (items.division_id). An office records here who heads which unit; where a unit has no head
-- recorded, the holders of the supplies_head duty approve, as before.
CREATE TABLE unit_heads (
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    division_id  BIGINT  NOT NULL REFERENCES divisions(id) ON DELETE CASCADE,
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (division_id, user_id)
);
CREATE INDEX unit_heads_by_org ON unit_heads (org_id, user_id);

-- A delegation order (คำสั่งมอบอำนาจ): `to_user_id` may approve, in `from_user_id`'s stead, the
-- loans of the listed use types (codes of lending::rules::UseType, comma-separated) from
-- `from_day` to `to_day` inclusive. Days are days since 1970-01-01, as in loans.
CREATE TABLE delegations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    from_user_id  BIGINT  NOT NULL REFERENCES users(id),
    to_user_id    BIGINT  NOT NULL REFERENCES users(id),
    use_types     TEXT    NOT NULL,
    order_number  TEXT    NOT NULL,
    order_day     BIGINT  NOT NULL,
    from_day      BIGINT  NOT NULL,
    to_day        BIGINT  NOT NULL,
    created_by    BIGINT  NOT NULL REFERENCES users(id),
    created_at    BIGINT  NOT NULL,
    CHECK (from_day <= to_day),
    CHECK (from_user_id <> to_user_id)
);
CREATE INDEX delegations_by_delegate ON delegations (org_id, to_user_id, to_day);

-- The order an approval relied on, when the approver acted in someone else's stead.
ALTER TABLE loans ADD COLUMN delegation_id BIGINT REFERENCES delegations(id);

-- The loan page's history reads one loan's audit entries.
CREATE INDEX audit_by_entity ON audit_log (org_id, entity, entity_id);
