-- Lending's figures for a period (a measure citing loans started in a fiscal year) select an
-- organization's loans by start day. Without this index PostgreSQL walked loans_by_item whole
-- (its start_day is not its first column) once the table's statistics made that look cheap.
CREATE INDEX loans_by_org_start ON loans (org_id, start_day);
