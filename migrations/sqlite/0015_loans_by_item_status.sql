-- Issue 13, item 4: a booking check reads only the loans that can hold the item on the days asked
-- (lending::availability): those out or awaiting settlement, and the bookings whose days overlap.
-- Entered by item and status, an item's ended loans, which grow without end, are never read; the
-- start day bounds the bookings that begin after the days asked. (With the due day third instead,
-- SQLite without statistics prefers loans_by_item, which reads every loan the item ever had.)
CREATE INDEX loans_by_item_status ON loans (item_id, status, start_day);
