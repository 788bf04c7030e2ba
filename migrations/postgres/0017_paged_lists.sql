-- Issue 13, item 1: the staff register is read a page at a time in asset number order
-- (lending::items::page: ORDER BY asset_number_key LIMIT/OFFSET). That order must be the code order
-- the rest of the program uses (thai::collate::sort_by_code: byte order of the key) on both
-- engines, and served by the (org_id, asset_number_key) index. SQLite compares text byte by byte;
-- PostgreSQL compares by the database's collation (a Thai ICU collation orders punctuation and
-- Thai letters differently), so the key column is given the byte order, "C". Equality (the unique
-- index, lookups by key) is the same under both: both collations are deterministic.
ALTER TABLE items ALTER COLUMN asset_number_key TYPE TEXT COLLATE "C";
