-- Issue 15: satisfaction surveys. A survey names what is assessed and how its means are read
-- (survey::scale: 'equal_width', the 0.80 bands, or 'nearest_level'); its questionnaire is
-- published as numbered versions. An answer will keep the version it answered, so a version is
-- never changed once published (survey::store::publish inserts; nothing updates it).
CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    scale         TEXT    NOT NULL DEFAULT 'equal_width' CHECK (scale IN ('equal_width', 'nearest_level')),
    created_by    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    UNIQUE (org_id, name)
);

-- The questionnaire as published (survey::questionnaire::Questionnaire as JSON), numbered per
-- survey from 1.
CREATE TABLE survey_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    survey_id     BIGINT  NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    number        BIGINT  NOT NULL,
    definition    TEXT    NOT NULL,
    published_by  TEXT    NOT NULL,
    published_at  BIGINT  NOT NULL,
    UNIQUE (survey_id, number)
);
CREATE INDEX survey_versions_org ON survey_versions (org_id, survey_id, number);
