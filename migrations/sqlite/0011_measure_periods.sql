-- Issue 12 (item 3): a measure's period as offices write it. Besides month ranges, the period may
-- be the whole fiscal year ("ตลอดปีงบประมาณ"), quarters of it ("ไตรมาสที่ ๑–๒") or exact days. Each
-- measure keeps what kind of period it is, its first and last day, and the words it was written
-- in (printed as written, in the organization's digits; thai::period reads them).
--
-- Days are yyyymmdd of the Christian-era date (20230301), so SQL compares them as integers:
-- "measures running in November 2566" is period_first <= 20231130 AND period_last >= 20231101.
-- The four columns are all NULL (no period planned) or all set.
ALTER TABLE measures ADD COLUMN period_kind TEXT CHECK (period_kind IN ('months', 'fiscal_year', 'quarters', 'days'));
ALTER TABLE measures ADD COLUMN period_first BIGINT;
ALTER TABLE measures ADD COLUMN period_last BIGINT;
ALTER TABLE measures ADD COLUMN period_text TEXT;

-- Periods stored so far are month ranges held as BE year * 100 + month (256603 = มี.ค. ๒๕๖๖): they
-- keep their meaning, from the first day of the first month to the last day of the last month
-- (29 February in a leap year), and their words are those the report printed (Arabic digits here;
-- printing applies the organization's digits). The same SQL on both engines: integer division,
-- %, CASE and || behave alike.
UPDATE measures SET
    period_kind = 'months',
    period_first = (period_start / 100 - 543) * 10000 + (period_start % 100) * 100 + 1,
    period_last = (period_end / 100 - 543) * 10000 + (period_end % 100) * 100 + CASE period_end % 100
        WHEN 2 THEN CASE WHEN ((period_end / 100 - 543) % 4 = 0 AND (period_end / 100 - 543) % 100 <> 0)
                           OR (period_end / 100 - 543) % 400 = 0 THEN 29 ELSE 28 END
        WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END,
    period_text = CASE
        WHEN period_start = period_end
            THEN CASE period_start % 100 WHEN 1 THEN 'ม.ค.' WHEN 2 THEN 'ก.พ.' WHEN 3 THEN 'มี.ค.' WHEN 4 THEN 'เม.ย.' WHEN 5 THEN 'พ.ค.' WHEN 6 THEN 'มิ.ย.' WHEN 7 THEN 'ก.ค.' WHEN 8 THEN 'ส.ค.' WHEN 9 THEN 'ก.ย.' WHEN 10 THEN 'ต.ค.' WHEN 11 THEN 'พ.ย.' WHEN 12 THEN 'ธ.ค.' END || ' ' || CAST(period_start / 100 AS TEXT)
        WHEN period_start / 100 = period_end / 100
            THEN CASE period_start % 100 WHEN 1 THEN 'ม.ค.' WHEN 2 THEN 'ก.พ.' WHEN 3 THEN 'มี.ค.' WHEN 4 THEN 'เม.ย.' WHEN 5 THEN 'พ.ค.' WHEN 6 THEN 'มิ.ย.' WHEN 7 THEN 'ก.ค.' WHEN 8 THEN 'ส.ค.' WHEN 9 THEN 'ก.ย.' WHEN 10 THEN 'ต.ค.' WHEN 11 THEN 'พ.ย.' WHEN 12 THEN 'ธ.ค.' END || ' – '
                 || CASE period_end % 100 WHEN 1 THEN 'ม.ค.' WHEN 2 THEN 'ก.พ.' WHEN 3 THEN 'มี.ค.' WHEN 4 THEN 'เม.ย.' WHEN 5 THEN 'พ.ค.' WHEN 6 THEN 'มิ.ย.' WHEN 7 THEN 'ก.ค.' WHEN 8 THEN 'ส.ค.' WHEN 9 THEN 'ก.ย.' WHEN 10 THEN 'ต.ค.' WHEN 11 THEN 'พ.ย.' WHEN 12 THEN 'ธ.ค.' END || ' ' || CAST(period_end / 100 AS TEXT)
        ELSE CASE period_start % 100 WHEN 1 THEN 'ม.ค.' WHEN 2 THEN 'ก.พ.' WHEN 3 THEN 'มี.ค.' WHEN 4 THEN 'เม.ย.' WHEN 5 THEN 'พ.ค.' WHEN 6 THEN 'มิ.ย.' WHEN 7 THEN 'ก.ค.' WHEN 8 THEN 'ส.ค.' WHEN 9 THEN 'ก.ย.' WHEN 10 THEN 'ต.ค.' WHEN 11 THEN 'พ.ย.' WHEN 12 THEN 'ธ.ค.' END || ' ' || CAST(period_start / 100 AS TEXT) || ' – '
             || CASE period_end % 100 WHEN 1 THEN 'ม.ค.' WHEN 2 THEN 'ก.พ.' WHEN 3 THEN 'มี.ค.' WHEN 4 THEN 'เม.ย.' WHEN 5 THEN 'พ.ค.' WHEN 6 THEN 'มิ.ย.' WHEN 7 THEN 'ก.ค.' WHEN 8 THEN 'ส.ค.' WHEN 9 THEN 'ก.ย.' WHEN 10 THEN 'ต.ค.' WHEN 11 THEN 'พ.ย.' WHEN 12 THEN 'ธ.ค.' END || ' ' || CAST(period_end / 100 AS TEXT)
        END
WHERE period_start IS NOT NULL AND period_end IS NOT NULL;

-- One place for the period from now on.
ALTER TABLE measures DROP COLUMN period_start;
ALTER TABLE measures DROP COLUMN period_end;

CREATE INDEX measures_by_period ON measures (org_id, period_first, period_last);
