-- Issue 11, items 5 and 6: quantities, consumables returned in kind, settlements on record and
-- write-offs (จำหน่ายออกจากบัญชี).

-- Units of the item on hand in the register (50 folding chairs may be one asset record); a
-- write-off lowers it, and an item with none left cannot be lent.
ALTER TABLE items ADD COLUMN quantity BIGINT NOT NULL DEFAULT 1 CHECK (quantity >= 0);
-- How the units are counted (ตัว, ชุด, ถุง), for the pages and the forms.
ALTER TABLE items ADD COLUMN count_unit TEXT NOT NULL DEFAULT 'ชิ้น';
-- Units the lender keeps for its own needs and never lends (consumables: ข้อ 209, the lender must
-- have enough to lend without harm to its own work).
ALTER TABLE items ADD COLUMN reserve BIGINT NOT NULL DEFAULT 0 CHECK (reserve >= 0);

-- Each return of some or all units of a loan: consumables come back in kind, partly or at once,
-- and a durable loan of several units may come back in parts. The loan closes when all are back.
CREATE TABLE loan_returns (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    loan_id      BIGINT  NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
    quantity     BIGINT  NOT NULL CHECK (quantity > 0),
    day          BIGINT  NOT NULL,
    received_by  BIGINT  REFERENCES users(id),
    condition    TEXT    NOT NULL DEFAULT '',
    damage       TEXT    NOT NULL DEFAULT 'none' CHECK (damage IN ('none', 'damaged', 'lost')),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX loan_returns_by_loan ON loan_returns (loan_id, day);
-- Loans returned before this migration came back whole, on the day recorded (Thai time, UTC+7).
INSERT INTO loan_returns (org_id, loan_id, quantity, day, received_by, condition, damage, created_at)
    SELECT org_id, id, quantity, (returned_at + 25200) / 86400, return_received_by, return_condition, damage, returned_at
    FROM loans WHERE returned_at IS NOT NULL;

-- The settlement of damage or loss (ข้อ 210): the amount paid in satang (payment, or the cost of
-- a repair when known), the receipt number and the day it was settled (settled_by: the officer).
ALTER TABLE loans ADD COLUMN settlement_amount BIGINT;
ALTER TABLE loans ADD COLUMN settlement_receipt TEXT NOT NULL DEFAULT '';
ALTER TABLE loans ADD COLUMN settlement_day BIGINT;

-- Units that left the register (lost, paid for, beyond repair): when, why, on what reference and
-- by whom; the loan when the write-off follows a settlement.
CREATE TABLE item_write_offs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    item_id      BIGINT  NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    loan_id      BIGINT  REFERENCES loans(id) ON DELETE SET NULL,
    quantity     BIGINT  NOT NULL CHECK (quantity > 0),
    day          BIGINT  NOT NULL,
    reason       TEXT    NOT NULL,
    reference    TEXT    NOT NULL DEFAULT '',
    by_user      BIGINT  NOT NULL REFERENCES users(id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX item_write_offs_by_item ON item_write_offs (item_id, day);
