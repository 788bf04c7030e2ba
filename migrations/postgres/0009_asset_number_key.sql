-- Issue 11 (item 9 of what was seen): the same asset number could be registered twice, once in
-- Thai digits (๔๑๖-๖๖-๐๐๐๑) and once in Arabic digits (416-66-0001). Items get the number's
-- comparison key (lending::asset_number::key: Thai and full-width digits, full-width / - . as
-- ASCII, white space tidied), unique per organization; lookups go by the key.
--
-- The key of the numbers stored so far is computed here in SQL, the same text on both engines:
-- numbers stored before this migration held no white space (the old check refused it), so the
-- digit and punctuation replacements and TRIM give exactly what the Rust function gives.
-- Existing duplicates (the same number in two digit systems) are refused before this runs, with
-- the numbers named (db::migrate::refuse_duplicate_asset_numbers): the office decides which to
-- renumber, nothing is changed behind its back.
ALTER TABLE items ADD COLUMN asset_number_key TEXT NOT NULL DEFAULT '';

UPDATE items SET asset_number_key = TRIM(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(asset_number, '๐', '0'), '๑', '1'), '๒', '2'), '๓', '3'), '๔', '4'), '๕', '5'), '๖', '6'), '๗', '7'), '๘', '8'), '๙', '9'), '０', '0'), '１', '1'), '２', '2'), '３', '3'), '４', '4'), '５', '5'), '６', '6'), '７', '7'), '８', '8'), '９', '9'), '／', '/'), '－', '-'), '．', '.'));

CREATE UNIQUE INDEX items_org_asset_number_key ON items (org_id, asset_number_key);
