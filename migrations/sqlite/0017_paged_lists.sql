-- Issue 13, item 1: the staff register is read a page at a time in asset number order
-- (lending::items::page: ORDER BY asset_number_key LIMIT/OFFSET), served by the
-- (org_id, asset_number_key) index. SQLite already compares text byte by byte, the code order the
-- rest of the program uses; PostgreSQL's migration gives the key column that order ("C").
SELECT 1;
