-- Issue 18: an organization's ITA result per assessed fiscal year (as the NACC announced it in
-- ITAS), the office's analysis of it, and the averages it is compared with. Scores are kept in
-- hundredths (87.57 → 8757) so both engines store and compare them exactly.
CREATE TABLE ita_results (
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year   BIGINT  NOT NULL,  -- the assessed year, Buddhist era
    total_x100    BIGINT  NOT NULL CHECK (total_x100 BETWEEN 0 AND 10000),
    grade         TEXT    NOT NULL,  -- the level or label as announced: 'A', 'ผ่านดี', …
    iit_x100      BIGINT  CHECK (iit_x100 BETWEEN 0 AND 10000),
    eit_x100      BIGINT  CHECK (eit_x100 BETWEEN 0 AND 10000),
    oit_x100      BIGINT  CHECK (oit_x100 BETWEEN 0 AND 10000),
    source        TEXT    NOT NULL,  -- 'csv', 'itas' (text pasted from ITAS) or 'form'
    entered_by    TEXT    NOT NULL,
    entered_at    BIGINT  NOT NULL,
    PRIMARY KEY (org_id, fiscal_year)
);

-- The 10 indicators' scores of a result (all ten are required).
CREATE TABLE ita_indicator_scores (
    org_id            BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year       BIGINT  NOT NULL,
    indicator_number  BIGINT  NOT NULL CHECK (indicator_number BETWEEN 1 AND 10),
    score_x100        BIGINT  NOT NULL CHECK (score_x100 BETWEEN 0 AND 10000),
    PRIMARY KEY (org_id, fiscal_year, indicator_number)
);

-- IIT/EIT question scores, where ITAS showed them ('i1' … 'e15').
CREATE TABLE ita_question_scores (
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year  BIGINT  NOT NULL,
    code         TEXT    NOT NULL,
    score_x100   BIGINT  NOT NULL CHECK (score_x100 BETWEEN 0 AND 10000),
    PRIMARY KEY (org_id, fiscal_year, code)
);

-- OIT items passed (1) or failed (0), where known.
CREATE TABLE ita_oit_results (
    org_id       BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year  BIGINT  NOT NULL,
    item_code    TEXT    NOT NULL,
    passed       BIGINT  NOT NULL CHECK (passed IN (0, 1)),
    PRIMARY KEY (org_id, fiscal_year, item_code)
);

-- Averages the office compares with, as published by the NACC: scope 'national' or 'province';
-- indicator_number 0 is the total.
CREATE TABLE ita_reference_scores (
    org_id            BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year       BIGINT  NOT NULL,
    scope             TEXT    NOT NULL CHECK (scope IN ('national', 'province')),
    indicator_number  BIGINT  NOT NULL CHECK (indicator_number BETWEEN 0 AND 10),
    score_x100        BIGINT  NOT NULL CHECK (score_x100 BETWEEN 0 AND 10000),
    PRIMARY KEY (org_id, fiscal_year, scope, indicator_number)
);

-- The analysis of an assessed year: per indicator, the issues the office will fix.
CREATE TABLE ita_analysis_notes (
    org_id            BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    fiscal_year       BIGINT  NOT NULL,  -- the assessed year
    indicator_number  BIGINT  NOT NULL CHECK (indicator_number BETWEEN 1 AND 10),
    issues            TEXT    NOT NULL,
    updated_by        TEXT    NOT NULL,
    updated_at        BIGINT  NOT NULL,
    PRIMARY KEY (org_id, fiscal_year, indicator_number)
);

-- The province page lists a province's organizations without reading the others.
CREATE INDEX orgs_by_province ON orgs (province, slug);
